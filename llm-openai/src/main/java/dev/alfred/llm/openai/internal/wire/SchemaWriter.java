package dev.alfred.llm.openai.internal.wire;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.util.Set;

/**
 * Writes a JSON Schema into a request, normalised for Moonshot's validator, which rejects a nested
 * schema without a {@code type} (kimi-api.md §2, "tools"; kimi-cli patches the same): where a schema
 * object has no {@code type}, one is inferred and added at its end — {@code object} when it has
 * {@code properties}, {@code array} when it has {@code items}, the values' type when every
 * {@code enum}/{@code const} value has the same JSON type. A schema built from {@code anyOf},
 * {@code oneOf}, {@code allOf} or {@code $ref} is left alone. Every other key is copied as it is, in
 * its order, so the same schema always gives the same bytes (Kimi's prefix cache needs that).
 * Thread-safe.
 */
public final class SchemaWriter {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_DEPTH = 64;
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties");
    private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "oneOf", "allOf", "prefixItems");
    private static final Set<String> SCHEMA_VALUES = Set.of("items", "additionalProperties", "not", "contains");
    private static final Set<String> COMBINATORS = Set.of("anyOf", "oneOf", "allOf", "$ref");

    /** Thrown for a schema the writer cannot send; the caller turns it into a typed request error. */
    public static final class SchemaException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SchemaException(String message) {
            super(message);
        }
    }

    /**
     * Writes a schema.
     *
     * @param json       the schema text (a JSON object)
     * @param g          where to write it, positioned for a value
     * @param rootObject whether the root must be an object schema (tool parameters)
     * @throws SchemaException if the root is not an object schema where it must be, or it nests too deep
     */
    public void write(String json, JsonGenerator g, boolean rootObject) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
            p.nextToken();
            String type = schema(p, g, 0, rootObject);
            if (rootObject && !"object".equals(type)) {
                throw new SchemaException("the root of a tool's parameters schema must be of type object, was "
                        + type);
            }
        } catch (JacksonException e) {
            throw new SchemaException("schema is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Copies one schema object whose START_OBJECT is current; returns its (possibly inferred) type. */
    private String schema(JsonParser p, JsonGenerator g, int depth, boolean root) {
        if (depth > MAX_DEPTH) {
            throw new SchemaException("schema nests deeper than " + MAX_DEPTH + " levels");
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            g.copyCurrentStructure(p); // true / false schemas
            return null;
        }
        g.writeStartObject();
        String type = null;
        boolean typed = false;
        boolean combined = false;
        boolean hasProperties = false;
        boolean hasItems = false;
        String valueType = null;
        boolean valuesMixed = false;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            g.writeName(name);
            if ("type".equals(name)) {
                typed = true;
                type = t == JsonToken.VALUE_STRING ? p.getString() : null;
                g.copyCurrentStructure(p);
            } else if (SCHEMA_MAPS.contains(name) && t == JsonToken.START_OBJECT) {
                hasProperties |= "properties".equals(name);
                g.writeStartObject();
                String key;
                while ((key = p.nextName()) != null) {
                    p.nextToken();
                    g.writeName(key);
                    schema(p, g, depth + 1, false);
                }
                g.writeEndObject();
            } else if (SCHEMA_LISTS.contains(name) && t == JsonToken.START_ARRAY) {
                combined |= COMBINATORS.contains(name);
                g.writeStartArray();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    schema(p, g, depth + 1, false);
                }
                g.writeEndArray();
            } else if (SCHEMA_VALUES.contains(name) && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
                hasItems |= "items".equals(name);
                if (t == JsonToken.START_ARRAY) {
                    g.writeStartArray();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        schema(p, g, depth + 1, false);
                    }
                    g.writeEndArray();
                } else {
                    schema(p, g, depth + 1, false);
                }
            } else if (("enum".equals(name) && t == JsonToken.START_ARRAY) || "const".equals(name)) {
                if (t == JsonToken.START_ARRAY) {
                    g.writeStartArray();
                    JsonToken v;
                    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                        String vt = jsonType(v);
                        valuesMixed |= vt == null || (valueType != null && !valueType.equals(vt));
                        valueType = valueType == null ? vt : valueType;
                        g.copyCurrentStructure(p);
                    }
                    g.writeEndArray();
                } else {
                    String vt = jsonType(t);
                    valuesMixed |= vt == null;
                    valueType = vt;
                    g.copyCurrentStructure(p);
                }
            } else {
                combined |= COMBINATORS.contains(name);
                g.copyCurrentStructure(p);
            }
        }
        if (!typed && !combined) {
            if (hasProperties || (root && !hasItems)) {
                type = "object";
            } else if (hasItems) {
                type = "array";
            } else if (valueType != null && !valuesMixed) {
                type = valueType;
            }
            if (type != null) {
                g.writeStringProperty("type", type);
            }
        }
        g.writeEndObject();
        return type;
    }

    private static String jsonType(JsonToken t) {
        switch (t) {
            case VALUE_STRING: return "string";
            case VALUE_NUMBER_INT: return "integer";
            case VALUE_NUMBER_FLOAT: return "number";
            case VALUE_TRUE: case VALUE_FALSE: return "boolean";
            default: return null;
        }
    }
}
