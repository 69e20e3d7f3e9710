package dev.alfred.llm.openai;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.Usage;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.StreamRecording;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the OpenAI provider sends and reads for each server it speaks to, over real HTTP. */
class OpenAiProviderTest {

    private static final String KEY = "sk-openai-test-0123456789abcdefghij";
    private static final ChatRequest HELLO = ChatRequest.of("hello");
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "The weather.",
            JsonSchema.of("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));

    private final FakeServer server = FakeServer.start(WireDialect.openAi());

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiProvider provider(Dialect dialect) {
        return OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).model("gpt-4.1").dialect(dialect).build();
    }

    private static Reply sse(String... events) {
        StringBuilder body = new StringBuilder();
        for (String e : events) {
            body.append(e).append("\n\n");
        }
        return Reply.raw(200, "text/event-stream", body.toString());
    }

    @Test
    void aDefaultStreamAsksForUsageAsOpenAiWantsAndReportsIt() {
        server.enqueue(Reply.stream("Hel", "lo"));
        try (OpenAiProvider p = provider(Dialect.OPENAI)) {
            ChatResponse r = StreamRecording.of(p.stream(HELLO.toBuilder().maxTokens(50).build())).assertCompleted();
            assertEquals("Hello", r.content());
            assertEquals(ScriptedStream.DEFAULT_USAGE, r.usage(), "usage from the extra chunk OpenAI sends when asked");
            assertEquals(dev.alfred.llm.FinishReason.STOP, r.finishReason());
        }
        RecordedRequest req = server.takeRequest();
        assertEquals(Optional.of("Bearer " + KEY), req.header("authorization"));
        assertTrue(req.json().path("stream_options").path("include_usage").asBoolean());
        assertEquals(50, req.json().path("max_completion_tokens").asInt());
        assertFalse(req.json().has("max_tokens"));
    }

    @Test
    void groqAndMistralGetNoStreamOptionsNoToolNamesAndMaxTokens() {
        ChatRequest replay = ChatRequest.builder().user("weather?").tools(WEATHER)
                .message(new dev.alfred.llm.AssistantMessage("", "thought", List.of(new ToolCall("call_0fypS1hVX12",
                        "get_weather", "{\"city\":\"Oslo\"}", ToolCall.Status.COMPLETE)), dev.alfred.llm.ProviderState.NONE))
                .message(ChatMessage.toolResult(new ToolCall("call_0fypS1hVX12", "get_weather", "{}", ToolCall.Status.COMPLETE), "cold"))
                .maxTokens(9).build();
        for (Dialect d : List.of(Dialect.GROQ, Dialect.MISTRAL)) {
            server.enqueue(Reply.stream("ok"));
            try (OpenAiProvider p = provider(d)) {
                StreamRecording.of(p.stream(replay)).assertCompleted();
            }
            JsonNode body = server.takeRequest().json();
            assertFalse(body.has("stream_options"), d + " rejects or ignores stream_options");
            assertEquals(9, body.path("max_tokens").asInt(), d.toString());
            assertFalse(body.has("max_completion_tokens"), d.toString());
            JsonNode tool = body.path("messages").get(2);
            assertFalse(tool.has("name"), d + " rejects a name on messages");
            String sentId = body.path("messages").get(1).path("tool_calls").get(0).path("id").asString();
            assertEquals(sentId, tool.path("tool_call_id").asString(), "the call and its result keep one id");
            assertFalse(body.path("messages").get(1).has("reasoning_content"), d + " rejects a field it does not know"
                    + " in a message (Groq: \"property 'reasoning_content' is unsupported\"; Mistral: 422)");
            if (d == Dialect.MISTRAL) {
                assertTrue(sentId.matches("[a-zA-Z0-9]{9}"), "Mistral takes 9 letters and digits: " + sentId);
            } else {
                assertEquals("call_0fypS1hVX12", sentId);
            }
        }
    }

    @Test
    void azureTakesItsKeyInApiKeyKeepsTheApiVersionAndSkipsItsEmptyFirstChunk() {
        URI base = URI.create(server.baseUri() + "/openai/deployments/gpt?api-version=2024-10-21");
        server.enqueue(sse("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[]}",
                "data: {\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
                        + "\"content_filter_results\":{}}]}",
                "data: {\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
                "data: [DONE]"));
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(base).model("gpt").dialect(Dialect.AZURE).build()) {
            ChatResponse r = StreamRecording.of(p.stream(HELLO)).assertCompleted();
            assertEquals("Hi", r.content());
            assertEquals("gpt-4o", r.model());
            assertEquals("chatcmpl-1", r.id());
        }
        RecordedRequest req = server.takeRequest();
        assertEquals("/v1/openai/deployments/gpt/chat/completions?api-version=2024-10-21", req.path());
        assertEquals(Optional.of(KEY), req.header("api-key"));
        assertEquals(Optional.empty(), req.header("authorization"));
    }

    @Test
    void aLoopbackServerNeedsNoKeyAndARemoteOneDoes() {
        server.enqueue(Reply.chat("local"));
        try (OpenAiProvider p = OpenAiProvider.builder().baseUrl(server.baseUri()).model("qwen3").build()) {
            assertEquals("local", p.chat(HELLO).content());
            assertFalse(p.toString().contains("****"), p.toString());
        }
        assertEquals(Optional.empty(), server.takeRequest().header("authorization"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpenAiProvider.builder().build());
        assertTrue(e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class, () -> OpenAiProvider.builder()
                .baseUrl(URI.create("http://localhost:11434/v1")).build());
        assertTrue(model.getMessage().contains("ollama") && model.getMessage().contains("OPENAI_MODEL"), model.getMessage());
    }

    @Test
    void theDialectIsGuessedFromTheHostOrNamedBySetting() {
        assertSame(Dialect.OPENAI, Dialect.forBaseUrl(URI.create("https://api.openai.com/v1")));
        assertSame(Dialect.AZURE, Dialect.forBaseUrl(URI.create("https://acme.openai.azure.com/openai/v1")));
        assertSame(Dialect.DEEPSEEK, Dialect.forBaseUrl(URI.create("https://api.deepseek.com")));
        assertSame(Dialect.OLLAMA, Dialect.forBaseUrl(URI.create("http://localhost:11434/v1")));
        assertSame(Dialect.OPENROUTER, Dialect.forBaseUrl(URI.create("https://openrouter.ai/api/v1")));
        assertSame(Dialect.GROQ, Dialect.forBaseUrl(URI.create("https://api.groq.com/openai/v1")));
        assertSame(Dialect.MISTRAL, Dialect.forBaseUrl(URI.create("https://api.mistral.ai/v1")));
        assertSame(Dialect.OPENAI, Dialect.forBaseUrl(URI.create("http://127.0.0.1:8000/v1")));
        assertSame(Dialect.VLLM, Dialect.named(" VLLM "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dialect.named("gemini"));
        assertTrue(e.getMessage().contains("azure, deepseek, groq, llamacpp, mistral, ollama, openai, openrouter, vllm"),
                e.getMessage());
        server.enqueue(Reply.chat("spi"));
        try (LlmProvider p = LlmProviders.create("openai", ProviderConfig.of(Map.of("OPENAI_BASE_URL",
                server.baseUri().toString(), "OPENAI_MODEL", "m", "OPENAI_DIALECT", "deepseek")))) {
            assertEquals("spi", p.chat(HELLO.toBuilder().maxTokens(5).build()).content());
            assertEquals("deepseek", ((OpenAiProvider) p).dialect().name());
            assertEquals("deepseek", p.endpoint().dialect(), "a listener names the server by it");
            assertEquals("m", p.endpoint().defaultModel());
        }
        assertEquals(5, server.takeRequest().json().path("max_tokens").asInt());
    }

    @Test
    void reasoningModelsGetNoTemperatureAndTheResponseSaysSo() {
        server.enqueue(Reply.chat("a")).enqueue(Reply.chat("b"));
        try (OpenAiProvider p = provider(Dialect.OPENAI)) {
            ChatResponse r = p.chat(HELLO.toBuilder().model("gpt-5-mini").temperature(0.2).build());
            assertTrue(r.warnings().contains("temperature and top_p were not sent: gpt-5-mini accepts only their defaults"),
                    r.warnings().toString());
            p.chat(HELLO.toBuilder().temperature(0.2).build());
        }
        assertFalse(server.takeRequest().json().has("temperature"));
        assertEquals(0.2, server.takeRequest().json().path("temperature").asDouble());
    }

    @Test
    void everyReasoningFieldAndUsagePlacementIsRead() {
        server.enqueue(sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"vllm thinks\"}}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":"
                        + "[{\"type\":\"text\",\"text\":\" magistral thinks\"}]},{\"type\":\"text\",\"text\":\"A\"}]}}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":null,\"content\":\"B\"},\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4,\"prompt_cache_hit_tokens\":6,"
                        + "\"completion_tokens_details\":{\"reasoning_tokens\":9}},"
                        + "\"x_groq\":{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":4}}}",
                ": OPENROUTER PROCESSING",
                "data: [DONE]"));
        try (OpenAiProvider p = provider(Dialect.OPENAI)) {
            StreamRecording rec = StreamRecording.of(p.stream(HELLO));
            ChatResponse r = rec.assertCompleted();
            assertEquals(List.of(ChatDelta.reasoning("vllm thinks"), ChatDelta.reasoning(" magistral thinks"),
                    ChatDelta.text("A"), ChatDelta.text("B")), rec.deltas());
            assertEquals(new Usage(10, 4, 14, 6, 0, 9), r.usage(), "cache hits read, counts as sent, x_groq not added");
        }
    }

    @Test
    void reasoningDetailsAndExtraContentGoBackVerbatim() {
        server.enqueue(sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"R\",\"reasoning_details\":"
                        + "[{\"type\":\"reasoning.text\",\"text\":\"R\",\"index\":0}]}}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"reasoning_details\":[{\"type\":\"reasoning.text\",\"signature\":\"sig==\"}],"
                        + "\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                        + "\"arguments\":\"{}\"},\"extra_content\":{\"google\":{\"thought_signature\":\"ts==\"}}}]}}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}",
                "data: [DONE]"));
        server.enqueue(Reply.chat("done"));
        try (OpenAiProvider p = provider(Dialect.OPENROUTER)) {
            ChatRequest ask = ChatRequest.builder().user("weather?").tools(WEATHER).build();
            ChatResponse r = StreamRecording.of(p.stream(ask)).assertCompleted();
            assertEquals("openai", r.state().providerId());
            p.chat(ask.toBuilder().message(ChatMessage.of(r)).message(ChatMessage.toolResult(r.toolCalls().get(0), "sun")).build());
        }
        server.takeRequest();
        JsonNode assistant = server.takeRequest().json().path("messages").get(1);
        assertEquals("[{\"type\":\"reasoning.text\",\"text\":\"R\",\"index\":0},{\"type\":\"reasoning.text\",\"signature\":\"sig==\"}]",
                assistant.path("reasoning_details").toString());
        assertEquals("{\"google\":{\"thought_signature\":\"ts==\"}}", assistant.path("tool_calls").get(0).path("extra_content").toString());
    }

    @Test
    void anErrorInPlaceOfFurtherDeltasFailsTypedAndDoneAfterAnErrorProvesNothing() {
        server.enqueue(Reply.stream(ScriptedStream.ofText("a", "b", "c")
                .withRawEventAt(1, server.dialect().errorEvent("server_error", "upstream died")).cutAfter(1)));
        server.enqueue(Reply.stream(ScriptedStream.ofText("x").withRawEvent(
                "data: {\"error\":{\"code\":400,\"message\":\"Token limit reached\"},\"choices\":[]}")));
        try (OpenAiProvider p = provider(Dialect.OPENROUTER)) {
            StreamRecording cut = StreamRecording.of(p.stream(HELLO));
            StreamInterruptedException e = cut.assertFailed(StreamInterruptedException.class);
            assertEquals("a", e.partialContent());
            assertInstanceOf(ProviderUnavailableException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("upstream died"), e.getCause().getMessage());
            StreamRecording done = StreamRecording.of(p.stream(HELLO));
            assertNull(done.response(), "[DONE] after an error is not a success");
            assertTrue(done.failure().getCause().getMessage().contains("Token limit reached"), done.failure().toString());
        }
    }

    @Test
    void groqsErrorEventEndsTheStreamWithTheServersErrorNotATruncation() {
        server.enqueue(sse("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"so\"}}]}",
                "event: error\ndata: {\"error\":{\"message\":\"Tool call validation failed\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"tool_use_failed\",\"failed_generation\":\"x\",\"status_code\":400}}"));
        server.enqueue(sse("event: error\ndata: {\"error\":{\"message\":\"Overloaded\",\"type\":\"engine_overloaded_error\"}}"));
        try (OpenAiProvider p = provider(Dialect.GROQ)) {
            StreamInterruptedException e = StreamRecording.of(p.stream(HELLO)).assertFailed(StreamInterruptedException.class);
            assertEquals("so", e.partialContent());
            assertTrue(e.getCause().getMessage().contains("Tool call validation failed"), e.getCause().getMessage());
            assertFalse(e.getCause().getMessage().contains("[DONE]"), e.getCause().getMessage());
            RateLimitException overloaded = assertInstanceOf(RateLimitException.class,
                    StreamRecording.of(p.stream(HELLO)).failure());
            assertTrue(overloaded.isRetryable());
        }
    }

    @Test
    void aStreamCutInsideAnEventIsTruncated() {
        ScriptedStream script = ScriptedStream.ofText("one ", "two");
        String body = server.dialect().streamBody(script);
        server.enqueue(Reply.stream(script.cutAtByte(body.indexOf("two") + 1)));
        try (OpenAiProvider p = provider(Dialect.OPENAI)) {
            StreamInterruptedException e = StreamRecording.of(p.stream(HELLO)).assertFailed(StreamInterruptedException.class);
            assertEquals("one ", e.partialContent());
            assertTrue(e.getCause().getMessage().contains("before data: [DONE]"), e.getCause().getMessage());
        }
    }

    @Test
    void anErrorEventThatIsNotJsonAndAJsonErrorInsteadOfAStreamAreTypedErrors() {
        server.enqueue(sse("event: error\ndata: upstream exploded"));
        server.enqueue(Reply.raw(200, "application/json", "{\"error\":{\"message\":\"quota gone\",\"type\":\"insufficient_quota\"}}"));
        server.enqueue(Reply.raw(200, "text/plain", "hello"));
        try (OpenAiProvider p = provider(Dialect.OPENAI)) {
            LlmException notJson = StreamRecording.of(p.stream(HELLO)).failure();
            assertInstanceOf(ProviderUnavailableException.class, notJson);
            assertTrue(notJson.getMessage().contains("upstream exploded"), notJson.getMessage());
            LlmException quota = StreamRecording.of(p.stream(HELLO)).failure();
            assertInstanceOf(dev.alfred.llm.QuotaExceededException.class, quota);
            assertTrue(quota.getMessage().contains("quota gone"), quota.getMessage());
            LlmException text = StreamRecording.of(p.stream(HELLO)).failure();
            assertTrue(text.getMessage().contains("expected an event stream but got content type 'text/plain"), text.getMessage());
        }
    }

    /** Settings for a server that is not OpenAI, as another provider's options would be. */
    private record AcmeOptions(String mode) implements dev.alfred.llm.ProviderOptions {
        @Override
        public String providerId() {
            return "acme";
        }
    }

    /** The warnings about options a provider ignored (the fake's replies raise others: fields kept unmodelled). */
    private static List<String> ignored(ChatResponse r) {
        return r.warnings().stream().filter(w -> w.contains("were ignored")).toList();
    }

    @Test
    void openAisOptionsAreSentByEveryPlainDialectAndOtherOptionsAreIgnoredWithAWarning() {
        server.enqueue(Reply.chat("a")).enqueue(Reply.chat("b"));
        try (OpenAiProvider p = provider(Dialect.GROQ)) {
            ChatResponse seeded = p.chat(HELLO.toBuilder().options(OpenAiOptions.builder().seed(42).build()).build());
            assertEquals(List.of(), ignored(seeded));
            ChatResponse foreign = p.chat(HELLO.toBuilder().options(new AcmeOptions("fast")).build());
            assertEquals(List.of("options AcmeOptions for provider 'acme' were ignored by openai"), ignored(foreign));
        }
        assertEquals(42, server.takeRequest().json().path("seed").asInt());
        JsonNode ignored = server.takeRequest().json();
        assertFalse(ignored.has("mode") || ignored.has("seed"), ignored.toString());
    }

    @Test
    void aDialectWithOptionsOfItsOwnSendsThoseAndIgnoresOpenAis() {
        Dialect acme = Dialect.OPENAI.toBuilder("acme").extras(AcmeOptions.class, new dev.alfred.llm.openai.dialect.RequestExtras() {
            @Override
            public Map<String, Object> bodyFields(ChatRequest request) {
                return request.options(AcmeOptions.class).<Map<String, Object>>map(o -> Map.of("acme_mode", o.mode()))
                        .orElse(Map.of());
            }
        }).build();
        server.enqueue(Reply.chat("a")).enqueue(Reply.chat("b"));
        try (OpenAiProvider p = provider(acme)) {
            assertSame(AcmeOptions.class, p.dialect().optionsType(), "the dialect's own options are kept");
            assertEquals(List.of(), ignored(p.chat(HELLO.toBuilder().options(new AcmeOptions("fast")).build())));
            assertEquals(List.of("options OpenAiOptions for provider 'openai' were ignored by openai"),
                    ignored(p.chat(HELLO.toBuilder().options(OpenAiOptions.builder().seed(7).build()).build())));
        }
        assertEquals("fast", server.takeRequest().json().path("acme_mode").asString());
        assertFalse(server.takeRequest().json().has("seed"));
    }

    @Test
    void theDescriptionNamesTheDialectAndAPresetItsOwnIdAndSettings() {
        try (OpenAiProvider p = provider(Dialect.GROQ)) {
            assertTrue(p.toString().startsWith("OpenAiProvider{id=openai, dialect=groq, baseUrl="), p.toString());
        }
        server.enqueue(Reply.raw(429, "application/json", "{\"error\":{\"message\":\"slow\",\"type\":\"rate_limit_exceeded\"}}"));
        try (OpenAiProvider p = OpenAiProvider.builder().id("acme").apiKey(KEY).baseUrl(server.baseUri()).model("m")
                .dialect(Dialect.OPENAI).build()) {
            assertEquals("acme", p.id());
            RateLimitException e = assertThrows(RateLimitException.class, () -> p.chat(HELLO));
            assertEquals(Optional.of("acme"), e.providerId());
        }
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> OpenAiProvider.builder()
                .settingNames("set ACME_API_KEY, or call apiKey(...)", "acme.base.url, ACME_BASE_URL")
                .baseUrl(URI.create("https://api.acme.example/v1")).model("m").build());
        assertTrue(key.getMessage().contains("set ACME_API_KEY") && !key.getMessage().contains("OPENAI"), key.getMessage());
        IllegalArgumentException http = assertThrows(IllegalArgumentException.class, () -> OpenAiProvider.builder()
                .settingNames("set ACME_API_KEY, or call apiKey(...)", "acme.base.url, ACME_BASE_URL").apiKey(KEY)
                .baseUrl(URI.create("http://api.acme.example/v1")).model("m").build());
        assertTrue(http.getMessage().contains("acme.base.url, ACME_BASE_URL") && !http.getMessage().contains("openai."),
                http.getMessage());
    }

    @Test
    void aWholeAnswerSaysWhyItEndedAndWhatWasRepaired() {
        server.enqueue(Reply.raw(200, "application/json", "{\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"content\":\"\"},\"finish_reason\":\"content_filter\"}]}"));
        server.enqueue(Reply.raw(200, "application/json", "{\"choices\":[{\"index\":0,\"message\":{\"tool_calls\":"
                + "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}],"
                + "\"annotations\":[{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://s\"}}]},"
                + "\"finish_reason\":\"eos_token\"}]}"));
        try (OpenAiProvider p = provider(Dialect.OPENAI)) {
            ChatResponse filtered = p.chat(HELLO);
            assertEquals(dev.alfred.llm.FinishReason.CONTENT_FILTER, filtered.finishReason());
            ChatResponse repaired = p.chat(HELLO);
            assertEquals(dev.alfred.llm.FinishReason.OTHER, repaired.finishReason());
            assertEquals("eos_token", repaired.rawFinishReason());
            assertEquals("call_0", repaired.toolCalls().get(0).id());
            assertTrue(repaired.warnings().contains("tool call 0 (get_weather) came without an id; it was given call_0"),
                    repaired.warnings().toString());
            assertEquals("https://s", repaired.citations().get(0).url());
        }
    }

    @Test
    void aStreamReportsItsCitationsAndWhatWasRepaired() {
        server.enqueue(sse("data: {\"model\":\"m-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Sky\","
                        + "\"annotations\":[{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://s\","
                        + "\"start_index\":0,\"end_index\":3}}]}}]}",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
                        + "{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
                "data: [DONE]"));
        try (OpenAiProvider p = provider(Dialect.OPENAI)) {
            ChatResponse r = StreamRecording.of(p.stream(HELLO)).assertCompleted();
            assertEquals("m-1", r.model());
            assertEquals(List.of(new dev.alfred.llm.Citation(0, 3, "url_citation", null, "https://s", null,
                    "{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://s\",\"start_index\":0,\"end_index\":3}}")),
                    r.citations());
            assertTrue(r.warnings().contains("tool call 0 (get_weather) came without an id; it was given call_0"),
                    r.warnings().toString());
        }
    }

    @Test
    void aWholeAnswerThatIsAnErrorMapsAsItsOwnStatusSays() {
        server.enqueue(Reply.raw(200, "application/json", "{\"error\":{\"message\":\"slow down\",\"type\":\"tokens\","
                + "\"status_code\":429}}"));
        try (OpenAiProvider p = provider(Dialect.GROQ)) {
            RateLimitException e = assertThrows(RateLimitException.class, () -> p.chat(HELLO));
            assertTrue(e.getMessage().contains("slow down"), e.getMessage());
        }
    }

    @Test
    void theFactoryDeclaresItsSettingsSoAConfigurationShowsThem() {
        assertEquals(java.util.Set.of("openai."), new OpenAiProviderFactory().settingPrefixes());
        dev.alfred.llm.config.ProviderRegistry.of(new OpenAiProviderFactory());
        String shown = ProviderConfig.of(Map.of("openai.dialect", "groq", "zzz.unrelated", "x")).toString();
        assertTrue(shown.contains("openai.dialect=groq") && shown.contains("(1 other setting not shown)"), shown);
    }
}
