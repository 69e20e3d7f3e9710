package dev.alfred.llm.openai.dialect;

import dev.alfred.llm.EmbeddingLimits;

import java.util.Map;
import java.util.Objects;

/**
 * What one OpenAI-compatible server does with embeddings ({@code POST {base}/embeddings}), written once,
 * in its {@link Dialect}: whether it has them at all (and if not, what to use instead), the default model,
 * whether it sends vectors as base64 when asked ({@code encoding_format: base64}), the names of the
 * dimensions and input-type fields, and its documented per-request limits. Immutable and thread-safe.
 *
 * @param refusal          why the server has no embeddings and what to use instead, or null when it has them
 * @param path             the path below the base URL, such as {@code embeddings}
 * @param defaultModel     the model when neither the client nor the request names one, or null when one must
 * @param base64           whether the server answers {@code encoding_format: base64} with little-endian float32
 * @param dimensionsField  the field that asks for shorter vectors ({@code dimensions}, Voyage's and
 *                         Mistral's {@code output_dimension}), or null when the server cannot shorten them
 * @param inputTypeField   the field that says query or document ({@code input_type}), or null when the server
 *                         does not distinguish them (the request's input type is then not sent)
 * @param maxInputs        the most inputs one request may hold
 * @param maxTokens        the most tokens, summed over inputs, one request may hold, for a model not in
 *                         {@code maxTokensByModel}
 * @param maxTokensByModel the token total per request of the models whose limit differs, by exact id
 */
public record EmbeddingRules(String refusal, String path, String defaultModel, boolean base64, String dimensionsField,
                             String inputTypeField, int maxInputs, long maxTokens, Map<String, Long> maxTokensByModel) {

    /** A server with embeddings but no documented limits: OpenAI's fields, base64, any number of inputs. */
    public static final EmbeddingRules UNLIMITED = builder().build();

    /**
     * Validates the rules.
     *
     * @param refusal          the refusal, or null
     * @param path             the path
     * @param defaultModel     the default model, or null
     * @param base64           whether base64 is answered
     * @param dimensionsField  the dimensions field, or null
     * @param inputTypeField   the input-type field, or null
     * @param maxInputs        the most inputs per request
     * @param maxTokens        the most tokens per request
     * @param maxTokensByModel the limits per model, or null for none
     * @throws IllegalArgumentException if the path is blank, a limit is not positive, or a field name is blank
     */
    public EmbeddingRules {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("an embeddings path must not be blank");
        }
        if (maxInputs <= 0 || maxTokens <= 0) {
            throw new IllegalArgumentException("embedding limits must be positive: maxInputs=" + maxInputs
                    + ", maxTokens=" + maxTokens);
        }
        if (refusal != null && refusal.isBlank() || dimensionsField != null && dimensionsField.isBlank()
                || inputTypeField != null && inputTypeField.isBlank()) {
            throw new IllegalArgumentException("a refusal or field name must not be blank; leave it null instead");
        }
        maxTokensByModel = maxTokensByModel == null ? Map.of() : Map.copyOf(maxTokensByModel);
        for (Map.Entry<String, Long> e : maxTokensByModel.entrySet()) {
            if (e.getValue() <= 0) {
                throw new IllegalArgumentException("the token limit of " + e.getKey() + " must be positive");
            }
        }
    }

    /**
     * A server without embeddings.
     *
     * @param refusal what it lacks and what to use instead, for the {@link dev.alfred.llm.UnsupportedFeatureException}
     * @return the rules
     * @throws IllegalArgumentException if the refusal is null or blank
     */
    public static EmbeddingRules none(String refusal) {
        if (refusal == null) {
            throw new IllegalArgumentException("say why the server has no embeddings and what to use instead");
        }
        return builder().refusal(refusal).build();
    }

    /**
     * A builder that starts at OpenAI's fields, base64, no default model and no limits.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the server has embeddings.
     *
     * @return true unless there is a refusal
     */
    public boolean supported() {
        return refusal == null;
    }

    /**
     * The per-request limits for a model, with a concurrency.
     *
     * @param model       the model the request goes to
     * @param concurrency the requests of one call in flight at once
     * @return the limits
     * @throws IllegalArgumentException if concurrency is not positive
     */
    public EmbeddingLimits limits(String model, int concurrency) {
        Long perModel = model == null ? null : maxTokensByModel.get(model);
        return new EmbeddingLimits(maxInputs, perModel != null ? perModel : maxTokens, concurrency);
    }

    /** Builds {@link EmbeddingRules}; not thread-safe. */
    public static final class Builder {
        private String refusal;
        private String path = "embeddings";
        private String defaultModel;
        private boolean base64 = true;
        private String dimensionsField = "dimensions";
        private String inputTypeField;
        private int maxInputs = Integer.MAX_VALUE;
        private long maxTokens = Long.MAX_VALUE;
        private Map<String, Long> maxTokensByModel = Map.of();

        private Builder() {
        }

        /**
         * @param refusal why the server has no embeddings and what to use instead, or null
         * @return this builder
         */
        public Builder refusal(String refusal) {
            this.refusal = refusal;
            return this;
        }

        /**
         * @param path the path below the base URL (default {@code embeddings})
         * @return this builder
         */
        public Builder path(String path) {
            this.path = path;
            return this;
        }

        /**
         * @param model the default model, or null
         * @return this builder
         */
        public Builder defaultModel(String model) {
            this.defaultModel = model;
            return this;
        }

        /**
         * @param supported whether the server answers {@code encoding_format: base64} (default true)
         * @return this builder
         */
        public Builder base64(boolean supported) {
            this.base64 = supported;
            return this;
        }

        /**
         * @param field the field that asks for shorter vectors (default {@code dimensions}), or null for none
         * @return this builder
         */
        public Builder dimensionsField(String field) {
            this.dimensionsField = field;
            return this;
        }

        /**
         * @param field the field that says query or document, or null (the default) for none
         * @return this builder
         */
        public Builder inputTypeField(String field) {
            this.inputTypeField = field;
            return this;
        }

        /**
         * @param maxInputs the most inputs per request
         * @param maxTokens the most tokens per request, for models without their own limit
         * @return this builder
         */
        public Builder limits(int maxInputs, long maxTokens) {
            this.maxInputs = maxInputs;
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * @param limits the token total per request of the models whose limit differs, by exact id
         * @return this builder
         */
        public Builder maxTokensByModel(Map<String, Long> limits) {
            this.maxTokensByModel = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @return the rules
         * @throws IllegalArgumentException if a setting is invalid
         */
        public EmbeddingRules build() {
            return new EmbeddingRules(refusal, path, defaultModel, base64, dimensionsField, inputTypeField, maxInputs,
                    maxTokens, maxTokensByModel);
        }
    }
}
