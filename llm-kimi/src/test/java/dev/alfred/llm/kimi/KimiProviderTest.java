package dev.alfred.llm.kimi;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.Usage;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.StreamRecording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is Kimi's own, beyond the shared contract (KimiCompatibilityTest): its wire fields, its error
 * types, its usage quirks, its configuration. Real HTTP against the testkit's WireMock fake server.
 */
class KimiProviderTest {

    private static final String KEY = "sk-kimi-test-5f1d2c3b4a59687766554433";

    private FakeServer server;
    private KimiProvider kimi;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        kimi = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).idleTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        kimi.close();
        server.close();
    }

    @Test
    void chatSendsBearerAuthOurOwnUserAgentAndTheDefaultModel() {
        server.enqueue(Reply.chat("hi"));
        kimi.chat(ChatRequest.of("hello"));
        RecordedRequest r = server.takeRequest();
        assertEquals("/v1/chat/completions", r.path());
        assertEquals(Optional.of("Bearer " + KEY), r.header("Authorization"));
        assertTrue(r.header("User-Agent").orElse("").matches("alfred-llm/[0-9][^ ]*"), r.header("User-Agent").toString());
        assertEquals(Optional.of("application/json"), r.header("Content-Type"));
        JsonNode body = r.json();
        assertEquals(KimiProvider.DEFAULT_MODEL, body.path("model").asString());
        assertFalse(body.has("stream"), "a chat is not a stream");
        assertFalse(body.has("temperature") || body.has("top_p") || body.has("max_tokens")
                || body.has("max_completion_tokens"), body.toString());
    }

    @Test
    void tokenLimitGoesOutAsMaxCompletionTokensNeverTheDeprecatedAlias() {
        server.enqueue(Reply.chat("hi"));
        kimi.chat(ChatRequest.builder().user("x").maxTokens(16000).build());
        JsonNode body = server.takeRequest().json();
        assertEquals(16000, body.path("max_completion_tokens").asInt());
        assertFalse(body.has("max_tokens"));
    }

    @Test
    void streamAsksForUsageAndAcceptsAnEventStream() {
        server.enqueue(Reply.stream("a"));
        StreamRecording.of(kimi.stream(ChatRequest.of("x"))).assertCompleted();
        RecordedRequest r = server.takeRequest();
        assertEquals(Optional.of("text/event-stream"), r.header("Accept"));
        assertTrue(r.json().path("stream").asBoolean());
        assertTrue(r.json().path("stream_options").path("include_usage").asBoolean());
    }

    @Test
    void modelIsOverridablePerProviderAndPerRequest() {
        try (KimiProvider k = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).model("kimi-k2.6").build()) {
            server.enqueue(Reply.chat("a")).enqueue(Reply.chat("b"));
            k.chat(ChatRequest.of("x"));
            assertEquals("kimi-k2.6", server.takeRequest().json().path("model").asString());
            k.chat(ChatRequest.builder().user("x").model("kimi-k3").build());
            assertEquals("kimi-k3", server.takeRequest().json().path("model").asString());
        }
    }

    @Test
    void assistantReasoningIsEchoedAsReasoningContent() {
        server.enqueue(Reply.chat("ok"));
        kimi.chat(ChatRequest.builder().user("q").message(new dev.alfred.llm.AssistantMessage("a", "because", java.util.List.of(), dev.alfred.llm.ProviderState.NONE)).user("q2").build());
        JsonNode assistant = server.takeRequest().json().path("messages").get(1);
        assertEquals("assistant", assistant.path("role").asString());
        assertEquals("because", assistant.path("reasoning_content").asString());
    }

    @Test
    void extraHeadersAreSentButOurOwnCannotBeReplaced() {
        try (KimiProvider k = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).header("X-Org", "alfred").build()) {
            server.enqueue(Reply.chat("a"));
            k.chat(ChatRequest.of("x"));
            assertEquals(Optional.of("alfred"), server.takeRequest().header("X-Org"));
        }
        for (String reserved : new String[] {"User-Agent", "authorization", "Content-Type"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KimiProvider.builder().header(reserved, "spoofed"));
            assertTrue(e.getMessage().contains(reserved), e.getMessage());
        }
    }

    /** Kimi's error types of the API fact sheet, §5. */
    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource({
        "400, invalid_request_error, Your request exceeded model token limit : 262144, ContextWindowExceededException, false",
        "400, content_filter, The request was rejected because it was considered high risk, InvalidRequestException, false",
        "401, invalid_authentication_error, Invalid Authentication, AuthenticationException, false",
        "401, incorrect_api_key_error, Incorrect API key provided, AuthenticationException, false",
        "402, , unable to verify your membership benefits, QuotaExceededException, false",
        "403, permission_denied_error, The API you are accessing is not open, AuthenticationException, false",
        "404, resource_not_found_error, Not found the model kimi-k9 or Permission denied, InvalidRequestException, false",
        "413, , Request exceeds the maximum size, InvalidRequestException, false",
        "429, engine_overloaded_error, The engine is currently overloaded, RateLimitException, true",
        "429, rate_limit_reached_error, request reached organization max RPM: 3, RateLimitException, true",
        "429, exceeded_current_quota_error, You exceeded your current token quota, QuotaExceededException, false",
        "500, server_error, invalid state transition, ProviderUnavailableException, true",
        "503, server_unavailable, node scaling, ProviderUnavailableException, true",
        "504, , gateway timeout, ProviderUnavailableException, true",
    })
    void kimiErrorTypesMapToTheirExceptions(int status, String type, String message, String exception, boolean retryable) {
        server.enqueue(Reply.error(status, type, message).withHeader("x-trace-id", "tr-123"));
        LlmException e = assertThrows(LlmException.class, () -> kimi.chat(ChatRequest.of("x")));
        assertEquals(exception, e.getClass().getSimpleName(), e.toString());
        assertEquals(retryable, e.isRetryable());
        assertEquals(Optional.ofNullable(type), e.errorType());
        assertEquals(Optional.of("kimi"), e.providerId());
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("x-trace-id tr-123")
                && e.getMessage().startsWith("kimi: HTTP " + status), e.getMessage());
    }

    @Test
    void codingPlanRefusalSaysOnlyApprovedAgentsAreAdmitted() {
        server.enqueue(Reply.error(403, "access_terminated_error",
                "Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc."));
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> kimi.chat(ChatRequest.of("x")));
        assertTrue(e.getMessage().contains("admits only approved coding agents"), e.getMessage());
        assertTrue(e.getMessage().contains("Open Platform"), e.getMessage());
        server.enqueue(Reply.error(403, "access_terminated_error", "You've reached your usage limit for this billing cycle"));
        assertInstanceOf(QuotaExceededException.class, assertThrows(LlmException.class, () -> kimi.chat(ChatRequest.of("x"))));
    }

    @Test
    void retryAfterIsReadInSecondsMillisecondsAndAsAnHttpDate() {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        try (KimiProvider k = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri())
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build()) {
            server.enqueue(Reply.error(429, "engine_overloaded_error", "busy").withHeader("Retry-After", "2"));
            server.enqueue(Reply.error(429, "rate_limit_reached_error", "busy").withHeader("retry-after-ms", "1500"));
            server.enqueue(Reply.error(429, "rate_limit_reached_error", "busy").withHeader("Retry-After", "Wed, 25 Nov 2026 10:00:30 GMT"));
            server.enqueue(Reply.error(503, "server_unavailable", "down").withHeader("Retry-After", "soon"));
            assertEquals(Optional.of(Duration.ofSeconds(2)), rateLimit(k).retryAfter());
            assertEquals(Optional.of(Duration.ofMillis(1500)), rateLimit(k).retryAfter());
            assertEquals(Optional.of(Duration.ofSeconds(30)), rateLimit(k).retryAfter());
            LlmException unparsable = assertThrows(ProviderUnavailableException.class, () -> k.chat(ChatRequest.of("x")));
            assertEquals(Optional.empty(), unparsable.retryAfter());
        }
    }

    private static RateLimitException rateLimit(KimiProvider k) {
        return assertThrows(RateLimitException.class, () -> k.chat(ChatRequest.of("x")));
    }

    @Test
    void cachedTokensAreReadTopLevelFirstThenNested() {
        String topAndNested = "{\"model\":\"kimi-k3\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"323\","
                + "\"reasoning_content\":\"r\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":101,\"completion_tokens\":32,"
                + "\"total_tokens\":133,\"cached_tokens\":100,\"completion_tokens_details\":{\"reasoning_tokens\":16},"
                + "\"prompt_tokens_details\":{\"cached_tokens\":99}}}";
        String nestedOnly = "{\"model\":\"kimi-k2.5\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x\"},"
                + "\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":8}}}";
        String reasoningOverCompletion = "{\"choices\":[{\"message\":{\"content\":\"\"},\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":4,\"total_tokens\":5,"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":9}}}";
        server.enqueue(Reply.raw(200, "application/json", topAndNested))
                .enqueue(Reply.raw(200, "application/json", nestedOnly))
                .enqueue(Reply.raw(200, "application/json", reasoningOverCompletion));
        var a = kimi.chat(ChatRequest.of("x"));
        assertEquals(new Usage(101, 32, 133, 100, 0, 16), a.usage());
        assertEquals("r", a.reasoning());
        assertEquals(new Usage(10, 5, 15, 8, 0, 0), kimi.chat(ChatRequest.of("x")).usage());
        var c = kimi.chat(ChatRequest.of("x"));
        assertEquals(new Usage(1, 4, 5, 0, 0, 9), c.usage(), "counts as sent, never clamped, even when they disagree");
        assertEquals(dev.alfred.llm.FinishReason.LENGTH, c.finishReason());
        assertEquals("", c.content());
    }

    @Test
    void emptyChoicesNullContentAndKeepAliveCommentsDoNoHarm() {
        String body = ": keep-alive\n\n"
                + "data:{\"model\":\"kimi-for-coding\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n"
                + ": ping\n\n"
                + "data: {\"choices\":[]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"\"}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"OK\"}}]}\n\n"
                + "event: ping\ndata: {}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        server.enqueue(Reply.raw(200, "text/event-stream;charset=utf-8", body));
        StreamRecording rec = StreamRecording.of(kimi.stream(ChatRequest.of("x")));
        assertEquals("OK", rec.assertCompleted().content());
        assertEquals("kimi-for-coding", rec.response().model());
        assertEquals(1, rec.deltas().size());
    }

    @Test
    void aStreamThatIsNotAnEventStreamIsAClearError() {
        server.enqueue(Reply.raw(200, "text/html", "<html>captive portal</html>"));
        ProviderUnavailableException e = StreamRecording.of(kimi.stream(ChatRequest.of("x")))
                .assertFailed(ProviderUnavailableException.class);
        assertTrue(e.getMessage().contains("text/html"), e.getMessage());
    }

    @Test
    void aHugeLineIsAnErrorNotAnOutOfMemory() {
        try (KimiProvider k = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).maxLineBytes(1024).build()) {
            server.enqueue(Reply.raw(200, "text/event-stream", "data: " + "x".repeat(5000) + "\n\n"));
            MalformedResponseException e = StreamRecording.of(k.stream(ChatRequest.of("x")))
                    .assertFailed(MalformedResponseException.class);
            assertTrue(e.getMessage().contains("longer than 1024 bytes"), e.getMessage());
            assertFalse(e.isRetryable(), "the same request would be answered the same way");
        }
    }

    @Test
    void connectionRefusedIsUnavailableNamingTheTarget() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (KimiProvider k = KimiProvider.builder().apiKey(KEY).baseUrl(URI.create("http://127.0.0.1:" + port + "/v1")).build()) {
            ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class, () -> k.chat(ChatRequest.of("x")));
            assertTrue(e.getMessage().contains("could not connect to 127.0.0.1:" + port + ": "), e.getMessage());
            assertFalse(e.getMessage().endsWith("null"), e.getMessage());
            assertFalse(e.getMessage().contains(KEY));
        }
    }

    @Test
    void aMissingKeyFailsAtCreationNotAtTheFirstCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KimiProvider.builder().build());
        assertTrue(e.getMessage().contains("KIMI_API_KEY"), e.getMessage());
        IllegalArgumentException viaSpi = assertThrows(IllegalArgumentException.class,
                () -> LlmProviders.create("kimi", ProviderConfig.empty()));
        assertTrue(viaSpi.getMessage().contains("KIMI_API_KEY") && viaSpi.getMessage().contains("MOONSHOT_API_KEY"),
                viaSpi.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KimiProvider.builder().apiKey(KEY).baseUrl(URI.create("ftp://x/v1")).build());
        assertThrows(IllegalArgumentException.class, () -> KimiProvider.builder().apiKey(KEY).idleTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> KimiProvider.builder().apiKey("sk-with space").build());
    }

    @Test
    void discoveryFindsKimiAndReadsItsSettingsIncludingTheMoonshotAlias() {
        assertTrue(LlmProviders.ids().contains("kimi"));
        assertTrue(LlmProviders.registry().origin("kimi").startsWith(KimiProviderFactory.class.getName()));
        server.enqueue(Reply.chat("via spi"));
        ProviderConfig config = ProviderConfig.of(Map.of("MOONSHOT_API_KEY", KEY, "KIMI_BASE_URL", server.baseUri().toString(),
                "KIMI_MODEL", "kimi-k2.6", "KIMI_TOTAL_TIMEOUT", "30s"));
        try (LlmProvider p = LlmProviders.create("kimi", config)) {
            assertEquals("via spi", p.chat(ChatRequest.of("x")).content());
            assertEquals("kimi-k2.6", server.takeRequest().json().path("model").asString());
            assertFalse(p.toString().contains(KEY), p.toString());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> LlmProviders.create("kimi",
                ProviderConfig.of(Map.of("KIMI_API_KEY", KEY, "KIMI_IDLE_TIMEOUT", "forever"))));
        assertTrue(bad.getMessage().contains("kimi.idle.timeout"), bad.getMessage());
    }

    @Test
    void closedProviderRefusesCalls() {
        kimi.close();
        LlmException e = assertThrows(LlmException.class, () -> kimi.chat(ChatRequest.of("x")));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

}
