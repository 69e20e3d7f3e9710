package dev.alfred.llm.http.error;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ContextWindowExceededException;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status and type table, the Retry-After forms and the message shape, without HTTP. */
class ErrorMapperTest {

    private static final String KEY = "sk-mapper-0123456789abcdefghij";
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final ErrorMapper mapper = new ErrorMapper("kimi", KEY, Clock.fixed(NOW, ZoneOffset.UTC), "x-trace-id",
            ErrorRules.STANDARD);

    private static HttpHeaders headers(String... nameValues) {
        Map<String, List<String>> m = new java.util.HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return HttpHeaders.of(m, (a, b) -> true);
    }

    private LlmException response(int status, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return mapper.fromResponse(status, headers(headers), bytes, bytes.length);
    }

    private static String error(String type, String message) {
        return "{\"error\":{\"type\":" + (type == null ? "null" : "\"" + type + "\"") + ",\"message\":\"" + message + "\"}}";
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "400, invalid_request_error, InvalidRequestException, false",
        "404, resource_not_found_error, InvalidRequestException, false",
        "413, -, InvalidRequestException, false",
        "422, -, InvalidRequestException, false",
        "418, -, InvalidRequestException, false",
        "401, invalid_authentication_error, AuthenticationException, false",
        "402, -, QuotaExceededException, false",
        "403, permission_denied_error, AuthenticationException, false",
        "403, -, AuthenticationException, false",
        "429, rate_limit_reached_error, RateLimitException, true",
        "429, -, RateLimitException, true",
        "529, overloaded_error, RateLimitException, true",
        "500, overloaded_error, RateLimitException, true",
        "408, -, ProviderUnavailableException, true",
        "409, -, ProviderUnavailableException, true",
        "499, -, ProviderUnavailableException, true",
        "500, -, ProviderUnavailableException, true",
        "503, server_unavailable, ProviderUnavailableException, true",
        "599, -, ProviderUnavailableException, true",
        "302, -, LlmException, false",
    })
    void eachStatusAndTypeMapsToItsException(int status, String type, String expected, boolean retryable) {
        LlmException e = response(status, error(type, "why " + status), "x-trace-id", "t-" + status);
        assertEquals(expected, e.getClass().getSimpleName());
        assertEquals(retryable, e.isRetryable());
        assertEquals(status, e.httpStatus().orElse(-1));
        assertEquals(Optional.ofNullable(type), e.errorType());
        assertEquals(Optional.of("t-" + status), e.traceId());
        assertEquals(Optional.of("kimi"), e.providerId());
        assertEquals("kimi: HTTP " + status + " " + (type == null ? "- " : type + ": ") + "why " + status
                + " (x-trace-id t-" + status + ")", e.getMessage());
    }

    @Test
    void aProvidersRulesComeFirstAndTheirHintIsAppended() {
        ErrorRules rules = new ErrorRules() {
            @Override
            public ErrorKind classify(int status, String type, String message) {
                return message.contains("usage limit") ? ErrorKind.QUOTA_EXCEEDED : null;
            }

            @Override
            public String hint(int status, String type, String message) {
                return status == 403 ? "use another key" : null;
            }
        };
        ErrorMapper own = new ErrorMapper("p", KEY, Clock.systemUTC(), "request-id", rules);
        byte[] body = error("access_terminated_error", "usage limit reached").getBytes(StandardCharsets.UTF_8);
        LlmException quota = own.fromResponse(403, headers("request-id", "req_1"), body, body.length);
        assertInstanceOf(QuotaExceededException.class, quota);
        assertEquals("p: HTTP 403 access_terminated_error: usage limit reached (request-id req_1); use another key",
                quota.getMessage());
        byte[] other = error("permission_error", "no").getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(AuthenticationException.class, own.fromResponse(403, headers(), other, other.length));
        assertInstanceOf(QuotaExceededException.class, own.fromStreamError("x", "usage limit", null));
    }

    @Test
    void everyErrorBodyShapeIsRead() {
        LlmException anthropic = response(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}    ,\"request_id\":\"req_9\"}");
        assertEquals(Optional.of("overloaded_error"), anthropic.errorType());
        assertEquals(Optional.of("req_9"), anthropic.traceId(), "the body's request id when no header has one");
        assertTrue(anthropic.getMessage().contains("Overloaded"), anthropic.getMessage());
        LlmException gemini = response(400, "[{\"error\":{\"code\":400,\"message\":\"Unknown name\",\"status\":\"INVALID_ARGUMENT\"}}]");
        assertEquals(Optional.of("400"), gemini.errorType());
        assertTrue(gemini.getMessage().endsWith("Unknown name"), gemini.getMessage());
        LlmException flat = response(422, "{\"object\":\"error\",\"message\":{\"detail\":[{\"msg\":\"Extra inputs\"}]},"
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}");
        assertEquals(Optional.of("invalid_request_error"), flat.errorType());
        assertTrue(flat.getMessage().contains("{\"detail\":[{\"msg\":\"Extra inputs\"}]}"), flat.getMessage());
        LlmException text = response(500, "{\"error\":\"boom\"}");
        assertTrue(text.getMessage().endsWith("- boom"), text.getMessage());
        assertEquals(new ErrorBody("server_error", "m", "500", null),
                ErrorBody.parse("{\"error\":{\"code\":500,\"message\":\"m\",\"type\":\"server_error\"}}".getBytes(StandardCharsets.UTF_8), 0, 58));
        assertNull(ErrorBody.parse("{\"error\":null,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), 0, 23));
    }

    @Test
    void aCodeStandsInForAMissingTypeAndEmptyOrForeignBodiesStillNameTheStatus() {
        LlmException coded = response(429, "{\"error\":{\"code\":\"too_many\",\"message\":\"m\"}}");
        assertEquals(Optional.of("too_many"), coded.errorType());
        assertEquals("kimi: HTTP 502 - empty body", mapper.fromResponse(502, headers(), new byte[0], 0).getMessage());
        assertEquals("kimi: HTTP 502 - non-JSON body: Bad Gateway from the proxy",
                response(502, "  Bad   Gateway\n from the proxy ").getMessage());
        assertEquals("kimi: HTTP 500 - non-JSON body: {\"ok\":true}", response(500, "{\"ok\":true}").getMessage(),
                "JSON that is not an error object is quoted");
        assertEquals("kimi: HTTP 502 - non-JSON body: oops", response(502, "<html><body><b>oops</b></body></html>").getMessage(),
                "an HTML page without a title: its text");
        assertEquals("kimi: HTTP 502 - non-JSON body: Down", response(502, "<!DOCTYPE html><title>Down</title>").getMessage());
        assertEquals("kimi: HTTP 502 - non-JSON body: Down", response(502, "<p><title>Down</title>", "content-type",
                "text/html; charset=utf-8").getMessage(), "the content type says HTML");
        assertEquals("kimi: HTTP 502 - non-JSON body: a <b> c", response(502, "a <b> c").getMessage(),
                "plain text keeps its angle brackets");
    }

    @ParameterizedTest(name = "stream error type {0} -> {1}")
    @CsvSource(nullValues = "-", value = {
        "engine_overloaded_error, RateLimitException, true",
        "rate_limit_reached_error, RateLimitException, true",
        "exceeded_current_quota_error, QuotaExceededException, false",
        "content_filter, InvalidRequestException, false",
        "invalid_request_error, InvalidRequestException, false",
        "invalid_authentication_error, AuthenticationException, false",
        "authentication_error, AuthenticationException, false",
        "server_error, ProviderUnavailableException, true",
        "SERVER_ERROR, ProviderUnavailableException, true",
        "-, ProviderUnavailableException, true",
    })
    void streamErrorsMapByType(String type, String expected, boolean retryable) {
        LlmException e = mapper.fromStreamError(type, "boom", "trace-1");
        assertEquals(expected, e.getClass().getSimpleName());
        assertEquals(retryable, e.isRetryable());
        assertFalse(e.httpStatus().isPresent());
        assertEquals(Optional.of("trace-1"), e.traceId());
        assertEquals("kimi: " + (type == null ? "" : type + ": ") + "error event in stream: boom (x-trace-id trace-1)",
                e.getMessage());
    }

    @Test
    void aStreamErrorWithoutMessageSaysSo() {
        LlmException e = mapper.fromStreamError(new ErrorBody(null, null, "E1", null), null);
        assertEquals("kimi: E1: error event in stream: (no message)", e.getMessage());
        assertEquals(Optional.of("E1"), e.errorType());
    }

    @Test
    void retryAfterComesInEveryForm() {
        assertEquals(Duration.ofMillis(1500), mapper.retryAfter(headers("retry-after-ms", "1500", "retry-after", "9")),
                "retry-after-ms wins");
        assertEquals(Duration.ofNanos(2_500_000), mapper.retryAfter(headers("retry-after-ms", "2.5")));
        assertEquals(Duration.ofSeconds(9), mapper.retryAfter(headers("retry-after-ms", "soon", "retry-after", "9")),
                "a malformed retry-after-ms falls back to Retry-After");
        assertEquals(Duration.ZERO, mapper.retryAfter(headers("retry-after", "0")));
        assertEquals(Duration.ofMillis(1500), mapper.retryAfter(headers("retry-after", " 1.5 ")));
        assertEquals(Duration.ofSeconds(30), mapper.retryAfter(headers("retry-after", "Tue, 01 Dec 2026 10:00:30 GMT")));
        assertEquals(Duration.ZERO, mapper.retryAfter(headers("retry-after", "Tue, 01 Dec 2026 09:59:00 GMT")),
                "a date in the past is no wait");
        assertNull(mapper.retryAfter(headers()));
        for (String bad : new String[] {"-1", "soon", "1e3", "NaN", "Infinity", "+5", ""}) {
            assertNull(mapper.retryAfter(headers("retry-after", bad)), bad);
        }
    }

    @Test
    void aWaitTooLargeToRepresentSaturatesAtTheLongestWait() {
        assertEquals(ErrorMapper.LONGEST_WAIT, ErrorMapper.number("9".repeat(16), 1));
        assertEquals(Duration.ofNanos(999_999_999_999_999L), ErrorMapper.number("9".repeat(15), 1), "15 digits still fit");
        assertEquals(Duration.ofNanos(5), ErrorMapper.number("0000000000000000005", 1), "leading zeros are not size");
        assertEquals(ErrorMapper.LONGEST_WAIT, ErrorMapper.number("9223372037", 1_000_000_000L), "seconds past long nanos");
        assertEquals(Duration.ofSeconds(9_000_000_000L), ErrorMapper.number("9000000000", 1_000_000_000L));
        assertNull(ErrorMapper.number("1.", 1));
    }

    @Test
    void serverTextIsScrubbedThenBoundedAndFieldsToo() {
        String text = "a".repeat(ErrorMapper.MAX_SERVER_TEXT - 10) + KEY + "tail";
        String out = mapper.describe(0, null, text, null).substring("kimi: ".length());
        assertFalse(out.contains(KEY.substring(0, 8)) || out.contains(KEY.substring(KEY.length() - 8)), out);
        assertEquals("a".repeat(ErrorMapper.MAX_SERVER_TEXT - 10) + "****tail", out, "scrubbed first, so it fits");
        assertEquals("kimi: " + "x".repeat(ErrorMapper.MAX_SERVER_TEXT) + "… (1 more characters)",
                mapper.describe(0, null, "x".repeat(ErrorMapper.MAX_SERVER_TEXT + 1), null));
        assertEquals("kimi: " + "x".repeat(ErrorMapper.MAX_SERVER_TEXT),
                mapper.describe(0, null, "x".repeat(ErrorMapper.MAX_SERVER_TEXT), null));
        assertEquals("key ****", mapper.scrub("key " + KEY));
        LlmException e = response(400, error("t".repeat(500), "m"), "x-trace-id", "z".repeat(500));
        assertEquals(200 + "… (300 more characters)".length(), e.errorType().orElseThrow().length());
        assertEquals(200 + "… (300 more characters)".length(), e.traceId().orElseThrow().length());
        assertEquals("kimi: HTTP 1 - m", mapper.describe(1, null, "m", null));
        assertEquals("kimi: m", mapper.describe(0, null, "m", null));
    }

    @Test
    void theMapperTakesNoKeyAsNothingToScrub() {
        ErrorMapper none = new ErrorMapper("kimi", null, Clock.systemUTC());
        assertEquals("plain", none.scrub("plain"));
        assertInstanceOf(InvalidRequestException.class, none.fromStreamError("invalid_request_error", "m", null));
        assertInstanceOf(RateLimitException.class, none.fromStreamError("overloaded", "m", null));
        assertInstanceOf(ProviderUnavailableException.class, none.fromStreamError("weird", "m", null));
    }

    @ParameterizedTest(name = "HTTP 400 \"{0}\" is the context window")
    @CsvSource(delimiter = '|', value = {
        "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens",
        "prompt is too long: 210000 tokens > 200000 maximum",
        "Your request exceeded model token limit: 262144",
        "Input token length too long",
        "The input exceeds the Context Window of this model",
    })
    void a400ThatNamesTheContextWindowIsItsOwnNonRetryableException(String said) {
        LlmException e = response(400, error("invalid_request_error", said));
        assertInstanceOf(ContextWindowExceededException.class, e);
        assertFalse(e.isRetryable());
        assertEquals(Optional.of("invalid_request_error"), e.errorType());
        assertTrue(ErrorMapper.exceedsContext(said));
    }

    @Test
    void onlyA400NamingTheContextWindowIsOne() {
        assertEquals(InvalidRequestException.class, response(413, error(null, "context length exceeded")).getClass(),
                "a 413 is an invalid request whatever it says");
        assertEquals(InvalidRequestException.class, response(400, error(null, "bad role")).getClass());
        assertFalse(ErrorMapper.exceedsContext(null));
        assertFalse(ErrorMapper.exceedsContext("token limit"));
    }

    @Test
    void theServersWordOnRetryingOverridesTheTable() {
        LlmException retry = response(400, error("invalid_request_error", "m"), "x-should-retry", "true");
        assertInstanceOf(InvalidRequestException.class, retry);
        assertEquals(Optional.of(true), retry.retryDirective());
        assertTrue(retry.isRetryable(), "the server said a retry may succeed");
        LlmException noRetry = response(503, error(null, "m"), "x-should-retry", " FALSE ");
        assertEquals(Optional.of(false), noRetry.retryDirective());
        assertFalse(noRetry.isRetryable());
        LlmException unclear = response(503, error(null, "m"), "x-should-retry", "maybe");
        assertEquals(Optional.empty(), unclear.retryDirective());
        assertTrue(unclear.isRetryable());
        assertEquals(Boolean.TRUE, ErrorMapper.shouldRetry(headers("x-should-retry", "True")));
        assertNull(ErrorMapper.shouldRetry(headers()));
    }

    @Test
    void everyOtherFieldOfTheErrorIsKeptAsScrubbedJsonInOrder() {
        LlmException e = response(400, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"bad_" + KEY
                + "\",\"message\":\"m\",\"param\":\"messages\",\"failed_generation\":{\"a\":[1,\"" + KEY
                + "\"]},\"gone\":null},\"user_id\":\"u1\"}");
        assertEquals(Map.of("code", "\"bad_****\"", "param", "\"messages\"", "failed_generation", "{\"a\":[1,\"****\"]}",
                "user_id", "\"u1\""), e.details());
        assertEquals(List.of("code", "param", "failed_generation", "user_id"), List.copyOf(e.details().keySet()),
                "the code first, then the fields in the order the server sent them");
        LlmException coded = response(429, "{\"error\":{\"code\":\"too_many\",\"message\":\"m\"}}");
        assertEquals(Map.of(), coded.details(), "a code that stands in for the type is not repeated");
        assertEquals(Map.of(), response(400, error("t", "m")).details());
        assertEquals(Map.of(), response(502, "oops").details());
        String longDetail = "x".repeat(ErrorMapper.MAX_SERVER_TEXT + 5);
        LlmException bounded = response(400, "{\"error\":{\"message\":\"m\",\"param\":\"" + longDetail + "\"}}");
        assertEquals(("\"" + longDetail).substring(0, ErrorMapper.MAX_SERVER_TEXT) + "… (7 more characters)",
                bounded.details().get("param"));
    }

    @Test
    void aStreamErrorThatNamesAnHttpStatusMapsAsThatStatus() {
        LlmException coded = mapper.fromStreamError(new ErrorBody(null, "slow down", "429", null), "trace-2");
        assertInstanceOf(RateLimitException.class, coded);
        assertEquals(429, coded.httpStatus().orElse(-1));
        assertEquals("kimi: HTTP 429 - error event in stream: slow down (x-trace-id trace-2)", coded.getMessage());
        LlmException groq = mapper.fromStreamError(new ErrorBody("api_error", "upstream", null, "req_3",
                Map.of("status_code", "503")), null);
        assertInstanceOf(ProviderUnavailableException.class, groq);
        assertEquals(503, groq.httpStatus().orElse(-1));
        assertEquals(Optional.of("req_3"), groq.traceId(), "the body's request id when the response had none");
        assertEquals("kimi: HTTP 503 api_error: error event in stream: upstream (x-trace-id req_3)", groq.getMessage());
        assertEquals(Map.of("status_code", "503"), groq.details());
        LlmException typed = mapper.fromStreamError(new ErrorBody("invalid_request_error", "m", "500", null), null);
        assertInstanceOf(InvalidRequestException.class, typed, "a code beside a type is no status: the type decides");
        assertFalse(typed.httpStatus().isPresent());
        assertEquals(Map.of("code", "\"500\""), typed.details());
        for (ErrorBody noStatus : List.of(new ErrorBody(null, "m", "4290", null), new ErrorBody(null, "m", "302", null),
                new ErrorBody("server_error", "m", null, null, Map.of("status_code", "\"503\"")))) {
            LlmException e = mapper.fromStreamError(noStatus, null);
            assertInstanceOf(ProviderUnavailableException.class, e, noStatus.toString());
            assertFalse(e.httpStatus().isPresent(), noStatus.toString());
        }
    }

    @Test
    void theRulesMayReadTheMessageWhichIsNeverNull() {
        ErrorRules rules = new ErrorRules() {
            @Override
            public ErrorKind classify(int status, String type, String message) {
                return message.contains("balance") ? ErrorKind.QUOTA_EXCEEDED : null;
            }

            @Override
            public String hint(int status, String type, String message) {
                return message.contains("balance") ? "top up at the console" : null;
            }
        };
        ErrorMapper own = new ErrorMapper("p", KEY, Clock.systemUTC(), "request-id", rules);
        LlmException quota = own.fromStreamError("x", "insufficient balance", null);
        assertInstanceOf(QuotaExceededException.class, quota);
        assertEquals("p: x: error event in stream: insufficient balance; top up at the console", quota.getMessage());
        LlmException silent = own.fromStreamError("x", null, null);
        assertInstanceOf(ProviderUnavailableException.class, silent);
        assertEquals("p: x: error event in stream: (no message)", silent.getMessage());
        byte[] body = error("quota", "low balance").getBytes(StandardCharsets.UTF_8);
        assertEquals("p: HTTP 402 quota: low balance; top up at the console",
                own.fromResponse(402, headers(), body, body.length).getMessage());
    }
}
