package dev.alfred.llm;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The root of every failure a provider reports. Unchecked: a caller that wants to react to one kind
 * catches that subtype, and {@link #isRetryable()} says whether sending the same request again may
 * succeed: the server's own word when it gave one ({@code x-should-retry}, see
 * {@link #retryDirective()}), else the library's judgement of the failure's kind. Messages never contain
 * an API key.
 */
public class LlmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The id of the provider that failed, or null. */
    private final String providerId;
    /** The HTTP status, or -1 when there was none. */
    private final int httpStatus;
    /** The provider's own error type, or null. */
    private final String errorType;
    /** Whether the same request may succeed when sent again. */
    private final boolean retryable;
    /** The wait the provider asked for, or null. */
    private final Duration retryAfter;
    /** The server's id for the failed exchange (such as Kimi's {@code x-trace-id}), or null. */
    private final String traceId;
    /** What the server said of retrying ({@code x-should-retry}), or null when it said nothing. */
    private volatile Boolean retryDirective;
    /** The other fields of the server's error, name to raw JSON, scrubbed; empty when none. */
    private volatile java.util.Map<String, String> details = java.util.Map.of();

    /**
     * A failure with every detail.
     *
     * @param message    what went wrong, for a person
     * @param providerId the provider's id (such as {@code kimi}), or null
     * @param httpStatus the HTTP status, or a value {@code <= 0} when there was none
     * @param errorType  the provider's own error type, or null
     * @param retryable  whether the same request may succeed when sent again
     * @param retryAfter how long the provider asked to wait before retrying, or null
     * @param cause      the underlying failure, or null
     */
    public LlmException(String message, String providerId, int httpStatus, String errorType,
                        boolean retryable, Duration retryAfter, Throwable cause) {
        this(message, providerId, httpStatus, errorType, retryable, retryAfter, null, cause);
    }

    /**
     * A failure with every detail, including the server's trace id.
     *
     * @param message    what went wrong, for a person
     * @param providerId the provider's id (such as {@code kimi}), or null
     * @param httpStatus the HTTP status, or a value {@code <= 0} when there was none
     * @param errorType  the provider's own error type, or null
     * @param retryable  whether the same request may succeed when sent again
     * @param retryAfter how long the provider asked to wait before retrying, or null
     * @param traceId    the server's id for the exchange, to quote to its support, or null
     * @param cause      the underlying failure, or null
     */
    public LlmException(String message, String providerId, int httpStatus, String errorType,
                        boolean retryable, Duration retryAfter, String traceId, Throwable cause) {
        super(message, cause);
        this.providerId = providerId;
        this.httpStatus = httpStatus > 0 ? httpStatus : -1;
        this.errorType = errorType;
        this.retryable = retryable;
        this.retryAfter = retryAfter == null || retryAfter.isNegative() ? null : retryAfter;
        this.traceId = traceId;
    }

    /**
     * A failure that is not retryable and has no HTTP details.
     *
     * @param message what went wrong
     * @param cause   the underlying failure, or null
     */
    public LlmException(String message, Throwable cause) {
        this(message, null, -1, null, false, null, cause);
    }

    /**
     * Whether sending the same request again may succeed: the server's directive when it gave one, else
     * the library's judgement (true for rate limits, overload and outages).
     *
     * @return true when a retry may succeed
     */
    public boolean isRetryable() {
        Boolean directive = retryDirective;
        return directive != null ? directive : retryable;
    }

    /**
     * What the server said about retrying this request, such as {@code x-should-retry: false} on a 400 or
     * {@code true} on an overload; it overrides the library's judgement in {@link #isRetryable()}, and a
     * retry decorator follows it.
     *
     * @return the server's directive, or empty when it gave none
     */
    public Optional<Boolean> retryDirective() {
        return Optional.ofNullable(retryDirective);
    }

    /**
     * Everything else the server's error said, beyond its message and type: name to raw JSON, scrubbed of
     * the key, such as {@code code}, {@code param}, Groq's {@code failed_generation} (the output it refused,
     * needed to ask for a repair) or OpenRouter's {@code metadata} (the upstream provider's own reason).
     *
     * @return the fields, in the order the server sent them; empty when none
     */
    public java.util.Map<String, String> details() {
        return details;
    }

    /**
     * Records the other fields of the server's error, once, before the exception is thrown.
     *
     * @param fields name to raw JSON, already scrubbed
     * @return this exception
     * @throws IllegalStateException if details were already recorded
     * @throws NullPointerException  if fields is null
     */
    public LlmException withDetails(java.util.Map<String, String> fields) {
        java.util.Map<String, String> copy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        synchronized (this) {
            if (!details.isEmpty()) {
                throw new IllegalStateException("the details were already recorded");
            }
            details = copy;
        }
        return this;
    }

    /**
     * Records the server's directive about retrying, once, before the exception is thrown (as
     * {@link Throwable#initCause} records a cause).
     *
     * @param shouldRetry what the server said
     * @return this exception
     * @throws IllegalStateException if a directive was already recorded
     */
    public LlmException withRetryDirective(boolean shouldRetry) {
        synchronized (this) {
            if (retryDirective != null) {
                throw new IllegalStateException("the retry directive was already recorded");
            }
            retryDirective = shouldRetry;
        }
        return this;
    }

    /**
     * The id of the provider that failed.
     *
     * @return the id, or empty when unknown
     */
    public Optional<String> providerId() {
        return Optional.ofNullable(providerId);
    }

    /**
     * The HTTP status of the failed exchange.
     *
     * @return the status, or empty when the failure had none (connection failure, stream error)
     */
    public OptionalInt httpStatus() {
        return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
    }

    /**
     * The provider's own error type, such as {@code rate_limit_reached_error}.
     *
     * @return the type, or empty when the provider gave none
     */
    public Optional<String> errorType() {
        return Optional.ofNullable(errorType);
    }

    /**
     * How long the provider asked the caller to wait before trying again.
     *
     * @return the wait, or empty when the provider did not say
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The server's id for the failed exchange (Kimi's {@code x-trace-id}, Anthropic's {@code request-id}),
     * to quote when asking the provider's support about it.
     *
     * @return the id, or empty when the server sent none or the failure came before a response
     */
    public Optional<String> traceId() {
        return Optional.ofNullable(traceId);
    }
}
