package dev.alfred.llm.schema;

import java.util.Locale;

/**
 * How a JSON Schema is written for a server, where servers differ. Every dialect writes the keys in one
 * stable order (a provider's prompt cache needs byte-identical prefixes), {@code additionalProperties:
 * false} on every record, descriptions where {@code @Description} gives them, a sealed interface as an
 * {@code anyOf} of its records each with a constant discriminator, and a record that contains itself as a
 * {@code $ref} into {@code $defs} ({@code "#"} for the root). No dialect writes a {@code type} beside an
 * {@code anyOf}.
 *
 * <p>A strict dialect ({@link #OPENAI_STRICT}, {@link #ANTHROPIC}) writes only the keywords its server
 * documents for constrained decoding; a constraint it cannot write (a {@code Set}'s uniqueness, a
 * {@code char}'s length, a {@code byte}'s range where numbers take no bounds) is said in the property's
 * description instead, and the binder enforces it either way. A record the dialect cannot express at all
 * (a {@code Map} or, for Anthropic, a record that contains itself) or that is over the server's documented
 * size limits does not {@linkplain RecordSchema#fits fit} it: {@link RecordSchema#jsonSchema} refuses it
 * with an {@link UnsupportedSchemaException} naming why, and tools and structured answers fall back to
 * {@link #STANDARD} without strict mode.
 */
public enum SchemaDialect {

    /**
     * Plain JSON Schema (draft 2020-12 keywords), for servers without strict mode: an {@code Optional} or
     * nullable component is left out of {@code required} and may be {@code null}; every constraint is
     * written ({@code uniqueItems}, {@code minLength}/{@code maxLength}, {@code minimum}/{@code maximum},
     * {@code format}, {@code pattern}); a {@code Map} is an object with {@code additionalProperties} of its
     * values' schema. Every record fits.
     */
    STANDARD(true, false, true, true, true, true, false),

    /**
     * OpenAI's strict structured outputs and strict function calling: every property is in
     * {@code required}, an {@code Optional} or nullable one typed as its type or {@code null}; the keyword
     * subset OpenAI documents ({@code type}, {@code description}, {@code enum}, {@code const},
     * {@code anyOf}, {@code $defs}/{@code $ref}, {@code format}, {@code pattern}, {@code minimum}/
     * {@code maximum}, {@code items}, {@code properties}, {@code required}, {@code additionalProperties:
     * false}); no {@code uniqueItems} nor string lengths. Does not fit: a {@code Map}, more than 5,000
     * properties, nesting deeper than 10 levels, more than 120,000 characters of names and values, more
     * than 1,000 enum values, or an enum of more than 250 values with more than 15,000 characters.
     */
    OPENAI_STRICT(false, true, true, false, true, true, true),

    /**
     * Anthropic's strict tool use and JSON outputs ({@code output_config.format}): an {@code Optional} or
     * nullable component is left out of {@code required} and written without {@code null}; the keyword
     * subset Anthropic documents ({@code type}, {@code description}, {@code enum}, {@code const},
     * {@code anyOf}, {@code $defs}/{@code $ref}, {@code format}, {@code pattern}, {@code items},
     * {@code properties}, {@code required}, {@code additionalProperties: false}); no numeric bounds, string
     * lengths nor {@code uniqueItems}. Does not fit: a {@code Map}, a record that contains itself, more
     * than 24 optional properties or more than 16 unions; across one request at most 20 tools are strict
     * (see {@link RecordSchema#strictTogether}).
     */
    ANTHROPIC(false, false, false, false, true, true, true),

    /**
     * Moonshot's validator for Kimi ("Moonshot Flavored JSON Schema"): every node but an {@code anyOf} or
     * {@code $ref} carries a {@code type}, never beside an {@code anyOf}; every object a {@code required}
     * list; optional components are left out of {@code required}, and no {@code null} type is written;
     * the discriminator is a one-value {@code enum}; {@code format}, {@code pattern}, bounds, lengths and
     * {@code uniqueItems} are said in descriptions. Every record fits.
     */
    MOONSHOT(true, false, false, false, false, false, false);

    private final boolean maps;
    private final boolean allRequired;
    private final boolean ranges;
    private final boolean lengths;
    private final boolean formats;
    private final boolean constants;
    private final boolean strict;

    SchemaDialect(boolean maps, boolean allRequired, boolean ranges, boolean lengths, boolean formats,
                  boolean constants, boolean strict) {
        this.maps = maps;
        this.allRequired = allRequired;
        this.ranges = ranges;
        this.lengths = lengths;
        this.formats = formats;
        this.constants = constants;
        this.strict = strict;
    }

    /**
     * The dialect for a provider id: {@code openai} → {@link #OPENAI_STRICT}, {@code anthropic} →
     * {@link #ANTHROPIC}, {@code kimi} or {@code moonshot} → {@link #MOONSHOT}, anything else →
     * {@link #STANDARD}. Every OpenAI-compatible server behind the {@code openai} provider reports that
     * id; OpenAI's strict dialect is valid JSON Schema for them too, and a record it cannot express falls
     * back to {@link #STANDARD} without strict mode. A caller who knows the server better names the
     * dialect itself ({@code StructuredOutput.dialect}, {@code ToolLoop.Builder.schemaDialect}).
     *
     * @param providerId the provider's id
     * @return the dialect
     * @throws NullPointerException if providerId is null
     */
    public static SchemaDialect forProvider(String providerId) {
        switch (providerId.toLowerCase(Locale.ROOT)) {
            case "openai":
                return OPENAI_STRICT;
            case "anthropic":
                return ANTHROPIC;
            case "kimi":
            case "moonshot":
                return MOONSHOT;
            default:
                return STANDARD;
        }
    }

    /**
     * Whether the server holds the model to a schema of this dialect exactly when asked (OpenAI's
     * {@code strict: true}, Anthropic's strict tool use): a tool whose schema fits is declared strict.
     *
     * @return true for {@link #OPENAI_STRICT} and {@link #ANTHROPIC}
     */
    public boolean isStrict() {
        return strict;
    }

    /** Whether a {@code Map} is written (as {@code additionalProperties} of its values' schema). */
    boolean writesMaps() {
        return maps;
    }

    /** Whether every property is in {@code required}, the optional ones typed with {@code null}. */
    boolean requiresAll() {
        return allRequired;
    }

    /** Whether {@code null} is written for an optional or nullable property. */
    boolean writesNull() {
        return this == STANDARD || allRequired;
    }

    /** Whether {@code minimum}/{@code maximum} are written. */
    boolean writesRanges() {
        return ranges;
    }

    /** Whether {@code minLength}/{@code maxLength} and {@code uniqueItems} are written. */
    boolean writesLengths() {
        return lengths;
    }

    /** Whether {@code format} and {@code pattern} are written. */
    boolean writesFormats() {
        return formats;
    }

    /** Whether a discriminator is a {@code const} (else a one-value {@code enum}). */
    boolean writesConstants() {
        return constants;
    }
}
