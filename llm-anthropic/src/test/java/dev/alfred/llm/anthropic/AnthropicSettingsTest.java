package dev.alfred.llm.anthropic;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options, the builder and the factory's settings, each seen to take effect. */
class AnthropicSettingsTest {

    private static final String KEY = "sk-ant-test-0123456789abcdefghij";

    private final FakeServer server = FakeServer.start(WireDialect.anthropic());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void optionsAreValidatedAndNamedForThisProvider() {
        assertEquals(new AnthropicOptions("enabled", 1024, null), AnthropicOptions.thinking(1024));
        assertThrows(IllegalArgumentException.class, () -> AnthropicOptions.thinking(1023));
        assertEquals(new AnthropicOptions("adaptive", 0, "max"), AnthropicOptions.adaptiveThinking("max"));
        assertEquals(new AnthropicOptions("disabled", 0, null), AnthropicOptions.noThinking());
        assertEquals(new AnthropicOptions(null, 0, "low"), new AnthropicOptions(null, 0, "low"));
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class, () -> new AnthropicOptions("on", 0, null));
        assertEquals("thinking must be enabled, adaptive or disabled, was on", mode.getMessage());
        for (String thinking : new String[] {"adaptive", "disabled", null}) {
            assertThrows(IllegalArgumentException.class, () -> new AnthropicOptions(thinking, 1, null), String.valueOf(thinking));
            assertThrows(IllegalArgumentException.class, () -> new AnthropicOptions(thinking, -1, null), String.valueOf(thinking));
        }
        assertEquals("anthropic", AnthropicOptions.DEFAULT.providerId());
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> AnthropicProvider.builder().apiKey(KEY).maxTokens(0).build());
        try (AnthropicProvider p = AnthropicProvider.builder().apiKey(KEY).version("2023-06-01").maxTokens(1).bearerAuth(false)
                .beta(" files-api-2025-04-14 ").build()) {
            assertEquals(AnthropicProvider.ANTHROPIC_URL, p.baseUrl());
        }
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> AnthropicProvider.builder().build());
        assertTrue(noKey.getMessage().contains("ANTHROPIC_API_KEY"), noKey.getMessage());
        assertThrows(NullPointerException.class, () -> AnthropicProvider.builder().version(null));
        for (String beta : new String[] {"", " ", "a,b", null}) {
            assertThrows(IllegalArgumentException.class, () -> AnthropicProvider.builder().beta(beta), String.valueOf(beta));
        }
    }

    @Test
    void optionsForAnotherProviderAreIgnoredWithAWarningAndItsOwnAreTaken() {
        ProviderOptions foreign = new ProviderOptions() {
            @Override
            public String providerId() {
                return "openai";
            }
        };
        server.enqueue(Reply.chat("a")).enqueue(Reply.chat("b"));
        try (AnthropicProvider p = AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build()) {
            ChatResponse r = p.chat(ChatRequest.builder().user("x").options(foreign).build());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("were ignored by anthropic")), r.warnings().toString());
            ChatResponse own = p.chat(ChatRequest.builder().user("x").options(AnthropicOptions.adaptiveThinking("low")).build());
            assertTrue(own.warnings().stream().noneMatch(w -> w.contains("were ignored")), own.warnings().toString());
        }
        server.takeRequest();
        assertEquals("{\"type\":\"adaptive\"}", server.takeRequest().json().path("thinking").toString());
    }

    @Test
    void theFactoryTakesEverySettingItNames() {
        AnthropicProviderFactory factory = new AnthropicProviderFactory();
        assertEquals("anthropic", factory.id());
        assertEquals(Set.of("anthropic."), factory.settingPrefixes());
        ProviderConfig config = ProviderConfig.builder().set("anthropic.api.key", KEY)
                .set("anthropic.base.url", server.baseUri().toString()).set("anthropic.model", "claude-test")
                .set("anthropic.max.tokens", "321").set("anthropic.version", "2099-01-01")
                .set("anthropic.beta", "b-one, ,b-two").set("anthropic.auth", " Bearer ")
                .set("anthropic.idle.timeout", "30s").set("anthropic.headers.timeout", "30s")
                .set("anthropic.total.timeout", "60s").set("anthropic.connect.timeout", "5s")
                .set("anthropic.max.tool.calls", "1").set("anthropic.max.tool.argument.chars", "100").build();
        server.enqueue(Reply.chat("hi"));
        server.enqueue(Reply.chat(ScriptedStream.of(List.of(new ChatDelta.ToolCallStart(0, "t1", "f"),
                new ChatDelta.ToolCallArguments(0, "{}"), new ChatDelta.ToolCallStart(1, "t2", "g"),
                new ChatDelta.ToolCallArguments(1, "{}"))).withFinishReason("tool_calls")));
        try (LlmProvider p = factory.create(config)) {
            assertEquals(server.baseUri().getPort(), p.endpoint().baseUrl().getPort());
            assertEquals("claude-test", p.endpoint().defaultModel());
            assertEquals("hi", p.chat(ChatRequest.of("x")).content());
            ResponseTooLargeException many = assertThrows(ResponseTooLargeException.class, () -> p.chat(ChatRequest.of("x")));
            assertTrue(many.getMessage().contains("more than 1 tool calls"), many.getMessage());
        }
        RecordedRequest r = server.takeRequest();
        assertEquals(Optional.of("Bearer " + KEY), r.header("authorization"));
        assertEquals(Optional.empty(), r.header("x-api-key"));
        assertEquals(Optional.of("2099-01-01"), r.header("anthropic-version"));
        assertEquals(Optional.of("b-one,b-two"), r.header("anthropic-beta"));
        assertEquals(321, r.json().path("max_tokens").asInt());
        assertEquals("claude-test", r.json().path("model").asString());
        try (LlmProvider p = factory.create(ProviderConfig.builder().set("anthropic.base.url", server.baseUri().toString())
                .set("anthropic.auth", "x-api-key").set("anthropic.api.key", KEY).build())) {
            server.enqueue(Reply.chat("k"));
            p.chat(ChatRequest.of("x"));
        }
        server.takeRequest();
        assertEquals(Optional.of(KEY), server.takeRequest().header("x-api-key"));
        IllegalArgumentException auth = assertThrows(IllegalArgumentException.class, () -> factory.create(ProviderConfig.builder()
                .set("anthropic.api.key", KEY).set("anthropic.auth", "basic").build()));
        assertEquals("anthropic.auth must be x-api-key or bearer, was 'basic'", auth.getMessage());
        IllegalArgumentException insecure = assertThrows(IllegalArgumentException.class, () -> factory.create(ProviderConfig
                .builder().set("anthropic.api.key", KEY).set("anthropic.base.url", "http://example.com").build()));
        assertTrue(insecure.getMessage().contains("http"), insecure.getMessage());
        try (LlmProvider p = factory.create(ProviderConfig.builder().set("anthropic.api.key", KEY)
                .set("anthropic.base.url", "http://example.com").set("anthropic.allow.insecure.http", "true").build())) {
            assertInstanceOf(AnthropicProvider.class, p);
        }
    }

    @Test
    void toolArgumentsPastTheFactorysBoundAreTooLarge() {
        server.enqueue(Reply.chat(ScriptedStream.ofToolCall("t1", "f", "{\"a\":\"" + "x".repeat(200) + "\"}")));
        try (LlmProvider p = new AnthropicProviderFactory().create(ProviderConfig.builder().set("anthropic.api.key", KEY)
                .set("anthropic.base.url", server.baseUri().toString()).set("anthropic.max.tool.argument.chars", "100").build())) {
            ResponseTooLargeException e = assertThrows(ResponseTooLargeException.class, () -> p.chat(ChatRequest.of("x")));
            assertTrue(e.getMessage().contains("exceed 100 characters"), e.getMessage());
            assertTrue(e.partialResponse().orElseThrow().toolCalls().stream().map(ToolCall::arguments)
                    .allMatch(a -> a.length() <= 100));
        }
    }
}
