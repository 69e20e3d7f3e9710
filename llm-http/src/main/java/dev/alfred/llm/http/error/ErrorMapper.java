package dev.alfred.llm.http.error;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ContextWindowExceededException;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.spi.SecretScrubber;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an LLM server's error (an HTTP status with its headers and body, or an error inside a stream)
 * into the port's exception. The standard table follows what the OpenAI and Anthropic SDKs retry:
 * 400/404/413/422 and other 4xx are invalid requests (400 naming the context window is
 * {@link ContextWindowExceededException}), 401 and 403 authentication, 402 quota, 429 and any
 * {@code overloaded} type (Anthropic's 529) rate limits, 408/409/499 and 5xx unavailability; a
 * provider's {@link ErrorRules} are asked first.
 *
 * <p>Every string that came from the server (message, type, request id, a body snippet) is scrubbed of
 * the API key first and bounded second, so that neither a key echoed back nor a key cut in half by a
 * bound survives; the server's text is kept to about {@value #MAX_SERVER_TEXT} characters, then
 * {@code … (N more characters)}. The request id is a field of the exception as well as part of its
 * message, named by the header it came in. Thread-safe.
 */
public final class ErrorMapper {

    /** The most characters of the server's own text an exception message keeps. */
    public static final int MAX_SERVER_TEXT = 1024;
    /** The most characters of a short server field (error type, request id). */
    public static final int MAX_FIELD = 200;
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
    private final String requestIdHeader;
    private final ErrorRules rules;

    /**
     * A mapper with the standard table, reading the request id from {@code x-request-id}.
     *
     * @param providerId the provider id for the exceptions
     * @param apiKey     the key to scrub from every message and field; null scrubs nothing
     * @param clock      the clock that turns an HTTP-date Retry-After into a wait
     */
    public ErrorMapper(String providerId, String apiKey, Clock clock) {
        this(providerId, apiKey, clock, "x-request-id", ErrorRules.STANDARD);
    }

    /**
     * A mapper.
     *
     * @param providerId      the provider id for the exceptions
     * @param apiKey          the key to scrub from every message and field; null scrubs nothing
     * @param clock           the clock that turns an HTTP-date Retry-After into a wait
     * @param requestIdHeader the response header that carries the request id, such as {@code request-id}
     * @param rules           the provider's own rules, asked before the standard table
     * @throws NullPointerException if an argument but the key is null
     */
    public ErrorMapper(String providerId, String apiKey, Clock clock, String requestIdHeader, ErrorRules rules) {
        this.providerId = Objects.requireNonNull(providerId, "providerId");
        this.scrubber = new SecretScrubber(apiKey);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.requestIdHeader = Objects.requireNonNull(requestIdHeader, "requestIdHeader").toLowerCase(Locale.ROOT);
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * The scrubber every text of this provider goes through (messages, the wire log, exception causes).
     *
     * @return the scrubber, holding the provider's key
     */
    public SecretScrubber scrubber() {
        return scrubber;
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
        ErrorBody parsed = ErrorBody.parse(body, 0, length); // null for an empty body, as for one that is not JSON
        String type = null;
        String message;
        String requestId = requestId(headers);
        if (parsed != null) {
            type = parsed.typeOrCode();
            if (requestId == null) {
                requestId = field(parsed.requestId());
            }
            message = parsed.message() == null ? "(no message)" : parsed.message();
        } else if (length > 0) {
            message = "non-JSON body: " + bodyText(body, length, headers.firstValue("content-type").orElse(""));
        } else {
            message = "empty body";
        }
        LlmException e = withDetails(map(status, type, message, requestId, retryAfter(headers)), parsed);
        Boolean directive = shouldRetry(headers);
        return directive == null ? e : e.withRetryDirective(directive);
    }

    /**
     * The error's other fields, scrubbed and bounded, on the exception: its {@code code} when the type
     * names the error, and every field the body had beside its message and type.
     */
    private LlmException withDetails(LlmException e, ErrorBody body) {
        if (body == null) {
            return e;
        }
        java.util.Map<String, String> d = new java.util.LinkedHashMap<>();
        if (body.type() != null && body.code() != null) {
            d.put("code", "\"" + new String(tools.jackson.core.io.JsonStringEncoder.getInstance()
                    .quoteAsCharArray(field(body.code()))) + "\"");
        }
        body.details().forEach((name, json) -> d.put(name, scrubber.scrubAndBound(json, MAX_SERVER_TEXT)));
        return e.withDetails(d);
    }

    /**
     * The server's word on retrying, {@code x-should-retry: true|false}, which Anthropic and Groq send and
     * the official SDKs obey over their own status rules.
     *
     * @param headers the response headers
     * @return the directive, or null when absent or neither true nor false
     */
    public static Boolean shouldRetry(HttpHeaders headers) {
        String v = headers.firstValue("x-should-retry").orElse("").strip();
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        return v.equalsIgnoreCase("false") ? Boolean.FALSE : null;
    }

    /**
     * Maps an error that arrived inside a stream (or as the body of a 200 response).
     *
     * @param error     what the error said
     * @param requestId the response's request id (already scrubbed), or null
     * @return the exception to throw
     */
    public LlmException fromStreamError(ErrorBody error, String requestId) {
        String id = requestId != null ? requestId : field(error.requestId());
        String message = error.message() == null ? "(no message)" : error.message();
        int status = streamStatus(error);
        if (status != NO_STATUS) {
            // a stream error that names its HTTP status (OpenRouter's numeric code, Groq's status_code) maps as that status
            String type = field(error.type());
            return withDetails(map(status, type, "error event in stream: " + message, id, null), error);
        }
        return withDetails(fromStreamError(field(error.typeOrCode()), message, id), error);
    }

    /** What {@link #streamStatus} returns for a stream error that names no HTTP status. */
    private static final int NO_STATUS = -1;

    /** The HTTP status a stream error names: a 4xx/5xx {@code code} with no type, or a {@code status_code}. */
    private static int streamStatus(ErrorBody error) {
        String code = error.type() == null ? error.code() : null;
        if (code != null && code.matches("[45]\\d\\d")) {
            return Integer.parseInt(code);
        }
        String statusCode = error.details().get("status_code");
        return statusCode != null && statusCode.matches("[45]\\d\\d") ? Integer.parseInt(statusCode) : NO_STATUS;
    }

    /**
     * Maps a stream error by its type: overload and rate limits are retryable rate limits; quota,
     * content filter, invalid request and authentication are not retryable; everything else
     * ({@code server_error}, unknown or no type) is a retryable unavailability.
     *
     * @param type      the error's type (already scrubbed), or null
     * @param message   the server's message, not yet scrubbed, or null (then "(no message)")
     * @param requestId the response's request id (already scrubbed), or null
     * @return the exception to throw
     */
    public LlmException fromStreamError(String type, String message, String requestId) {
        String said = message == null ? "(no message)" : message; // the rules are never given null
        String text = describe(-1, type, "error event in stream: " + said, requestId);
        ErrorKind kind = rules.classify(-1, type, said);
        if (kind == null) {
            String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
            if (t.contains("overload") || t.contains("rate_limit")) {
                kind = ErrorKind.RATE_LIMITED;
            } else if (t.contains("quota") || t.contains("billing")) {
                kind = ErrorKind.QUOTA_EXCEEDED;
            } else if (t.contains("content_filter") || t.contains("invalid_request") || t.contains("not_found")
                    || t.contains("request_too_large")) {
                kind = ErrorKind.INVALID_REQUEST;
            } else if (t.contains("auth") || t.contains("permission")) {
                kind = ErrorKind.AUTHENTICATION;
            } else {
                // server_error, api_error, stream_failure and unknown kinds: a broken exchange a new one may not repeat.
                kind = ErrorKind.UNAVAILABLE;
            }
        }
        return exception(kind, withHint(text, -1, type, said), -1, type, null, requestId);
    }

    /**
     * Whether a 400's text says the prompt and the requested output do not fit the context: Kimi says
     * "Your request exceeded model token limit" or "Input token length too long", OpenAI
     * "maximum context length", Anthropic "prompt is too long".
     *
     * @param providerMessage the server's message
     * @return true when it names the context window
     */
    public static boolean exceedsContext(String providerMessage) {
        String m = providerMessage == null ? "" : providerMessage.toLowerCase(Locale.ROOT);
        return m.contains("exceeded model token limit") || m.contains("input token length too long")
                || m.contains("context length") || m.contains("context window") || m.contains("prompt is too long");
    }

    LlmException map(int status, String rawType, String providerMessage, String requestId, Duration retryAfter) {
        String type = field(rawType);
        String text = withHint(describe(status, type, providerMessage, requestId), status, type, providerMessage);
        ErrorKind kind = rules.classify(status, type, providerMessage);
        if (kind == null) {
            kind = standard(status, type, providerMessage);
        }
        if (kind == null) {
            return new LlmException(text, providerId, status, type, false, null, requestId, null);
        }
        return exception(kind, text, status, type, retryAfter, requestId);
    }

    private static ErrorKind standard(int status, String type, String providerMessage) {
        if (status == 529 || type != null && type.toLowerCase(Locale.ROOT).contains("overloaded")) {
            return ErrorKind.RATE_LIMITED;
        }
        if (status == 400 && exceedsContext(providerMessage)) {
            return ErrorKind.CONTEXT_WINDOW_EXCEEDED;
        }
        switch (status) {
            case 401:
            case 403:
                return ErrorKind.AUTHENTICATION;
            case 402:
                return ErrorKind.QUOTA_EXCEEDED;
            case 429:
                return ErrorKind.RATE_LIMITED;
            case 408:
            case 409:
            case 499:
                return ErrorKind.UNAVAILABLE;
            default:
                if (status >= 500) {
                    return ErrorKind.UNAVAILABLE;
                }
                return status >= 400 ? ErrorKind.INVALID_REQUEST : null;
        }
    }

    private LlmException exception(ErrorKind kind, String text, int status, String type, Duration retryAfter,
                                   String requestId) {
        switch (kind) {
            case CONTEXT_WINDOW_EXCEEDED:
                return new ContextWindowExceededException(text, providerId, status, type, requestId, null);
            case AUTHENTICATION:
                return new AuthenticationException(text, providerId, status, type, requestId, null);
            case QUOTA_EXCEEDED:
                return new QuotaExceededException(text, providerId, status, type, requestId, null);
            case RATE_LIMITED:
                return new RateLimitException(text, providerId, status, type, retryAfter, requestId, null);
            case UNAVAILABLE:
                return new ProviderUnavailableException(text, providerId, status, type, retryAfter, requestId, null);
            default:
                return new InvalidRequestException(text, providerId, status, type, requestId, null);
        }
    }

    /** The text with the rules' hint appended, if they have one; message is never null. */
    private String withHint(String text, int status, String type, String message) {
        String hint = rules.hint(status, type, message);
        return hint == null ? text : text + "; " + hint;
    }

    /**
     * A message for an exception: the provider id, status, type, the server's text (scrubbed, then
     * bounded to {@value #MAX_SERVER_TEXT} characters) and the request id.
     *
     * @param status  the HTTP status, or {@code <= 0}
     * @param type    the provider's error type (already scrubbed), or null
     * @param message what went wrong; may hold server text
     * @param requestId the request id (already scrubbed), or null
     * @return the message
     */
    public String describe(int status, String type, String message, String requestId) {
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
        if (requestId != null) {
            sb.append(" (").append(requestIdHeader).append(' ').append(requestId).append(')');
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
     * The response's request id, from the header this mapper was given, scrubbed and bounded.
     *
     * @param headers the response headers
     * @return the request id, or null
     */
    public String requestId(HttpHeaders headers) {
        return field(headers.firstValue(requestIdHeader).orElse(null));
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
    public Duration retryAfter(HttpHeaders headers) {
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
        // a double past Long.MAX_VALUE casts to Long.MAX_VALUE (JLS 5.1.3): LONGEST_WAIT, saturated
        return Duration.ofNanos((long) (units * nanosPerUnit));
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
