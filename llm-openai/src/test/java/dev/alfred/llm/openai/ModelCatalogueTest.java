package dev.alfred.llm.openai;

import dev.alfred.llm.Capabilities.Feature;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code OpenAiProvider.models()} per dialect, against the shapes each server documents. */
class ModelCatalogueTest {

    private static final String KEY = "sk-models-test-0123456789abcdefghij";
    private static final LocalDate TABLE_DATE = LocalDate.of(2026, 12, 7);

    private final FakeServer server = FakeServer.start(WireDialect.openAi());

    @AfterEach
    void stop() {
        server.close();
    }

    private List<ModelInfo> models(Dialect dialect, String fixture) {
        server.enqueue(Reply.raw(200, "application/json", OpenAiEmbeddingsTest.fixture("models/" + fixture)));
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).dialect(dialect).model("m")
                .build()) {
            return p.models();
        }
    }

    @Test
    void openAiListsIdsOnlyAndTheDatedTableCompletesItsDefaultModels() {
        List<ModelInfo> models = models(Dialect.OPENAI, "openai.json");
        assertEquals(List.of(
                new ModelInfo("gpt-5-mini", null, 272_000, 128_000, Set.of(), ModelInfo.Origin.BUILT_IN, TABLE_DATE),
                ModelInfo.ofId("text-embedding-3-small"), ModelInfo.ofId("gpt-4o-2024-08-06")), models);
        RecordedRequest req = server.takeRequest();
        assertEquals("GET", req.method());
        assertEquals("/v1/models", req.path());
        assertEquals(Optional.of("Bearer " + KEY), req.header("authorization"));
    }

    @Test
    void groqReportsItsWindowAndOutputLimit() {
        assertEquals(List.of(
                new ModelInfo("llama-3.3-70b-versatile", null, 131_072, 32_768, Set.of(), ModelInfo.Origin.SERVER, null),
                new ModelInfo("whisper-large-v3", null, 448, null, Set.of(), ModelInfo.Origin.SERVER, null)),
                models(Dialect.GROQ, "groq.json"));
    }

    @Test
    void mistralReportsItsWindowNameAndCapabilities() {
        assertEquals(List.of(
                new ModelInfo("mistral-large-latest", "mistral-large-2411", 131_072, null, Set.of(Feature.TOOLS,
                        Feature.IMAGES), ModelInfo.Origin.SERVER, null),
                new ModelInfo("mistral-embed", "mistral-embed", 8192, null, Set.of(), ModelInfo.Origin.SERVER, null)),
                models(Dialect.MISTRAL, "mistral.json"));
    }

    @Test
    void openRouterReportsWindowTopProviderLimitsAndParameters() {
        assertEquals(List.of(
                new ModelInfo("openai/gpt-4o", "OpenAI: GPT-4o", 128_000, 16_384, Set.of(Feature.TOOLS, Feature.IMAGES,
                        Feature.JSON_OBJECT, Feature.JSON_SCHEMA), ModelInfo.Origin.SERVER, null),
                new ModelInfo("deepseek/deepseek-r1", "DeepSeek: R1", 163_840, null, Set.of(Feature.REASONING),
                        ModelInfo.Origin.SERVER, null)),
                models(Dialect.OPENROUTER, "openrouter.json"));
    }

    @Test
    void vllmReportsMaxModelLenAndOllamaIdsOnly() {
        assertEquals(List.of(new ModelInfo("meta-llama/Llama-3.1-8B-Instruct", null, 32_768, null, Set.of(),
                ModelInfo.Origin.SERVER, null)), models(Dialect.VLLM, "vllm.json"));
        assertEquals(List.of(ModelInfo.ofId("qwen3:latest"), ModelInfo.ofId("nomic-embed-text:latest")),
                models(Dialect.OLLAMA, "ollama.json"));
    }

    @Test
    void kimiStyleFlagsAreRead() {
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"id\":\"kimi-k2.5\",\"display_name\":\"Kimi K2.5\","
                + "\"context_length\":262144,\"supports_reasoning\":true,\"supports_image_in\":true,"
                + "\"supports_video_in\":false}]}"));
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).model("m").build()) {
            assertEquals(List.of(new ModelInfo("kimi-k2.5", "Kimi K2.5", 262_144, null, Set.of(Feature.REASONING,
                    Feature.IMAGES), ModelInfo.Origin.SERVER, null)), p.models());
        }
    }

    @Test
    void configurationOverridesTheServerAndTheTable() {
        server.enqueue(Reply.raw(200, "application/json", OpenAiEmbeddingsTest.fixture("models/groq.json")));
        try (LlmProvider p = LlmProviders.create("openai", ProviderConfig.of(Map.of("openai.api.key", KEY,
                "openai.base.url", server.baseUri().toString(), "openai.dialect", "groq",
                "openai.context.windows", "llama-3.3-70b-versatile=100000/8000")))) {
            assertEquals(new ModelInfo("llama-3.3-70b-versatile", null, 100_000, 8000, Set.of(),
                    ModelInfo.Origin.CONFIGURED, null), p.models().get(0));
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> LlmProviders.create("openai",
                ProviderConfig.of(Map.of("openai.api.key", KEY, "openai.context.windows", "gpt-5=lots"))));
        assertTrue(bad.getMessage().contains("openai.context.windows"), bad.getMessage());
    }

    @Test
    void malformedListsAndErrorsAreTyped() {
        Map<String, String> cases = Map.of(
                "{\"object\":\"list\"}", "no data array",
                "{\"data\":[{\"object\":\"model\"}]}", "data[0] has no id",
                "{\"data\":[\"gpt-4o\"]}", "data[0] is not an object",
                "[]", "not a JSON object",
                "{\"data\":[", "not valid JSON");
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build()) {
            for (Map.Entry<String, String> c : cases.entrySet()) {
                server.enqueue(Reply.raw(200, "application/json", c.getKey()));
                MalformedResponseException x = assertThrows(MalformedResponseException.class, p::models);
                assertTrue(x.getMessage().contains(c.getValue()), x.getMessage());
            }
            server.enqueue(Reply.raw(429, "application/json", OpenAiEmbeddingsTest.fixture("embeddings/openai-error-429-rate.json")));
            assertThrows(RateLimitException.class, p::models);
        }
    }

    @Test
    void oddValuesAreSkippedNotFatalAndZeroOrNullLimitsAreNotReported() {
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"id\":\"a\",\"context_window\":0,"
                + "\"max_completion_tokens\":null,\"top_provider\":null,\"capabilities\":[],\"architecture\":7,"
                + "\"supported_parameters\":{},\"name\":null,\"extra\":{\"nested\":[1,2]}},"
                + "{\"id\":\"b\",\"display_name\":\" \",\"supported_parameters\":[1,\"tools\"],"
                + "\"architecture\":{\"input_modalities\":[\"text\",{}],\"tokenizer\":\"x\"},"
                + "\"capabilities\":{\"vision\":false,\"function_calling\":true}}]}"));
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build()) {
            assertEquals(List.of(ModelInfo.ofId("a"), new ModelInfo("b", null, null, null, Set.of(Feature.TOOLS),
                    ModelInfo.Origin.UNKNOWN, null)), p.models());
        }
    }

    @Test
    void aLimitThatIsNoTokenCountIsMalformedNamingItsField() {
        for (String odd : List.of("\"max_completion_tokens\":\"many\"", "\"max_model_len\":99999999999",
                "\"context_length\":-1", "\"top_provider\":{\"context_length\":1.5}")) {
            server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"id\":\"a\"," + odd + "}]}"));
            try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build()) {
                String field = odd.substring(1, odd.indexOf('"', 1));
                assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.alfred.llm.MalformedResponseException.class,
                        p::models).getMessage().contains(field), odd);
            }
        }
    }

    @Test
    void theListGoesThroughTheProvidersOwnTransportRefusedAfterCloseAndBoundedByItsBodyLimit() {
        OpenAiProvider closed = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).model("m").build();
        closed.close();
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.alfred.llm.LlmException.class, closed::models)
                .getMessage().contains("closed"));
        assertEquals(0, server.requestCount());
        server.enqueue(Reply.raw(200, "application/json", OpenAiEmbeddingsTest.fixture("models/openai.json")));
        try (OpenAiProvider small = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).model("m")
                .maxBodyBytes(64).build()) {
            org.junit.jupiter.api.Assertions.assertThrows(dev.alfred.llm.ResponseTooLargeException.class, small::models);
        }
        server.enqueue(Reply.raw(200, "application/json", "{\"data\": 7}"));
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).model("m").build()) {
            org.junit.jupiter.api.Assertions.assertThrows(dev.alfred.llm.MalformedResponseException.class, p::models);
        }
    }

    @Test
    void theChatBodyIsOffered() {
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).model("m").build()) {
            String body = new String(p.requestBody(dev.alfred.llm.ChatRequest.of("hi")), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(body.startsWith("{\"model\":\"m\""), body);
            assertTrue(body.contains("\"messages\":[{\"role\":\"user\""), body);
            assertTrue(!body.contains("\"stream\":true"), body);
        }
        try (OpenAiProvider voyage = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).model("m")
                .dialect(Dialect.GROQ.toBuilder("textonly").capabilities(dev.alfred.llm.Capabilities.of()).build()).build()) {
            org.junit.jupiter.api.Assertions.assertThrows(dev.alfred.llm.UnsupportedFeatureException.class,
                    () -> voyage.requestBody(dev.alfred.llm.ChatRequest.builder().user("x")
                            .tools(dev.alfred.llm.ToolDefinition.function("t", "d", dev.alfred.llm.JsonSchema.of("{\"type\":\"object\"}")))
                            .build()));
        }
        assertEquals(0, server.requestCount());
    }
}
