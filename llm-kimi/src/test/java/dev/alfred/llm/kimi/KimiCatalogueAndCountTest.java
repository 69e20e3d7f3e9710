package dev.alfred.llm.kimi;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.Capabilities.Feature;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.KeyLeaks;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Moonshot's token estimate and model catalogue over real HTTP, answered with the documented or recorded
 * bodies under {@code src/test/resources/memory}.
 */
class KimiCatalogueAndCountTest {

    private static final String KEY = "sk-kimi-test-0123456789abcdefghijkl";

    private final FakeServer server = FakeServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    static String fixture(String name) {
        try (InputStream in = KimiCatalogueAndCountTest.class.getResourceAsStream("/memory/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Reply json(String fixture) {
        return Reply.raw(200, "application/json", fixture(fixture));
    }

    private KimiProvider provider() {
        return KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).header("X-Team", "memory").build();
    }

    @Test
    void theEstimateSendsTheModelAndTheMessagesAsChatSendsThem() {
        KimiProvider kimi = provider();
        ChatRequest request = ChatRequest.builder().system("You are Kimi.")
                .message(new UserMessage(List.of(new ContentPart.Text("What is in"),
                        new ContentPart.ImageBytes(new byte[]{1, 2, 3}, "image/png"), new ContentPart.ImageFile("file-1"),
                        new ContentPart.ImageFile("ms://file-2"), new ContentPart.ImageUrl(URI.create("data:image/png;base64,AQ==")))))
                .message(new AssistantMessage("", "look it up", List.of(
                        new ToolCall("call_1", "$web_search", "{\"q\":\"x\"}", ToolCall.Status.COMPLETE),
                        new ToolCall("call_2", "lookup", "{}", ToolCall.Status.COMPLETE)), ProviderState.NONE))
                .message(new ToolMessage("call_1", "$web_search", "found", false))
                .message(new AssistantMessage("It is a cat.", "", List.of(), ProviderState.NONE))
                .message(new AssistantMessage("Sure.", "thought", List.of(), ProviderState.NONE))
                .user("thanks")
                .tools(List.of(ToolDefinition.function("lookup", "Looks up.", JsonSchema.of("{\"type\":\"object\"}"))))
                .temperature(0.6).maxTokens(1000).build();
        server.enqueue(Reply.chat("ok"));
        server.enqueue(json("estimate-token-count.json"));
        kimi.chat(request);
        TokenCount count = kimi.tokenCounter().count(request);

        assertEquals(new TokenCount(80, TokenCount.Kind.SERVER, "kimi estimate-token-count"), count);
        RecordedRequest chat = server.takeRequest();
        RecordedRequest estimate = server.takeRequest();
        assertEquals("POST", estimate.method());
        assertEquals("/v1/tokenizers/estimate-token-count", estimate.path());
        assertEquals(Set.of("model", "messages"), fieldNames(estimate));
        assertEquals(chat.json().get("model"), estimate.json().get("model"));
        assertEquals(chat.json().get("messages"), estimate.json().get("messages"));
        assertEquals(Optional.of("Bearer " + KEY), estimate.header("authorization"));
        assertEquals(Optional.of("memory"), estimate.header("x-team"));
        assertEquals(chat.header("user-agent"), estimate.header("user-agent"));
    }

    private static Set<String> fieldNames(RecordedRequest r) {
        Set<String> names = new java.util.HashSet<>();
        r.json().propertyNames().forEach(names::add);
        return names;
    }

    @Test
    void theRequestsModelWinsAndOptionsAreNotWarnedAbout() {
        server.enqueue(json("estimate-token-count.json"));
        provider().tokenCounter().count(ChatRequest.builder().user("Hello").model("kimi-k2.6")
                .options(KimiOptions.thinking(false)).build());
        assertEquals("{\"model\":\"kimi-k2.6\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
                server.takeRequest().body());
        server.enqueue(json("estimate-token-count.json"));
        provider().tokenCounter().count(ChatRequest.builder().user("Hello").build());
        assertEquals("{\"model\":\"kimi-k3\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
                server.takeRequest().body());
    }

    @Test
    void theEstimateSendsTheKeyAsTheChatDoesStripped() {
        server.enqueue(json("estimate-token-count.json"));
        KimiProvider.builder().apiKey(" " + KEY + " ").baseUrl(server.baseUri()).build().tokenCounter()
                .count(ChatRequest.builder().user("a").build());
        assertEquals(Optional.of("Bearer " + KEY), server.takeRequest().header("authorization"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[80]", "{\"data\":80}", "{\"data\":{\"total_tokens\":\"80\"}}",
            "{\"data\":{\"tokens\":80}}", "{\"total_tokens\":80}", "{\"data\":{\"total_tokens\":-1}}", "{\"data\":{"})
    void anEstimateThatIsNotOneIsMalformed(String body) {
        server.enqueue(Reply.raw(200, "application/json", body));
        MalformedResponseException e = assertThrows(MalformedResponseException.class,
                () -> provider().tokenCounter().count(ChatRequest.builder().user("a").build()));
        assertEquals(Optional.of("kimi"), e.providerId());
    }

    @Test
    void anEstimateReadsTotalTokensAmongOtherFields() {
        server.enqueue(Reply.raw(200, "application/json",
                "{\"code\":0,\"data\":{\"x\":{\"y\":1},\"total_tokens\":12},\"scode\":\"0x0\",\"status\":true}"));
        assertEquals(12, provider().tokenCounter().count(ChatRequest.builder().user("a").build()).tokens());
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":{\"total_tokens\":0}}"));
        assertEquals(0, provider().tokenCounter().count(ChatRequest.builder().user("a").build()).tokens());
    }

    @Test
    void estimateErrorsAreTypedByKimisTableAndLeaveTheKeyOut() {
        server.enqueue(Reply.raw(401, "application/json", fixture("error-authentication.json")
                .replace("Invalid Authentication", "Invalid Authentication " + KEY)));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> provider().tokenCounter().count(ChatRequest.builder().user("a").build()));
        KeyLeaks.assertNone(KEY, e);
        server.enqueue(Reply.raw(429, "application/json",
                "{\"error\":{\"message\":\"Your account is suspended\",\"type\":\"exceeded_current_quota_error\"}}")
                .withHeader("x-trace-id", "trace-1"));
        QuotaExceededException q = assertThrows(QuotaExceededException.class,
                () -> provider().tokenCounter().count(ChatRequest.builder().user("a").build()));
        assertTrue(q.getMessage().contains("trace-1"), q.getMessage());
        server.enqueue(Reply.raw(200, "application/json",
                "{\"error\":{\"message\":\"Invalid Authentication\",\"type\":\"invalid_authentication_error\"}}"));
        assertThrows(LlmException.class, () -> provider().tokenCounter().count(ChatRequest.builder().user("a").build()));
    }

    @Test
    void aClosedProviderRefusesToCountAndToList() {
        KimiProvider kimi = provider();
        kimi.close();
        LlmException count = assertThrows(LlmException.class,
                () -> kimi.tokenCounter().count(ChatRequest.builder().user("a").build()));
        assertTrue(count.getMessage().contains("closed"), count.getMessage());
        LlmException list = assertThrows(LlmException.class, kimi::models);
        assertTrue(list.getMessage().contains("closed"), list.getMessage());
        assertEquals(0, server.requestCount());
        assertThrows(NullPointerException.class, () -> provider().tokenCounter().count(null));
    }

    @Test
    void modelsAreReadAsKimiCliReadsThem() {
        server.enqueue(json("models-kimi-cli.json"));
        List<ModelInfo> models = provider().models();
        RecordedRequest r = server.takeRequest();
        assertEquals("GET", r.method());
        assertEquals("/v1/models", r.path());
        assertEquals(Optional.of("Bearer " + KEY), r.header("authorization"));
        assertEquals(Optional.of("memory"), r.header("x-team"));
        assertEquals(Optional.of(KimiProvider.USER_AGENT), r.header("user-agent"));
        assertEquals(List.of(new ModelInfo("kimi-for-coding", "k2.6-code-preview", 262_144, null,
                Set.of(Feature.REASONING, Feature.IMAGES), ModelInfo.Origin.SERVER, null)), models);
        server.enqueue(json("models-kimi-cli-plain.json"));
        assertEquals(List.of(new ModelInfo("kimi-for-coding", null, 262_144, null, Set.of(), ModelInfo.Origin.SERVER,
                null)), provider().models());
    }

    @Test
    void aModelWithoutAWindowIsCompletedFromTheTableAndConfigurationWins() {
        String list = "{\"object\":\"list\",\"data\":[{\"id\":\"kimi-k3\",\"object\":\"model\",\"display_name\":\"\","
                + "\"context_length\":0,\"permission\":[{\"x\":1}],\"supports_video_in\":{\"odd\":true}},"
                + "{\"id\":\"kimi-k2.6\",\"context_length\":null},{\"id\":\"private\",\"supports_reasoning\":\"yes\"},"
                + "{\"id\":\"kimi-k2.5\",\"context_length\":262144},{\"id\":\"big\",\"context_length\":2147483647}]}";
        server.enqueue(Reply.raw(200, "application/json", list));
        assertEquals(List.of(
                ModelInfo.ofId("kimi-k3").withLimits(1_000_000, null, ModelInfo.Origin.BUILT_IN, LocalDate.of(2026, 12, 8)),
                ModelInfo.ofId("kimi-k2.6").withLimits(262_144, null, ModelInfo.Origin.BUILT_IN, LocalDate.of(2026, 12, 8)),
                ModelInfo.ofId("private"),
                ModelInfo.ofId("kimi-k2.5").withLimits(262_144, null, ModelInfo.Origin.SERVER, null),
                ModelInfo.ofId("big").withLimits(Integer.MAX_VALUE, null, ModelInfo.Origin.SERVER, null)), provider().models());

        server.enqueue(Reply.raw(200, "application/json", list));
        LlmProvider configured = LlmProviders.create("kimi", ProviderConfig.of(Map.of("kimi.api.key", KEY,
                "kimi.base.url", server.baseUri().toString(), "kimi.context.windows", "kimi-k2.5=131072,private=8192")));
        List<ModelInfo> models = configured.models();
        assertEquals(ModelInfo.ofId("private").withLimits(8192, null, ModelInfo.Origin.CONFIGURED, null), models.get(2));
        assertEquals(ModelInfo.ofId("kimi-k2.5").withLimits(131_072, null, ModelInfo.Origin.CONFIGURED, null), models.get(3));
        assertThrows(IllegalArgumentException.class, () -> LlmProviders.create("kimi", ProviderConfig.of(Map.of(
                "kimi.api.key", KEY, "kimi.context.windows", "kimi-k3=a lot"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{\"object\":\"list\"}", "{\"data\":{}}", "{\"data\":[\"kimi-k3\"]}",
            "{\"data\":[{\"context_length\":1}]}", "{\"data\":[{\"id\":\"\"}]}", "{\"data\":[{\"id\":7}]}",
            "{\"data\":[{\"id\":\"m\",\"context_length\":-1}]}", "{\"data\":[{\"id\":\"m\",\"context_length\":\"8k\"}]}",
            "{\"data\":[{\"id\":\"m\",\"context_length\":4294967296}]}", "{\"data\":[{\"id\":\"m\"}"})
    void aListThatIsNotOneIsMalformed(String body) {
        server.enqueue(Reply.raw(200, "application/json", body));
        MalformedResponseException e = assertThrows(MalformedResponseException.class, () -> provider().models());
        assertTrue(e.getMessage().contains("malformed model list"), e.getMessage());
    }

    @Test
    void catalogueErrorsAreTypedAndLeaveTheKeyOut() {
        server.enqueue(Reply.raw(401, "application/json", fixture("error-authentication.json")
                .replace("Invalid Authentication", "Invalid Authentication " + KEY)));
        KeyLeaks.assertNone(KEY, assertThrows(AuthenticationException.class, () -> provider().models()));
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"id\":\"" + KEY + "\",\"context_length\":-1}]}"));
        KeyLeaks.assertNone(KEY, assertThrows(MalformedResponseException.class, () -> provider().models()));
        server.enqueue(Reply.raw(403, "application/json", "{\"error\":{\"message\":\"The API you are accessing is not open\","
                + "\"type\":\"permission_denied_error\"}}").withHeader("x-trace-id", "trace-403"));
        LlmException e = assertThrows(LlmException.class, () -> provider().models());
        assertTrue(e.getMessage().contains("trace-403"), e.getMessage());
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
            server.enqueue(json("models-kimi-cli.json"));
            KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri())
                    .httpClient(HttpClient.newBuilder().executor(countingClient).build()).build().models();
            assertTrue(clientTasks.get() > 0);
            server.enqueue(json("models-kimi-cli.json"));
            KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).executor(countingExecutor).build().models();
            assertTrue(executorTasks.get() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void embeddingsAreRefusedNamingTheAlternative() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> LlmProviders.createEmbeddings("kimi", ProviderConfig.of(Map.of("kimi.api.key", KEY))));
        assertEquals(Feature.EMBEDDINGS, e.feature());
        assertEquals(Optional.of("kimi"), e.providerId());
        assertTrue(e.getMessage().contains("not open") && e.getMessage().contains("LlmProviders.createEmbeddings(\"openai\"")
                && e.getMessage().contains("voyage"), e.getMessage());
        UnsupportedFeatureException byDialect = assertThrows(UnsupportedFeatureException.class,
                () -> dev.alfred.llm.openai.OpenAiEmbeddings.builder().dialect(KimiDialect.DIALECT).apiKey(KEY)
                        .baseUrl(server.baseUri()).model("m").build());
        assertTrue(byDialect.getMessage().contains(KimiProviderFactory.NO_EMBEDDINGS), byDialect.getMessage());
    }

    @Test
    void theCallsBesideChatNeverChat() {
        dev.alfred.llm.kimi.internal.Estimates beside = dev.alfred.llm.kimi.internal.Estimates
                .builder("kimi", KimiDialect.DIALECT)
                .apiKey(KEY).baseUrl(server.baseUri()).build("key", "url", "kimi-k3");
        try (beside) {
            assertThrows(UnsupportedOperationException.class,
                    () -> beside.stream(ChatRequest.builder().user("a").build()));
            assertThrows(UnsupportedOperationException.class,
                    () -> beside.chat(ChatRequest.builder().user("a").build()));
            assertEquals(0, server.requestCount());
        }
    }

    @Test
    void aRequestChatWouldRefuseIsRefusedBeforeItIsEstimated() {
        ChatRequest imageUrl = ChatRequest.builder().message(new UserMessage(List.of(new ContentPart.Text("what?"),
                new ContentPart.ImageUrl(URI.create("https://example.com/cat.png"))))).build();
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> provider().tokenCounter().count(imageUrl));
        assertEquals(Feature.IMAGE_URLS, e.feature());
        assertEquals(0, server.requestCount());
    }

    @Test
    void aListOverTheProvidersBodyBoundIsTooLarge() {
        String list = fixture("models-kimi-cli.json");
        int size = list.getBytes(StandardCharsets.UTF_8).length;
        server.enqueue(Reply.raw(200, "application/json", list));
        server.enqueue(Reply.raw(200, "application/json", list));
        assertEquals(1, KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).maxBodyBytes(size).build()
                .models().size());
        dev.alfred.llm.ResponseTooLargeException e = assertThrows(dev.alfred.llm.ResponseTooLargeException.class,
                () -> KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).maxBodyBytes(size - 1).build().models());
        assertTrue(e.getMessage().contains("maxBodyBytes"), e.getMessage());
    }

    @Test
    void closeCancelsAnEstimateAndAListingBlockedOnTheirHeads() throws Exception {
        dev.alfred.llm.testkit.Gate gate = new dev.alfred.llm.testkit.Gate();
        server.enqueue(json("estimate-token-count.json").holdHead(gate));
        server.enqueue(json("models-kimi-cli.json").holdHead(gate));
        KimiProvider kimi = provider();
        java.util.concurrent.atomic.AtomicReference<Throwable> counted = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> listed = new java.util.concurrent.atomic.AtomicReference<>();
        Thread count = new Thread(() -> {
            try {
                kimi.tokenCounter().count(ChatRequest.builder().user("a").build());
            } catch (Throwable t) {
                counted.set(t);
            }
        });
        count.start();
        server.awaitRequests(1);
        Thread list = new Thread(() -> {
            try {
                kimi.models();
            } catch (Throwable t) {
                listed.set(t);
            }
        });
        list.start();
        server.awaitRequests(2);
        kimi.close();
        count.join(3_000);
        list.join(3_000);
        gate.release();
        assertFalse(count.isAlive() || list.isAlive(), "close did not end the calls");
        for (Throwable t : List.of(counted.get(), listed.get())) {
            assertInstanceOf(LlmException.class, t);
            assertTrue(t.getMessage().contains("the provider was closed"), t.getMessage());
        }
    }

    @Test
    void theBuiltInTableIsDated() {
        assertEquals(Optional.of(LocalDate.of(2026, 12, 8)), KimiProvider.BUILT_IN_MODELS.asOf());
        assertEquals(Optional.empty(), KimiProvider.BUILT_IN_MODELS.find("moonshot-v1-8k"));
    }

}
