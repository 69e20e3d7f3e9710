package dev.alfred.llm;

/**
 * A stream failed after part of the answer had reached the caller. It keeps that partial output, so
 * nothing is silently lost or repeated; the cause says what broke. Not retryable in place: the
 * request can only be sent again as a whole, and {@code getCause()} tells whether that may help.
 */
public class StreamInterruptedException extends LlmException {

    private static final long serialVersionUID = 1L;

    /** The answer text delivered before the failure. */
    private final String partialContent;
    /** The reasoning delivered before the failure. */
    private final String partialReasoning;

    /**
     * Creates the exception.
     *
     * @param partialContent   the answer text delivered before the failure, never null
     * @param partialReasoning the reasoning delivered before the failure, never null
     * @param cause            what broke the stream, never null
     * @throws NullPointerException if an argument is null
     */
    public StreamInterruptedException(String partialContent, String partialReasoning, LlmException cause) {
        super("stream interrupted after " + partialContent.length() + " chars of text and "
                        + partialReasoning.length() + " chars of reasoning: " + cause.getMessage(),
                cause.providerId().orElse(null), cause.httpStatus().orElse(-1), cause.errorType().orElse(null),
                false, null, cause.traceId().orElse(null), cause);
        this.partialContent = partialContent;
        this.partialReasoning = partialReasoning;
    }

    /**
     * The answer text that reached the caller before the failure.
     *
     * @return the partial text, possibly empty
     */
    public String partialContent() {
        return partialContent;
    }

    /**
     * The reasoning that reached the caller before the failure.
     *
     * @return the partial reasoning, possibly empty
     */
    public String partialReasoning() {
        return partialReasoning;
    }

    /**
     * The failure that broke the stream.
     *
     * @return the cause
     */
    @Override
    public synchronized LlmException getCause() {
        return (LlmException) super.getCause();
    }
}
