package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ContextWindowExceededException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a Kimi error (an HTTP status with its headers and body, or an {@code error} object inside a
 * stream) into the port's exception, after the status and {@code error.type} table of the Kimi API.
 *
 * <p>Every string that came from the server (message, type, trace id, a body snippet) is scrubbed of
 * the API key first and bounded second, so that neither a key echoed back nor a key cut in half by a
 * bound survives; the server's text is kept to about {@value #MAX_SERVER_TEXT} characters, then
 * {@code … (N more characters)}. The trace id is a field of the exception as well as part of its
 * message. Thread-safe.
 */
public final class ErrorMapper {

    /** The message Kimi's Coding Plan endpoint is known for when it turns a client away. */
    static final String CODING_PLAN_HINT = "the Kimi Coding Plan endpoint admits only approved coding agents"
            + " (Kimi CLI, Claude Code, Roo Code…) and its terms forbid faking one: use the Open Platform"
            + " (https://api.moonshot.ai/v1) with an Open Platform key";

    /** The most characters of the server's own text an exception message keeps. */
    public static final int MAX_SERVER_TEXT = 1024;
    /** The most characters of a short server field (error type, trace id). */
    static final int MAX_FIELD = 200;
    /**
     * The wait carried when a server asks for one too long to represent (a 400-digit Retry-After):
     * the longest {@link Duration} every conversion ({@code toNanos}, {@code toMillis}) accepts.
     */
    public static final Duration LONGEST_WAIT = Duration.ofNanos(Long.MAX_VALUE);

    /** delta-seconds (RFC 9110), allowing a fraction as some servers send; no sign, no exponent. */
    private static final Pattern SECONDS = Pattern.compile("(\\d+)(?:\\.(\\d+))?");
    private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final String providerId;
    private final SecretScrubber scrubber;
    private final Clock clock;
    private final ChunkDecoder decoder = new ChunkDecoder();

    /**
     * Creates a mapper.
     *
     * @param providerId the provider id for the exceptions
     * @param apiKey     the key to scrub from every message and field
     * @param clock      the clock that turns an HTTP-date Retry-After into a wait
     */
    public ErrorMapper(String providerId, String apiKey, Clock clock) {
        this.providerId = providerId;
        this.scrubber = new SecretScrubber(apiKey);
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
                    type = c.errorType() != null ? c.errorType() : c.errorCode();
                    message = c.errorMessage();
                }
            } catch (MalformedChunkException notJson) {
                message = null;
            }
            if (message == null) {
                message = "non-JSON body: " + bodyText(body, length, headers.firstValue("content-type").orElse(""));
            }
        } else {
            message = "empty body";
        }
        return map(status, type, message, traceId(headers), retryAfter(headers));
    }

    /**
     * Maps an {@code error} object that arrived as a stream event (or as the body of a 200 response).
     *
     * @param chunk the decoded event
     * @param traceId the response's trace id (already scrubbed), or null
     * @return the exception to throw
     */
    public LlmException fromStreamError(Chunk chunk, String traceId) {
        String type = field(chunk.errorType() != null ? chunk.errorType() : chunk.errorCode());
        return fromStreamError(type, chunk.errorMessage() == null ? "(no message)" : chunk.errorMessage(), traceId);
    }

    /**
     * Maps a stream error by its type: overload and rate limits are retryable rate limits; quota,
     * content filter, invalid request and authentication are not retryable; everything else
     * ({@code server_error}, unknown or no type) is a retryable unavailability.
     *
     * @param type    the error's type (already scrubbed), or null
     * @param message the server's message, not yet scrubbed
     * @param traceId the response's trace id (already scrubbed), or null
     * @return the exception to throw
     */
    public LlmException fromStreamError(String type, String message, String traceId) {
        String text = describe(-1, type, "error event in stream: " + message, traceId);
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (t.contains("overload") || t.contains("rate_limit")) {
            return new RateLimitException(text, providerId, -1, type, null, traceId, null);
        }
        if (t.contains("quota")) {
            return new QuotaExceededException(text, providerId, -1, type, traceId, null);
        }
        if (t.contains("content_filter") || t.contains("invalid_request")) {
            return new InvalidRequestException(text, providerId, -1, type, traceId, null);
        }
        if (t.contains("auth")) {
            return new AuthenticationException(text, providerId, -1, type, traceId, null);
        }
        // server_error, stream_failure and unknown kinds: a broken exchange that a new one may not repeat.
        return new ProviderUnavailableException(text, providerId, -1, type, null, traceId, null);
    }

    /**
     * Whether a 400's text says the prompt and the requested output do not fit the context: Kimi says
     * "Your request exceeded model token limit" or "Input token length too long" (kimi-api.md §5).
     */
    static boolean exceedsContext(String providerMessage) {
        String m = providerMessage == null ? "" : providerMessage.toLowerCase(Locale.ROOT);
        return m.contains("exceeded model token limit") || m.contains("input token length too long")
                || m.contains("context length") || m.contains("context window");
    }

    LlmException map(int status, String rawType, String providerMessage, String traceId, Duration retryAfter) {
        String type = field(rawType);
        String text = describe(status, type, providerMessage, traceId);
        String t = type == null ? "" : type;
        switch (status) {
            case 400:
                if (exceedsContext(providerMessage)) {
                    return new ContextWindowExceededException(text, providerId, status, type, traceId, null);
                }
                return new InvalidRequestException(text, providerId, status, type, traceId, null);
            case 404:
            case 413:
            case 422:
                return new InvalidRequestException(text, providerId, status, type, traceId, null);
            case 401:
                return new AuthenticationException(text, providerId, status, type, traceId, null);
            case 402:
                return new QuotaExceededException(text, providerId, status, type, traceId, null);
            case 403:
                if (t.equals("access_terminated_error")) {
                    if (providerMessage.toLowerCase(Locale.ROOT).contains("usage limit")) {
                        return new QuotaExceededException(text, providerId, status, type, traceId, null);
                    }
                    return new AuthenticationException(text + "; " + CODING_PLAN_HINT, providerId, status, type,
                            traceId, null);
                }
                return new AuthenticationException(text, providerId, status, type, traceId, null);
            case 429:
                if (t.equals("exceeded_current_quota_error") || providerMessage.contains("suspended")) {
                    return new QuotaExceededException(text, providerId, status, type, traceId, null);
                }
                return new RateLimitException(text, providerId, status, type, retryAfter, traceId, null);
            case 408:
            case 409:
            case 499:
                return new ProviderUnavailableException(text, providerId, status, type, retryAfter, traceId, null);
            default:
                if (status >= 500) {
                    return new ProviderUnavailableException(text, providerId, status, type, retryAfter, traceId, null);
                }
                if (status >= 400) {
                    return new InvalidRequestException(text, providerId, status, type, traceId, null);
                }
                return new LlmException(text, providerId, status, type, false, null, traceId, null);
        }
    }

    /**
     * A message for an exception: the provider id, status, type, the server's text (scrubbed, then
     * bounded to {@value #MAX_SERVER_TEXT} characters) and the trace id.
     *
     * @param status  the HTTP status, or {@code <= 0}
     * @param type    the provider's error type (already scrubbed), or null
     * @param message what went wrong; may hold server text
     * @param traceId the trace id (already scrubbed), or null
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
        sb.append(scrubber.scrubAndBound(message, MAX_SERVER_TEXT));
        if (traceId != null) {
            sb.append(" (x-trace-id ").append(traceId).append(')');
        }
        return scrubber.scrub(sb.toString());
    }

    /**
     * Removes the API key, and every run of 8 or more of its characters, from text.
     *
     * @param text any text
     * @return the text without the key
     */
    public String scrub(String text) {
        return scrubber.scrub(text);
    }

    /**
     * The response's {@code x-trace-id}, scrubbed and bounded.
     *
     * @param headers the response headers
     * @return the trace id, or null
     */
    public String traceId(HttpHeaders headers) {
        return field(headers.firstValue("x-trace-id").orElse(null));
    }

    private String field(String value) {
        return value == null ? null : scrubber.scrubAndBound(value, MAX_FIELD);
    }

    /**
     * The wait a response asks for: {@code retry-after-ms} (milliseconds) first, then
     * {@code Retry-After} as delta-seconds or an HTTP-date (a past date is no wait). A number too large
     * to represent is {@link #LONGEST_WAIT}, "too long", never "absent"; anything else malformed is
     * absent.
     *
     * @param headers the response headers
     * @return the wait, or null when the response asked for none
     */
    Duration retryAfter(HttpHeaders headers) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            Duration d = number(ms.get().strip(), 1_000_000L);
            if (d != null) {
                return d;
            }
        }
        Optional<String> ra = headers.firstValue("retry-after");
        if (ra.isEmpty()) {
            return null;
        }
        String v = ra.get().strip();
        Duration seconds = number(v, 1_000_000_000L);
        if (seconds != null) {
            return seconds;
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    /** A non-negative decimal number of units, saturating at {@link #LONGEST_WAIT}; null if not one. */
    static Duration number(String text, long nanosPerUnit) {
        Matcher m = SECONDS.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String whole = m.group(1).replaceFirst("^0+(?=\\d)", "");
        if (whole.length() > 15) {
            return LONGEST_WAIT;
        }
        double units = Double.parseDouble(m.group(2) == null ? whole : whole + "." + m.group(2));
        double nanos = units * nanosPerUnit;
        return nanos >= Long.MAX_VALUE ? LONGEST_WAIT : Duration.ofNanos((long) nanos);
    }

    /**
     * A body that is not a JSON error, as readable text: an HTML page's title, or its text. It goes into
     * a message only through {@link #describe}, which scrubs it and then bounds it.
     */
    private static String bodyText(byte[] body, int length, String contentType) {
        String s = new String(body, 0, length, StandardCharsets.UTF_8);
        boolean html = contentType.toLowerCase(Locale.ROOT).contains("html")
                || s.regionMatches(true, 0, "<!doctype html", 0, 14) || s.regionMatches(true, 0, "<html", 0, 5);
        if (html) {
            Matcher title = TITLE.matcher(s);
            s = title.find() ? title.group(1) : s.replaceAll("<[^>]*>", " ");
        }
        return s.replaceAll("\\s+", " ").strip();
    }
}
