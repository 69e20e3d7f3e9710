package dev.alfred.llm;

/**
 * The account has no balance or quota left, or is suspended. Not retryable: waiting does not help, a top-up does.
 */
public class QuotaExceededException extends LlmException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message    what went wrong
     * @param providerId the provider's id, or null
     * @param httpStatus the HTTP status (usually 429 or 402), or {@code <= 0}
     * @param errorType  the provider's error type, or null
     * @param cause      the underlying failure, or null
     */
    public QuotaExceededException(String message, String providerId, int httpStatus, String errorType, Throwable cause) {
        super(message, providerId, httpStatus, errorType, false, null, cause);
    }

    /**
     * Creates the exception with the server's trace id.
     *
     * @param message    what went wrong
     * @param providerId the provider's id, or null
     * @param httpStatus the HTTP status, or {@code <= 0}
     * @param errorType  the provider's error type, or null
     * @param traceId    the server's id for the exchange, or null
     * @param cause      the underlying failure, or null
     */
    public QuotaExceededException(String message, String providerId, int httpStatus, String errorType, String traceId,
            Throwable cause) {
        super(message, providerId, httpStatus, errorType, false, null, traceId, cause);
    }
}
