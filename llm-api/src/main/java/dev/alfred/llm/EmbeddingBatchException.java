package dev.alfred.llm;

/**
 * One batch of an embeddings call that was split into several failed, so the whole call failed: names
 * the inputs that batch covered. The cause is the batch's own failure (a {@link RateLimitException}, an
 * {@link InvalidRequestException} …), already retried as far as a retry decorator allows; whether to try
 * again follows it.
 */
public class EmbeddingBatchException extends LlmException {

    /** The failed batch's first input, inclusive. */
    private final int fromIndex;
    /** The index after the failed batch's last input. */
    private final int toIndex;

    /**
     * Creates the exception.
     *
     * @param batch     the failed batch's position, from 0
     * @param batches   how many batches the call had
     * @param fromIndex the batch's first input, inclusive
     * @param toIndex   the batch's last input, exclusive
     * @param cause     the batch's failure
     */
    public EmbeddingBatchException(int batch, int batches, int fromIndex, int toIndex, LlmException cause) {
        super("embedding batch " + (batch + 1) + " of " + batches + " (inputs " + fromIndex + ".." + (toIndex - 1)
                        + ") failed: " + cause.getMessage(), cause.providerId().orElse(null),
                cause.httpStatus().orElse(-1), cause.errorType().orElse(null), cause.isRetryable(),
                cause.retryAfter().orElse(null), cause.traceId().orElse(null), cause);
        this.fromIndex = fromIndex;
        this.toIndex = toIndex;
    }

    /**
     * The failed batch's first input.
     *
     * @return its index, inclusive
     */
    public int fromIndex() {
        return fromIndex;
    }

    /**
     * The end of the failed batch's inputs.
     *
     * @return the index after its last input
     */
    public int toIndex() {
        return toIndex;
    }

    /**
     * The batch's failure, whose type says what went wrong.
     *
     * @return the cause
     */
    @Override
    public synchronized LlmException getCause() {
        return (LlmException) super.getCause();
    }
}
