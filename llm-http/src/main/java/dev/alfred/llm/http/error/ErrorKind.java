package dev.alfred.llm.http.error;

/**
 * What an error means, before it becomes one of the port's exceptions: {@link ErrorRules} return one
 * to override the standard table of {@link ErrorMapper}.
 */
public enum ErrorKind {
    /** The request is wrong; not retryable ({@code InvalidRequestException}). */
    INVALID_REQUEST,
    /** The prompt and the output do not fit the context window ({@code ContextWindowExceededException}). */
    CONTEXT_WINDOW_EXCEEDED,
    /** The key is wrong or lacks permission ({@code AuthenticationException}). */
    AUTHENTICATION,
    /** Credit or quota is used up; not retryable ({@code QuotaExceededException}). */
    QUOTA_EXCEEDED,
    /** Too many requests, or the server is overloaded; retryable ({@code RateLimitException}). */
    RATE_LIMITED,
    /** The server failed or is unavailable; retryable ({@code ProviderUnavailableException}). */
    UNAVAILABLE
}
