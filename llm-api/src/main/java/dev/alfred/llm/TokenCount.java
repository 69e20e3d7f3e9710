package dev.alfred.llm;

/**
 * The tokens a request would take as input, and how they were counted.
 *
 * @param tokens the count
 * @param kind   how it was counted: by the server, by the model's tokenizer, or estimated
 * @param method what counted it, for people: an endpoint, an encoding, or the estimate's rule
 */
public record TokenCount(long tokens, Kind kind, String method) {

    /** How a count was made, from most to least exact. */
    public enum Kind {
        /**
         * The server's own count endpoint (Anthropic's {@code count_tokens}, Kimi's estimate endpoint): the
         * server's tokenizer on the whole request; servers still call it an estimate, within a few tokens.
         */
        SERVER,
        /** The model's tokenizer run locally, plus the documented per-message framing: within a few tokens. */
        TOKENIZER,
        /** A documented rule of thumb where no exact count exists: an estimate, possibly off by a third. */
        ESTIMATE
    }

    /**
     * Validates the count.
     *
     * @param tokens the count
     * @param kind   the kind
     * @param method the method
     * @throws IllegalArgumentException if tokens is negative, or kind or method is null or method blank
     */
    public TokenCount {
        if (tokens < 0) {
            throw new IllegalArgumentException("a token count must not be negative, not " + tokens);
        }
        if (kind == null || method == null || method.isBlank()) {
            throw new IllegalArgumentException("a token count needs its kind and method");
        }
    }

    /**
     * Whether this count is a rule of thumb rather than a tokenizer's.
     *
     * @return true for {@link Kind#ESTIMATE}
     */
    public boolean isEstimate() {
        return kind == Kind.ESTIMATE;
    }
}
