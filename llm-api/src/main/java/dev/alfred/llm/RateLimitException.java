package dev.alfred.llm;

import java.time.Duration;

/**
 * The provider refused the call for now: too many requests, tokens or concurrent calls, or the
 * engine is overloaded. Retryable, ideally after {@link #retryAfter()}.
 */
public class RateLimitException extends LlmException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message    what went wrong
     * @param providerId the provider's id, or null
     * @param httpStatus the HTTP status (usually 429), or {@code <= 0}
     * @param errorType  the provider's error type, or null
     * @param retryAfter how long the provider asked to wait, or null
     * @param cause      the underlying failure, or null
     */
    public RateLimitException(String message, String providerId, int httpStatus, String errorType,
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
    public RateLimitException(String message, String providerId, int httpStatus, String errorType,
            Duration retryAfter, String traceId, Throwable cause) {
        super(message, providerId, httpStatus, errorType, true, retryAfter, traceId, cause);
    }
}
