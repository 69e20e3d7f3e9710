package dev.alfred.llm;

import java.nio.charset.StandardCharsets;

/**
 * How much one embeddings request to a server may carry, and how many such requests a call may have in
 * flight at once. A call with more inputs is split into batches within these limits, sent with at most
 * {@code concurrency} in flight, and reassembled in input order.
 *
 * <p>Tokens are bounded without a tokenizer: a byte-level BPE token covers at least one UTF-8 byte, so an
 * input's UTF-8 length is an upper bound of its token count, and a batch bounded by bytes is within the
 * server's token limit.
 *
 * @param maxInputs   the most inputs one request may hold (OpenAI: 2,048; Voyage AI: 1,000)
 * @param maxTokens   the most tokens, summed over inputs, one request may hold (OpenAI: 300,000)
 * @param concurrency the most requests of one call in flight at once
 */
public record EmbeddingLimits(int maxInputs, long maxTokens, int concurrency) {

    /** No limit a server documents, one request at a time: for servers whose limits are unknown. */
    public static final EmbeddingLimits NONE = new EmbeddingLimits(Integer.MAX_VALUE, Long.MAX_VALUE, 1);

    /**
     * Validates the limits.
     *
     * @param maxInputs   the inputs per request
     * @param maxTokens   the tokens per request
     * @param concurrency the requests in flight
     * @throws IllegalArgumentException if a limit is not positive
     */
    public EmbeddingLimits {
        if (maxInputs <= 0 || maxTokens <= 0 || concurrency <= 0) {
            throw new IllegalArgumentException("embedding limits must be positive: maxInputs=" + maxInputs
                    + ", maxTokens=" + maxTokens + ", concurrency=" + concurrency);
        }
    }

    /**
     * These limits with another concurrency.
     *
     * @param concurrency the requests of one call in flight at once
     * @return the limits
     * @throws IllegalArgumentException if concurrency is not positive
     */
    public EmbeddingLimits withConcurrency(int concurrency) {
        return new EmbeddingLimits(maxInputs, maxTokens, concurrency);
    }

    /**
     * An upper bound of an input's tokens: its UTF-8 length in bytes.
     *
     * @param input the input
     * @return the bound
     */
    public static long tokenBound(EmbeddingInput input) {
        String text = ((EmbeddingInput.Text) input).text();
        int ascii = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (text.charAt(i) < 0x80) {
                ascii++;
            }
        }
        return ascii == n ? n : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
