package dev.alfred.llm.schema;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BigIntegerNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.util.List;

/**
 * Reads JSON text into a tree exactly: a number with a fraction or an exponent is kept as the
 * {@code BigDecimal} its text says (digits and scale, {@code 0.10} stays {@code 0.10}, {@code 1e400} stays
 * finite), an integer as the smallest exact integer node; a property that appears twice in one object and
 * text after the value are violations, never a silent last-wins. Stateless.
 */
final class JsonTree {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTree() {
    }

    /** A property seen twice: where (the second one), and its name. */
    private static final class Duplicate extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String pointer;
        final String name;

        Duplicate(String pointer, String name) {
            super(null, null, false, false);
            this.pointer = pointer;
            this.name = name;
        }
    }

    /**
     * Reads a value, or adds why the text is not one JSON value.
     *
     * @param json       the text
     * @param violations where the reason goes
     * @return the value, or null when the text is not one JSON value
     */
    static JsonNode read(String json, List<SchemaViolation> violations) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                violations.add(new SchemaViolation("", SchemaViolation.Kind.NOT_JSON, "no JSON value at all"));
                return null;
            }
            JsonNode value = value(p, first, "");
            if (p.nextToken() != null) {
                violations.add(new SchemaViolation("", SchemaViolation.Kind.NOT_JSON, "not JSON: text follows the value"
                        + " at character " + (p.currentTokenLocation().getCharOffset() + 1)));
                return null;
            }
            return value;
        } catch (Duplicate d) {
            violations.add(new SchemaViolation(d.pointer, SchemaViolation.Kind.DUPLICATE_PROPERTY, "the property "
                    + Binder.quoted(d.name) + " appears more than once; give it once"));
            return null;
        } catch (JacksonException e) {
            violations.add(new SchemaViolation("", SchemaViolation.Kind.NOT_JSON, "not JSON: " + e.getOriginalMessage()));
            return null;
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t, String at) {
        switch (t) {
            case START_OBJECT:
                ObjectNode o = NODES.objectNode();
                String name;
                while ((name = p.nextName()) != null) {
                    String here = at + "/" + Binder.escape(name);
                    if (o.replace(name, value(p, p.nextToken(), here)) != null) {
                        throw new Duplicate(here, name);
                    }
                }
                return o;
            case START_ARRAY:
                ArrayNode a = NODES.arrayNode();
                JsonToken item;
                while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(value(p, item, at + "/" + a.size()));
                }
                return a;
            case VALUE_STRING:
                return StringNode.valueOf(p.getString());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return IntNode.valueOf(p.getIntValue());
                    case LONG:
                        return LongNode.valueOf(p.getLongValue());
                    default:
                        return BigIntegerNode.valueOf(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return DecimalNode.valueOf(p.getDecimalValue());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            default:
                return NullNode.instance;
        }
    }
}
