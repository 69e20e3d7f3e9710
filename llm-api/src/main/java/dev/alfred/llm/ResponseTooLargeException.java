package dev.alfred.llm;

/**
 * An answer went past a bound the library keeps ({@link ResponseLimits}) so a runaway or hostile server
 * cannot exhaust memory: text or reasoning too long, too many tool calls, a call's arguments too long,
 * or a body too large. Not retryable: the same request would fail the same way after being billed again.
 * The message names the bound and how to raise it; {@link #partialResponse()} keeps what came before.
 */
public class ResponseTooLargeException extends LlmException {

    private static final long serialVersionUID = 1L;

    /** What the answer held when the bound was passed, or null. */
    private final transient ChatResponse partial;

    /**
     * Creates the exception.
     *
     * @param message    which bound, and by how much
     * @param providerId the provider, or null
     */
    public ResponseTooLargeException(String message, String providerId) {
        this(message, providerId, null);
    }

    /**
     * Creates the exception with what the answer held so far.
     *
     * @param message    which bound, and by how much
     * @param providerId the provider, or null
     * @param partial    the answer up to the bound, or null when none was folded
     */
    public ResponseTooLargeException(String message, String providerId, ChatResponse partial) {
        super(message, providerId, -1, null, false, null, null);
        this.partial = partial;
    }

    /**
     * What the answer held when the bound was passed: its text, reasoning and tool calls up to there.
     *
     * @return the partial answer, or empty when none was folded (a body over its bound)
     */
    public java.util.Optional<ChatResponse> partialResponse() {
        return java.util.Optional.ofNullable(partial);
    }
}
