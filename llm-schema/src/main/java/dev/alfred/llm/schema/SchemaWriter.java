package dev.alfred.llm.schema;

import dev.alfred.llm.schema.internal.Shape;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a {@link Shape} as JSON Schema text in a dialect. Keys come in one order: {@code type},
 * {@code description}, then {@code enum}, {@code items} and {@code uniqueItems}, or {@code properties},
 * {@code required} and {@code additionalProperties}, or {@code anyOf}. Stateless.
 */
final class SchemaWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SchemaWriter() {
    }

    /**
     * The schema of a record, as text.
     *
     * @param shape   the record's shape
     * @param dialect the dialect
     * @return the JSON text
     * @throws IllegalArgumentException naming the component when the dialect cannot express a type
     */
    static String write(Shape.ObjectOf shape, SchemaDialect dialect) {
        return MAPPER.writeValueAsString(node(shape, dialect, false, null));
    }

    private static JsonNode node(Shape shape, SchemaDialect d, boolean mayBeNull, String description) {
        ObjectNode n = NODES.objectNode();
        if (shape instanceof Shape.Scalar) {
            Shape.Scalar s = (Shape.Scalar) shape;
            type(n, jsonType(s.kind()), mayBeNull);
            describe(n, description);
            if (s.kind() == Shape.ScalarKind.CHAR) {
                n.put("minLength", 1);
                n.put("maxLength", 1);
            }
        } else if (shape instanceof Shape.EnumOf) {
            type(n, "string", mayBeNull);
            describe(n, description);
            ArrayNode values = n.putArray("enum");
            ((Shape.EnumOf) shape).names().forEach(values::add);
            if (mayBeNull) {
                values.addNull();
            }
        } else if (shape instanceof Shape.ArrayOf) {
            Shape.ArrayOf a = (Shape.ArrayOf) shape;
            type(n, "array", mayBeNull);
            describe(n, description);
            n.set("items", node(a.items(), d, false, null));
            if (a.unique()) {
                n.put("uniqueItems", true);
            }
        } else if (shape instanceof Shape.MapOf) {
            Shape.MapOf m = (Shape.MapOf) shape;
            if (d == SchemaDialect.OPENAI_STRICT) {
                throw new IllegalArgumentException(m.where() + ": a Map cannot be expressed in OpenAI's strict mode,"
                        + " which wants additionalProperties: false on every object; use a List of records");
            }
            type(n, "object", mayBeNull);
            describe(n, description);
            n.set("additionalProperties", node(m.values(), d, false, null));
        } else if (shape instanceof Shape.ObjectOf) {
            Shape.ObjectOf o = (Shape.ObjectOf) shape;
            type(n, "object", mayBeNull);
            describe(n, description != null ? description : o.description());
            ObjectNode properties = n.putObject("properties");
            ArrayNode required = NODES.arrayNode();
            for (Shape.Property p : o.properties()) {
                boolean strictAll = d == SchemaDialect.OPENAI_STRICT;
                boolean nullAllowed = !p.required() && d != SchemaDialect.MOONSHOT;
                properties.set(p.name(), node(p.shape(), d, nullAllowed, p.description()));
                if (p.required() || strictAll) {
                    required.add(p.name());
                }
            }
            n.set("required", required);
            n.put("additionalProperties", false);
        } else {
            Shape.AnyOf a = (Shape.AnyOf) shape;
            if (d == SchemaDialect.MOONSHOT) {
                n.put("type", "object");
            }
            describe(n, description != null ? description : a.description());
            ArrayNode any = n.putArray("anyOf");
            for (Shape.ObjectOf alternative : a.alternatives()) {
                any.add(node(alternative, d, false, null));
            }
            if (mayBeNull) {
                any.addObject().put("type", "null");
            }
        }
        return n;
    }

    private static String jsonType(Shape.ScalarKind kind) {
        switch (kind) {
            case STRING:
            case CHAR:
                return "string";
            case BOOLEAN:
                return "boolean";
            case INTEGER:
                return "integer";
            default:
                return "number";
        }
    }

    private static void type(ObjectNode n, String type, boolean mayBeNull) {
        if (mayBeNull) {
            n.putArray("type").add(type).add("null");
        } else {
            n.put("type", type);
        }
    }

    private static void describe(ObjectNode n, String description) {
        if (description != null) {
            n.put("description", description);
        }
    }
}
