package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a Kimi error (an HTTP status with its headers and body, or an {@code error} object inside a
 * stream) into the port's exception, after the status and {@code error.type} table of the Kimi API.
 * Messages carry the provider's message and the {@code x-trace-id}; the API key is scrubbed from them.
 */
public final class ErrorMapper {

    /** The message Kimi's Coding Plan endpoint is known for when it turns a client away. */
    static final String CODING_PLAN_HINT = "the Kimi Coding Plan endpoint admits only approved coding agents"
            + " (Kimi CLI, Claude Code, Roo Code…) and its terms forbid faking one: use the Open Platform"
            + " (https://api.moonshot.ai/v1) with an Open Platform key";

    private static final int SNIPPET = 200;

    private final String providerId;
    private final String apiKey;
    private final Clock clock;
    private final ChunkDecoder decoder = new ChunkDecoder();

    /**
     * Creates a mapper.
     *
     * @param providerId the provider id for the exceptions
     * @param apiKey     the key to scrub from every message
     * @param clock      the clock that turns an HTTP-date Retry-After into a wait
     */
    public ErrorMapper(String providerId, String apiKey, Clock clock) {
        this.providerId = providerId;
        this.apiKey = apiKey;
        this.clock = clock;
    }

    /**
     * Maps an HTTP error response.
     *
     * @param status  the status
     * @param headers the response headers
     * @param body    the (possibly cut) body
     * @param length  how many bytes of body are valid
     * @return the exception to throw
     */
    public LlmException fromResponse(int status, HttpHeaders headers, byte[] body, int length) {
        String type = null;
        String message = null;
        if (length > 0) {
            try {
                Chunk c = decoder.decode(body, 0, length);
                if (c.isError()) {
                    type = c.errorType();
                    message = c.errorMessage();
                }
            } catch (MalformedChunkException notJson) {
                message = null;
            }
            if (message == null) {
                message = "non-JSON body: " + snippet(body, length);
            }
        } else {
            message = "empty body";
        }
        Optional<String> traceId = headers.firstValue("x-trace-id");
        Duration retryAfter = retryAfter(headers);
        return map(status, type, message, traceId.orElse(null), retryAfter);
    }

    /**
     * Maps an {@code error} object that arrived as a stream event.
     *
     * @param chunk the decoded event
     * @param traceId the response's trace id, or null
     * @return the exception to throw
     */
    public LlmException fromStreamError(Chunk chunk, String traceId) {
        String type = chunk.errorType() != null ? chunk.errorType() : chunk.errorCode();
        String message = "error event in stream: " + (chunk.errorMessage() == null ? "(no message)" : chunk.errorMessage());
        String text = describe(-1, type, message, traceId);
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (t.contains("overload") || t.contains("rate_limit")) {
            return new RateLimitException(text, providerId, -1, type, null, null);
        }
        if (t.contains("quota")) {
            return new QuotaExceededException(text, providerId, -1, type, null);
        }
        if (t.contains("content_filter") || t.contains("invalid_request")) {
            return new InvalidRequestException(text, providerId, -1, type, null);
        }
        if (t.contains("auth")) {
            return new AuthenticationException(text, providerId, -1, type, null);
        }
        // server_error, stream_failure and unknown kinds: a broken exchange that a new one may not repeat.
        return new ProviderUnavailableException(text, providerId, -1, type, null, null);
    }

    LlmException map(int status, String type, String providerMessage, String traceId, Duration retryAfter) {
        String text = describe(status, type, providerMessage, traceId);
        String t = type == null ? "" : type;
        switch (status) {
            case 400:
            case 404:
            case 413:
            case 422:
                return new InvalidRequestException(text, providerId, status, type, null);
            case 401:
                return new AuthenticationException(text, providerId, status, type, null);
            case 402:
                return new QuotaExceededException(text, providerId, status, type, null);
            case 403:
                if (t.equals("access_terminated_error")) {
                    if (providerMessage.toLowerCase(Locale.ROOT).contains("usage limit")) {
                        return new QuotaExceededException(text, providerId, status, type, null);
                    }
                    return new AuthenticationException(text + "; " + CODING_PLAN_HINT, providerId, status, type, null);
                }
                return new AuthenticationException(text, providerId, status, type, null);
            case 429:
                if (t.equals("exceeded_current_quota_error") || providerMessage.contains("suspended")) {
                    return new QuotaExceededException(text, providerId, status, type, null);
                }
                return new RateLimitException(text, providerId, status, type, retryAfter, null);
            case 408:
            case 409:
            case 499:
                return new ProviderUnavailableException(text, providerId, status, type, retryAfter, null);
            default:
                if (status >= 500) {
                    return new ProviderUnavailableException(text, providerId, status, type, retryAfter, null);
                }
                if (status >= 400) {
                    return new InvalidRequestException(text, providerId, status, type, null);
                }
                return new LlmException(text, providerId, status, type, false, null, null);
        }
    }

    /**
     * A message for an exception, with the provider id, status, type and trace id, and the key scrubbed.
     *
     * @param status  the HTTP status, or {@code <= 0}
     * @param type    the provider's error type, or null
     * @param message what went wrong
     * @param traceId the trace id, or null
     * @return the message
     */
    public String describe(int status, String type, String message, String traceId) {
        StringBuilder sb = new StringBuilder(providerId).append(": ");
        if (status > 0) {
            sb.append("HTTP ").append(status).append(' ');
        }
        if (type != null) {
            sb.append(type).append(": ");
        } else if (status > 0) {
            sb.append("- ");
        }
        sb.append(message);
        if (traceId != null) {
            sb.append(" (x-trace-id ").append(traceId).append(')');
        }
        return scrub(sb.toString());
    }

    /**
     * Replaces the API key, wherever it appears, with {@code ****}.
     *
     * @param text any text
     * @return the text without the key
     */
    public String scrub(String text) {
        if (apiKey == null || apiKey.isEmpty() || text == null) {
            return text;
        }
        return text.replace(apiKey, "****");
    }

    Duration retryAfter(HttpHeaders headers) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                double v = Double.parseDouble(ms.get().strip());
                if (v >= 0 && Double.isFinite(v)) {
                    return Duration.ofNanos((long) (v * 1_000_000));
                }
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        Optional<String> ra = headers.firstValue("retry-after");
        if (ra.isEmpty()) {
            return null;
        }
        String v = ra.get().strip();
        try {
            double seconds = Double.parseDouble(v);
            return seconds >= 0 && Double.isFinite(seconds) ? Duration.ofMillis((long) (seconds * 1000)) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private String snippet(byte[] body, int length) {
        String s = new String(body, 0, Math.min(length, SNIPPET * 4), StandardCharsets.UTF_8)
                .replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        return s.length() > SNIPPET ? s.substring(0, SNIPPET) + "…" : s;
    }
}
