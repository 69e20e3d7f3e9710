package dev.alfred.llm;

/**
 * The shape the answer must take: free text, any JSON object, or JSON that follows a schema.
 *
 * @param type   text, JSON object, or JSON schema
 * @param name   the schema's name for {@link Type#JSON_SCHEMA}, else null
 * @param schema the schema for {@link Type#JSON_SCHEMA}, else null
 * @param strict for a schema, whether the provider should hold the model to it exactly
 */
public record ResponseFormat(Type type, String name, JsonSchema schema, boolean strict) {

    /** Free text, the default. */
    public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, false);
    /** Any JSON object (describe the shape you want in the prompt). */
    public static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, null, null, false);

    /** The formats. */
    public enum Type {
        /** Free text. */
        TEXT,
        /** A JSON object. */
        JSON_OBJECT,
        /** JSON following a schema. */
        JSON_SCHEMA
    }

    /**
     * Validates the format.
     *
     * @param type the type, never null
     * @param name the schema's name: letters, digits, {@code _} and {@code -}, at most 64; only for a schema
     * @param schema the schema, exactly for JSON_SCHEMA
     * @param strict only for a schema
     * @throws IllegalArgumentException naming what is wrong
     */
    public ResponseFormat {
        if (type == null) {
            throw new IllegalArgumentException("response format type must not be null");
        }
        if (type == Type.JSON_SCHEMA) {
            if (schema == null) {
                throw new IllegalArgumentException("a JSON_SCHEMA response format needs a schema");
            }
            if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("a JSON_SCHEMA response format needs a name of 1 to 64 letters,"
                        + " digits, '_' or '-', was " + name);
            }
        } else if (schema != null || name != null || strict) {
            throw new IllegalArgumentException("only a JSON_SCHEMA response format takes a name, schema or strict");
        }
    }

    /**
     * JSON following a schema.
     *
     * @param name   the schema's name
     * @param schema the schema
     * @param strict whether the provider should hold the model to it exactly
     * @return the format
     * @throws IllegalArgumentException if name or schema is not valid
     */
    public static ResponseFormat jsonSchema(String name, JsonSchema schema, boolean strict) {
        return new ResponseFormat(Type.JSON_SCHEMA, name, schema, strict);
    }
}
