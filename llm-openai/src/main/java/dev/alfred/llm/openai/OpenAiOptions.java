package dev.alfred.llm.openai;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.openai.dialect.RequestExtras;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of OpenAI's chat-completions API that the port does not model, carried on a request with
 * {@code ChatRequest.builder().options(OpenAiOptions.builder().reasoningEffort("low").build())}. Every
 * OpenAI-compatible dialect sends them as set (a server that does not know one may refuse the request:
 * Groq and Mistral reject unknown fields); Kimi and other providers ignore them with a warning. Unset
 * settings are not sent. Immutable. For a field not here, use a request's
 * {@link dev.alfred.llm.RequestSettings} body fields.
 *
 * @param reasoningEffort  {@code reasoning_effort}: {@code none}, {@code minimal}, {@code low}, {@code medium},
 *                         {@code high}, {@code xhigh}; each model takes a subset; or null
 * @param verbosity        {@code verbosity}: {@code low}, {@code medium} or {@code high}, or null
 * @param seed             {@code seed}, best-effort determinism, or null
 * @param safetyIdentifier {@code safety_identifier}: a stable id of the end user (hash it; at most 64
 *                         characters), which replaces the deprecated {@code user}; or null
 * @param serviceTier      {@code service_tier}: {@code auto}, {@code default}, {@code flex},
 *                         {@code priority}...; or null
 * @param promptCacheKey   {@code prompt_cache_key}: groups requests that share a prefix, or null
 */
public record OpenAiOptions(String reasoningEffort, String verbosity, Long seed, String safetyIdentifier,
                            String serviceTier, String promptCacheKey) implements ProviderOptions {

    /** No OpenAI-specific settings. */
    public static final OpenAiOptions DEFAULT = new OpenAiOptions(null, null, null, null, null, null);

    /**
     * Validates the options.
     *
     * @param reasoningEffort the effort, or null
     * @param verbosity       the verbosity, or null
     * @param seed            the seed, or null
     * @param safetyIdentifier the end user's id, or null
     * @param serviceTier     the tier, or null
     * @param promptCacheKey  the cache key, or null
     * @throws IllegalArgumentException naming a setting that is blank, or a safety identifier over 64 characters
     */
    public OpenAiOptions {
        notBlank("reasoningEffort", reasoningEffort);
        notBlank("verbosity", verbosity);
        notBlank("safetyIdentifier", safetyIdentifier);
        notBlank("serviceTier", serviceTier);
        notBlank("promptCacheKey", promptCacheKey);
        if (safetyIdentifier != null && safetyIdentifier.length() > 64) {
            throw new IllegalArgumentException("safetyIdentifier must be at most 64 characters, was "
                    + safetyIdentifier.length());
        }
    }

    private static void notBlank(String name, String value) {
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    @Override
    public String providerId() {
        return OpenAiProvider.ID;
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The body fields these options add, in a fixed order, unset ones left out.
     *
     * @return the fields
     */
    Map<String, Object> bodyFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        put(fields, "reasoning_effort", reasoningEffort == null ? null : reasoningEffort.toLowerCase(Locale.ROOT));
        put(fields, "verbosity", verbosity == null ? null : verbosity.toLowerCase(Locale.ROOT));
        put(fields, "seed", seed);
        put(fields, "safety_identifier", safetyIdentifier);
        put(fields, "service_tier", serviceTier);
        put(fields, "prompt_cache_key", promptCacheKey);
        return fields;
    }

    private static void put(Map<String, Object> fields, String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    /** What every OpenAI-compatible dialect adds to a request from its {@link OpenAiOptions}. */
    static final RequestExtras EXTRAS = new RequestExtras() {
        @Override
        public Map<String, Object> bodyFields(ChatRequest request) {
            return request.options(OpenAiOptions.class).map(OpenAiOptions::bodyFields).orElse(Map.of());
        }
    };

    /** Builds {@link OpenAiOptions}; not thread-safe. */
    public static final class Builder {
        private String reasoningEffort;
        private String verbosity;
        private Long seed;
        private String safetyIdentifier;
        private String serviceTier;
        private String promptCacheKey;

        private Builder() {
        }

        /**
         * Sets {@code reasoning_effort}.
         *
         * @param effort such as {@code low}
         * @return this builder
         */
        public Builder reasoningEffort(String effort) {
            this.reasoningEffort = effort;
            return this;
        }

        /**
         * Sets {@code verbosity}.
         *
         * @param verbosity {@code low}, {@code medium} or {@code high}
         * @return this builder
         */
        public Builder verbosity(String verbosity) {
            this.verbosity = verbosity;
            return this;
        }

        /**
         * Sets {@code seed}.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets {@code safety_identifier}.
         *
         * @param id a stable, hashed id of the end user, at most 64 characters
         * @return this builder
         */
        public Builder safetyIdentifier(String id) {
            this.safetyIdentifier = id;
            return this;
        }

        /**
         * Sets {@code service_tier}.
         *
         * @param tier such as {@code flex}
         * @return this builder
         */
        public Builder serviceTier(String tier) {
            this.serviceTier = tier;
            return this;
        }

        /**
         * Sets {@code prompt_cache_key}.
         *
         * @param key the key
         * @return this builder
         */
        public Builder promptCacheKey(String key) {
            this.promptCacheKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming a setting that is invalid
         */
        public OpenAiOptions build() {
            return new OpenAiOptions(reasoningEffort, verbosity, seed, safetyIdentifier, serviceTier, promptCacheKey);
        }
    }
}
