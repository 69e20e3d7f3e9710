package dev.alfred.llm.schema;

import java.util.Locale;

/**
 * How a JSON Schema is written for a server, where servers differ. Every dialect writes the keys in one
 * stable order (a provider's prompt cache needs byte-identical prefixes), {@code additionalProperties:
 * false} on every record, and descriptions where {@code @Description} gives them.
 */
public enum SchemaDialect {

    /**
     * Plain JSON Schema (draft 2020-12 keywords): an {@code Optional} or nullable component is left out of
     * {@code required} and may be {@code null}. Anthropic's {@code input_schema} takes it as it is.
     */
    STANDARD,

    /**
     * OpenAI's strict structured outputs: every property is in {@code required}; an {@code Optional} or
     * nullable one is typed as its type or {@code null}. A {@code Map} cannot be expressed (strict mode wants
     * {@code additionalProperties: false} everywhere) and is refused.
     */
    OPENAI_STRICT,

    /**
     * Moonshot's validator ("Moonshot Flavored JSON Schema"): every node carries a {@code type}, an
     * {@code anyOf} of records included ({@code "type": "object"} beside it); optional components are left
     * out of {@code required}, and no {@code null} type is written.
     */
    MOONSHOT;

    /**
     * The dialect for a provider id: {@code openai} → {@link #OPENAI_STRICT}, {@code kimi} or
     * {@code moonshot} → {@link #MOONSHOT}, anything else (Anthropic included) → {@link #STANDARD}.
     *
     * @param providerId the provider's id
     * @return the dialect
     */
    public static SchemaDialect forProvider(String providerId) {
        switch (providerId.toLowerCase(Locale.ROOT)) {
            case "openai":
                return OPENAI_STRICT;
            case "kimi":
            case "moonshot":
                return MOONSHOT;
            default:
                return STANDARD;
        }
    }
}
