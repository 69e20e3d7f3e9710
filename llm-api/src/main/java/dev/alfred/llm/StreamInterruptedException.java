package dev.alfred.llm;

/**
 * A stream failed after part of the answer had come. It keeps that partial answer (text, reasoning
 * and the tool calls so far, each of them {@code TRUNCATED} unless it had ended), so nothing is
 * silently lost or repeated; the cause says what broke. Not retryable in place: the request can only
 * be sent again as a whole, and {@code getCause()} tells whether that may help.
 */
public class StreamInterruptedException extends LlmException {

    private static final long serialVersionUID = 1L;

    /** What had come before the failure; not kept when the exception is serialised. */
    private final transient ChatResponse partialResponse;

    /**
     * Creates the exception.
     *
     * @param partialResponse what had come before the failure, never null
     * @param cause           what broke the stream, never null
     * @throws NullPointerException if an argument is null
     */
    public StreamInterruptedException(ChatResponse partialResponse, LlmException cause) {
        super("stream interrupted after " + partialResponse.content().length() + " chars of text, "
                        + partialResponse.reasoning().length() + " chars of reasoning and "
                        + partialResponse.toolCalls().size() + " tool calls: " + cause.getMessage(),
                cause.providerId().orElse(null), cause.httpStatus().orElse(-1), cause.errorType().orElse(null),
                false, null, cause.traceId().orElse(null), cause);
        this.partialResponse = partialResponse;
    }

    /**
     * What had come before the failure: text, reasoning, tool calls (open ones {@code TRUNCATED}), and
     * whatever model or usage was reported.
     *
     * @return the partial response; an empty one after the exception was deserialised
     */
    public ChatResponse partialResponse() {
        return partialResponse != null ? partialResponse : new ResponseAccumulator().partialResponse();
    }

    /**
     * The answer text that came before the failure.
     *
     * @return the partial text, possibly empty
     */
    public String partialContent() {
        return partialResponse().content();
    }

    /**
     * The reasoning that came before the failure.
     *
     * @return the partial reasoning, possibly empty
     */
    public String partialReasoning() {
        return partialResponse().reasoning();
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
