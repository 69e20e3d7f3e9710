package dev.alfred.llm;

import java.time.Duration;

/**
 * The provider could not be reached or failed on its side: a 5xx status, a connection failure, a
 * timeout, or a stream that broke off or came back malformed before any output. Retryable.
 */
public class ProviderUnavailableException extends LlmException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message    what went wrong
     * @param providerId the provider's id, or null
     * @param httpStatus the HTTP status, or {@code <= 0} when there was none
     * @param errorType  the provider's error type, or null
     * @param retryAfter how long the provider asked to wait, or null
     * @param cause      the underlying failure, or null
     */
    public ProviderUnavailableException(String message, String providerId, int httpStatus, String errorType,
                                        Duration retryAfter, Throwable cause) {
        super(message, providerId, httpStatus, errorType, true, retryAfter, cause);
    }

    /**
     * Creates the exception with the server's trace id.
     *
     * @param message    what went wrong
     * @param providerId the provider's id, or null
     * @param httpStatus the HTTP status, or {@code <= 0}
     * @param errorType  the provider's error type, or null
     * @param retryAfter how long the provider asked to wait, or null
     * @param traceId    the server's id for the exchange, or null
     * @param cause      the underlying failure, or null
     */
    public ProviderUnavailableException(String message, String providerId, int httpStatus, String errorType,
            Duration retryAfter, String traceId, Throwable cause) {
        super(message, providerId, httpStatus, errorType, true, retryAfter, traceId, cause);
    }
}
