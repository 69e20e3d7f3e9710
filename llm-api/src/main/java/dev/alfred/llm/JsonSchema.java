package dev.alfred.llm;

import dev.alfred.llm.internal.JsonText;

/**
 * A JSON Schema, held as its JSON text (the port carries no JSON library). {@code llm-schema} makes
 * one from a record; a provider may normalise it for its server's validator before sending.
 *
 * @param json the schema, a JSON object
 */
public record JsonSchema(String json) {

    /**
     * Validates the schema's syntax.
     *
     * @param json the schema text
     * @throws IllegalArgumentException if json is null or not a syntactically valid JSON object
     */
    public JsonSchema {
        if (json == null || !JsonText.isObject(json)) {
            throw new IllegalArgumentException("a JSON schema must be a JSON object, was: "
                    + (json == null ? "null" : JsonText.snippet(json)));
        }
    }

    /**
     * Wraps schema text.
     *
     * @param json the schema, a JSON object
     * @return the schema
     * @throws IllegalArgumentException if json is not a JSON object
     */
    public static JsonSchema of(String json) {
        return new JsonSchema(json);
    }
}
