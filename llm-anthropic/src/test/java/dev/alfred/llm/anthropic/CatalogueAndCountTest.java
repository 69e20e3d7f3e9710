package dev.alfred.llm.anthropic;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.Capabilities.Feature;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.KeyLeaks;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token count ({@code POST /v1/messages/count_tokens}) and the model catalogue ({@code GET /v1/models})
 * over real HTTP, answered with the documented or recorded bodies under {@code src/test/resources/memory}.
 */
class CatalogueAndCountTest {

    private static final String KEY = "sk-ant-test-0123456789abcdefghij";
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "The weather.",
            JsonSchema.of("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));

    private final FakeServer server = FakeServer.start(WireDialect.anthropic());

    @AfterEach
    void stop() {
        server.close();
    }

    static String fixture(String name) {
        try (InputStream in = CatalogueAndCountTest.class.getResourceAsStream("/memory/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Reply json(String fixture) {
        return Reply.raw(200, "application/json", fixture(fixture));
    }

    private AnthropicProvider provider() {
        return AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).beta("token-efficient-tools-2025-02-19")
                .build();
    }

    private static ChatRequest everything() {
        return ChatRequest.builder().system("Be brief.").user("What is the weather in Paris?")
                .tools(List.of(WEATHER)).toolChoice(ToolChoice.AUTO).parallelToolCalls(false)
                .temperature(0.5).topP(0.9).stop(List.of("END")).maxTokens(9000)
                .responseFormat(ResponseFormat.jsonSchema("answer",
                        JsonSchema.of("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}"), false))
                .options(AnthropicOptions.thinking(2048)).build();
    }

    @Test
    void theCountSendsTheMessagesBodyLessWhatTheEndpointDoesNotTake() {
        AnthropicProvider p = provider();
        server.enqueue(Reply.chat("hi"));
        server.enqueue(json("count-tokens.json"));
        p.chat(everything());
        TokenCount count = p.tokenCounter().count(everything());

        assertEquals(new TokenCount(10, TokenCount.Kind.SERVER, "anthropic count_tokens"), count);
        RecordedRequest chat = server.takeRequest();
        RecordedRequest counted = server.takeRequest();
        assertEquals("/v1/messages", chat.path());
        assertEquals("POST", counted.method());
        assertEquals("/v1/messages/count_tokens", counted.path());
        ObjectNode expected = (ObjectNode) chat.json();
        assertEquals(Set.of("max_tokens", "temperature", "top_p", "stop_sequences"),
                Set.of(expected.remove("max_tokens") != null ? "max_tokens" : "",
                        expected.remove("temperature") != null ? "temperature" : "",
                        expected.remove("top_p") != null ? "top_p" : "",
                        expected.remove("stop_sequences") != null ? "stop_sequences" : ""));
        assertEquals(expected, counted.json());
        assertTrue(counted.json().has("thinking") && counted.json().has("tools") && counted.json().has("tool_choice")
                && counted.json().has("output_config") && counted.json().has("system"), counted.body());
        for (String h : List.of("x-api-key", "anthropic-version", "anthropic-beta")) {
            assertEquals(chat.header(h), counted.header(h), h);
        }
    }

    @Test
    void aStreamedRequestIsCountedWithoutStreamAndTheNextChatGoesToMessages() {
        AnthropicProvider p = provider();
        server.enqueue(json("count-tokens.json"));
        server.enqueue(Reply.chat("hi"));
        p.tokenCounter().count(ChatRequest.builder().user("hello").build());
        p.chat(ChatRequest.builder().user("hello").build());

        RecordedRequest counted = server.takeRequest();
        assertEquals("{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}",
                counted.body());
        assertEquals("/v1/messages", server.takeRequest().path());
    }

    @Test
    void aFailedCountLeavesTheNextChatOnMessages() {
        AnthropicProvider p = provider();
        server.enqueue(Reply.raw(200, "application/json", "{}"));
        server.enqueue(Reply.chat("hi"));
        assertThrows(MalformedResponseException.class, () -> p.tokenCounter().count(ChatRequest.builder().user("a").build()));
        assertEquals("hi", p.chat(ChatRequest.builder().user("a").build()).content());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"input_tokens\": 1", "[10]", "{\"input_tokens\": \"10\"}", "{\"tokens\": 10}",
            "{\"input_tokens\": -1}", "not json"})
    void aCountAnswerThatIsNotACountIsMalformed(String body) {
        server.enqueue(Reply.raw(200, "application/json", body));
        MalformedResponseException e = assertThrows(MalformedResponseException.class,
                () -> provider().tokenCounter().count(ChatRequest.builder().user("a").build()));
        assertEquals(java.util.Optional.of("anthropic"), e.providerId());
    }

    @Test
    void aCountAnswerReadsInputTokensAmongOtherFields() {
        server.enqueue(Reply.raw(200, "application/json",
                "{\"context_management\":{\"original_input_tokens\":7},\"input_tokens\":5}"));
        assertEquals(5, provider().tokenCounter().count(ChatRequest.builder().user("a").build()).tokens());
        server.enqueue(Reply.raw(200, "application/json", "{\"input_tokens\":0}"));
        assertEquals(0, provider().tokenCounter().count(ChatRequest.builder().user("a").build()).tokens());
    }

    @Test
    void countErrorsAreTypedAndLeaveTheKeyOut() {
        server.enqueue(Reply.raw(401, "application/json", fixture("error-authentication.json")
                .replace("invalid x-api-key", "invalid x-api-key " + KEY)));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> provider().tokenCounter().count(ChatRequest.builder().user("a").build()));
        KeyLeaks.assertNone(KEY, e);
        server.enqueue(Reply.raw(200, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));
        assertInstanceOf(RateLimitException.class, assertThrows(LlmException.class,
                () -> provider().tokenCounter().count(ChatRequest.builder().user("a").build())));
    }

    @Test
    void aClosedProviderRefusesToCount() {
        AnthropicProvider p = provider();
        p.close();
        LlmException e = assertThrows(LlmException.class, () -> p.tokenCounter().count(ChatRequest.builder().user("a").build()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(NullPointerException.class, () -> p.tokenCounter().count(null));
    }

    @Test
    void theCountCarriesTheRequestsOwnHeadersAndBodyFields() {
        server.enqueue(json("count-tokens.json"));
        provider().tokenCounter().count(ChatRequest.builder().user("a").settings(dev.alfred.llm.RequestSettings.builder()
                .header("X-Trace", "t-1").bodyField("context_management", "{\"edits\":[]}").build()).build());
        RecordedRequest counted = server.takeRequest();
        assertEquals(java.util.Optional.of("t-1"), counted.header("x-trace"));
        assertTrue(counted.json().has("context_management"), counted.body());
    }

    @Test
    void aRequestChatWouldRefuseIsRefusedBeforeItIsCounted() {
        ChatRequest jsonObject = ChatRequest.builder().user("a").responseFormat(ResponseFormat.JSON_OBJECT).build();
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> provider().tokenCounter().count(jsonObject));
        assertEquals(Feature.JSON_OBJECT, e.feature());
        assertEquals(0, server.requestCount());
    }

    @Test
    void aClosedProviderRefusesToList() {
        AnthropicProvider p = provider();
        p.close();
        LlmException e = assertThrows(LlmException.class, p::models);
        assertEquals("anthropic: provider is closed", e.getMessage());
        assertEquals(0, server.requestCount());
    }

    @Test
    void aPageOverTheProvidersBodyBoundIsTooLarge() {
        String page = fixture("models-page-last.json");
        server.enqueue(Reply.raw(200, "application/json", page));
        server.enqueue(Reply.raw(200, "application/json", page));
        AnthropicProvider fits = AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri())
                .maxBodyBytes(page.getBytes(StandardCharsets.UTF_8).length).build();
        assertEquals(1, fits.models().size());
        AnthropicProvider p = AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri())
                .maxBodyBytes(page.getBytes(StandardCharsets.UTF_8).length - 1).build();
        dev.alfred.llm.ResponseTooLargeException e = assertThrows(dev.alfred.llm.ResponseTooLargeException.class,
                p::models);
        assertTrue(e.getMessage().contains("maxBodyBytes"), e.getMessage());
        assertEquals(0, p.liveExchanges());
    }

    @Test
    void modelsAreReadPageAfterPageAndCompletedFromTheBuiltInTable() {
        server.enqueue(json("models-page-docs.json"));
        server.enqueue(json("models-page-last.json"));
        List<ModelInfo> models = provider().models();

        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertEquals("GET", first.method());
        assertEquals("/v1/models?limit=1000", first.path());
        assertEquals("/v1/models?limit=1000&after_id=last_id", second.path());
        assertEquals(java.util.Optional.of(KEY), first.header("x-api-key"));
        assertEquals(java.util.Optional.of("2023-06-01"), second.header("anthropic-version"));
        assertEquals(java.util.Optional.of("token-efficient-tools-2025-02-19"), first.header("anthropic-beta"));
        assertEquals(List.of(
                new ModelInfo("claude-opus-4-6", "Claude Opus 4.6", 1_000_000, 128_000,
                        Set.of(Feature.IMAGES, Feature.REASONING, Feature.JSON_SCHEMA), ModelInfo.Origin.BUILT_IN,
                        LocalDate.of(2026, 12, 8)),
                new ModelInfo("claude-3-5-sonnet-latest", "Claude 3.5 Sonnet", null, null, Set.of(),
                        ModelInfo.Origin.UNKNOWN, null)), models);
    }

    @Test
    void theServersLimitsAndFeaturesComeFirst() {
        server.enqueue(json("models-page-limits.json"));
        assertEquals(List.of(new ModelInfo("claude-sonnet-4-5", "Claude Sonnet 4.5", 200_000, 64_000,
                Set.of(Feature.IMAGES, Feature.REASONING), ModelInfo.Origin.SERVER, null)), provider().models());
    }

    @Test
    void configuredWindowsOverrideTheServerAndTheTable() {
        server.enqueue(json("models-page-limits.json"));
        server.enqueue(json("models-page-docs.json"));
        server.enqueue(json("models-page-last.json"));
        ProviderConfig config = ProviderConfig.of(Map.of("anthropic.api.key", KEY,
                "anthropic.base.url", server.baseUri().toString(),
                "anthropic.context.windows", "claude-sonnet-4-5=150000/8000,claude-opus-4-6=500000"));
        var p = LlmProviders.create("anthropic", config);
        assertEquals(List.of(new ModelInfo("claude-sonnet-4-5", "Claude Sonnet 4.5", 150_000, 8_000,
                Set.of(Feature.IMAGES, Feature.REASONING), ModelInfo.Origin.CONFIGURED, null)), p.models());
        assertEquals(new ModelInfo("claude-opus-4-6", "Claude Opus 4.6", 500_000, null,
                Set.of(Feature.IMAGES, Feature.REASONING, Feature.JSON_SCHEMA), ModelInfo.Origin.CONFIGURED, null),
                p.models().get(0));
        assertThrows(IllegalArgumentException.class, () -> LlmProviders.create("anthropic", ProviderConfig.of(Map.of(
                "anthropic.api.key", KEY, "anthropic.context.windows", "claude-x=lots"))));
    }

    @Test
    void aVersionedBaseUrlListsBelowIt() {
        server.enqueue(json("models-page-last.json"));
        AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri().resolve("/v1")).build().models();
        assertEquals("/v1/models?limit=1000", server.takeRequest().path());
        assertEquals(URI.create("https://h/x/v1/models"), AnthropicProvider.apiUrl(URI.create("https://h/x/v1/"), "models"));
    }

    @Test
    void anAfterIdIsSentEncoded() {
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[],\"has_more\":true,\"last_id\":\"a b&c\"}"));
        server.enqueue(json("models-page-last.json"));
        provider().models();
        server.takeRequest();
        assertEquals("/v1/models?limit=1000&after_id=a+b%26c", server.takeRequest().path());
    }

    @Test
    void aListThatRepeatsItsLastIdEndsWithATypedException() {
        server.setDefault(json("models-page-docs.json"));
        MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> provider().models());
        assertTrue(e.getMessage().contains("has_more") && e.getMessage().contains("last_id"), e.getMessage());
        assertNull(e.getCause());
        assertEquals(2, server.requestCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"data\":[],\"has_more\":true}", "{\"data\":[],\"has_more\":true,\"last_id\":null}",
            "{\"data\":[],\"has_more\":true,\"last_id\":\"\"}"})
    void moreWithoutALastIdEndsWithATypedException(String page) {
        server.enqueue(Reply.raw(200, "application/json", page));
        assertThrows(MalformedResponseException.class, () -> provider().models());
        assertEquals(1, server.requestCount());
    }

    @Test
    void aListThatNeverEndsStopsAtTheBound() {
        for (int i = 0; i < AnthropicProvider.MAX_PAGES + 1; i++) {
            server.enqueue(Reply.raw(200, "application/json",
                    "{\"data\":[{\"id\":\"m" + i + "\"}],\"has_more\":true,\"last_id\":\"m" + i + "\"}"));
        }
        MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> provider().models());
        assertTrue(e.getMessage().contains(AnthropicProvider.MAX_PAGES + " pages"), e.getMessage());
        assertEquals(AnthropicProvider.MAX_PAGES, server.requestCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"has_more\":false}", "{\"data\":{}}", "{\"data\":[\"claude\"]}",
            "{\"data\":[{\"display_name\":\"x\"}]}", "{\"data\":[{\"id\":\" \"}]}",
            "{\"data\":[{\"id\":\"m\",\"max_input_tokens\":-5}]}", "{\"data\":[{\"id\":\"m\",\"max_tokens\":\"5\"}]}",
            "{\"data\":[{\"id\":\"m\",\"max_tokens\":3000000000}]}", "{\"data\":[{\"id\":\"m\"}"})
    void aPageThatIsNotAPageIsMalformed(String page) {
        server.enqueue(Reply.raw(200, "application/json", page));
        MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> provider().models());
        assertTrue(e.getMessage().contains("malformed models page"), e.getMessage());
        assertTrue(e.getCause() != null, "the parser's complaint is kept");
    }

    @Test
    void oddButValidFieldsAreRead() {
        server.enqueue(Reply.raw(200, "application/json", "{\"first_id\":null,\"data\":[{\"id\":\"m\",\"display_name\":null,"
                + "\"max_input_tokens\":null,\"max_tokens\":2147483647,\"capabilities\":{\"thinking\":true,\"image_input\":"
                + "{\"note\":[1],\"supported\":true},\"pdf_input\":{\"supported\":true},\"structured_outputs\":"
                + "{\"supported\":false}},\"extra\":{\"x\":[1,2]}},{\"id\":\"n\",\"capabilities\":null}],"
                + "\"has_more\":false,\"last_id\":7}"));
        assertEquals(List.of(new ModelInfo("m", null, null, Integer.MAX_VALUE, Set.of(Feature.IMAGES), ModelInfo.Origin.UNKNOWN, null),
                ModelInfo.ofId("n")), provider().models());
    }

    @Test
    void catalogueErrorsAreTypedAndLeaveTheKeyOut() {
        server.enqueue(Reply.raw(401, "application/json", fixture("error-authentication.json")
                .replace("invalid x-api-key", "invalid x-api-key " + KEY)));
        KeyLeaks.assertNone(KEY, assertThrows(AuthenticationException.class, () -> provider().models()));
        server.enqueue(Reply.raw(429, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));
        assertThrows(RateLimitException.class, () -> provider().models());
        server.enqueue(Reply.raw(200, "application/json", fixture("models-page-docs.json")));
        server.enqueue(Reply.raw(500, "application/json",
                "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"));
        assertThrows(ProviderUnavailableException.class, () -> provider().models());
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"id\":\"" + KEY + "\"},7]}"));
        KeyLeaks.assertNone(KEY, assertThrows(MalformedResponseException.class, () -> provider().models()));
    }

    @Test
    void theCatalogueUsesTheCallersClientAndExecutor() {
        AtomicInteger clientTasks = new AtomicInteger();
        AtomicInteger executorTasks = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Executor countingClient = r -> {
                clientTasks.incrementAndGet();
                pool.execute(r);
            };
            Executor countingExecutor = r -> {
                executorTasks.incrementAndGet();
                pool.execute(r);
            };
            HttpClient client = HttpClient.newBuilder().executor(countingClient).build();
            server.enqueue(json("models-page-last.json"));
            AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).httpClient(client).build().models();
            assertTrue(clientTasks.get() > 0);
            server.enqueue(json("models-page-last.json"));
            AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).executor(countingExecutor).build().models();
            assertTrue(executorTasks.get() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExtraHeaderGoesToTheCatalogueToo() {
        server.enqueue(json("models-page-last.json"));
        AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).header("X-Team", "memory").build().models();
        assertEquals(java.util.Optional.of("memory"), server.takeRequest().header("x-team"));
    }

    @Test
    void embeddingsAreRefusedNamingVoyage() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> LlmProviders.createEmbeddings("anthropic", ProviderConfig.of(Map.of("anthropic.api.key", KEY))));
        assertEquals(Feature.EMBEDDINGS, e.feature());
        assertEquals(java.util.Optional.of("anthropic"), e.providerId());
        assertTrue(e.getMessage().contains("Voyage") && e.getMessage().contains("openai.dialect=voyage")
                && e.getMessage().contains("LlmProviders.createEmbeddings(\"openai\""), e.getMessage());
    }

    @Test
    void theBuiltInTableIsDated() {
        assertEquals(java.util.Optional.of(LocalDate.of(2026, 12, 8)), AnthropicProvider.BUILT_IN_MODELS.asOf());
        assertNull(AnthropicProvider.BUILT_IN_MODELS.find("claude-2").orElse(null));
    }
}
