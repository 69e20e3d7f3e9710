package dev.alfred.llm;

/**
 * The provider rejected the request itself: a bad parameter, a prompt longer than the model's context, content the provider filters, an unknown model. Not retryable: the request must change.
 */
public class InvalidRequestException extends LlmException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message    what went wrong
     * @param providerId the provider's id, or null
     * @param httpStatus the HTTP status (usually 400, 404 or 413), or {@code <= 0}
     * @param errorType  the provider's error type, or null
     * @param cause      the underlying failure, or null
     */
    public InvalidRequestException(String message, String providerId, int httpStatus, String errorType, Throwable cause) {
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
    public InvalidRequestException(String message, String providerId, int httpStatus, String errorType, String traceId,
            Throwable cause) {
        super(message, providerId, httpStatus, errorType, false, null, traceId, cause);
    }
}
