package dev.alfred.llm;

/**
 * The prompt plus the requested output do not fit the model's context window, as the server said.
 * Not retryable as is: shorten the conversation or lower {@code maxTokens}.
 */
public class ContextWindowExceededException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message    what the server said, scrubbed
     * @param providerId the provider
     * @param httpStatus the HTTP status, or -1
     * @param errorType  the server's error type, or null
     * @param traceId    the server's trace id, or null
     * @param cause      the cause, or null
     */
    public ContextWindowExceededException(String message, String providerId, int httpStatus, String errorType,
                                          String traceId, Throwable cause) {
        super(message, providerId, httpStatus, errorType, traceId, cause);
    }
}
