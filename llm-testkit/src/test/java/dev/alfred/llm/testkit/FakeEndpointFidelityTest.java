package dev.alfred.llm.testkit;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ModelInfo;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake server's generated replies (embeddings, token counts, model lists) held to the recorded or
 * documented real ones of the corpus ({@code Recordings.ofEndpoint}): the same keys with the same JSON types,
 * field by field, and the values a real server gives the same request where the recording shows them (the
 * vector length, the token count of "Hello, world!").
 */
class FakeEndpointFidelityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Every path of a JSON value with its JSON type; array elements under {@code []}. */
    static Map<String, String> typedPaths(JsonNode n) {
        Map<String, String> out = new TreeMap<>();
        typedPaths(n, "$", out);
        return out;
    }

    private static void typedPaths(JsonNode n, String at, Map<String, String> out) {
        out.put(at, n.isObject() ? "object" : n.isArray() ? "array" : n.isString() ? "string" : n.isNumber() ? "number"
                : n.isBoolean() ? "boolean" : "null");
        if (n.isObject()) {
            n.properties().forEach(f -> typedPaths(f.getValue(), at + "." + f.getKey(), out));
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                typedPaths(e, at + "[]", out);
            }
        }
    }

    private static JsonNode recorded(String file) {
        return JSON.readTree(new String(Recordings.named(file).bytes(), StandardCharsets.UTF_8));
    }

    private static JsonNode generated(WireDialect dialect, String method, String path, String body, FakeServer server) {
        Reply r = dialect.generate(new RecordedRequest(method, path, Map.of(), body), server);
        assertEquals(Reply.Kind.RAW, r.kind, () -> "a generated answer, not " + r);
        assertEquals(200, r.status);
        return JSON.readTree(r.rawBody);
    }

    private static float[] floats(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    @Test
    void everyEndpointRecordingIsCheckedHere() {
        assertEquals(List.of("openai/pai-emb-TestOpenAI.test_query.json", "voyage/pai-emb-TestVoyageAI.test_query_with_voyageai_input_type.json",
                        "voyage/pai-emb-TestVoyageAI.test_embed_error.json"),
                Recordings.ofEndpoint("embeddings", "openai", "voyage", "kimi", "anthropic").stream().map(Recording::file).toList());
        assertEquals(2, Recordings.ofEndpoint("count_tokens", "anthropic", "kimi").size());
        assertEquals(3, Recordings.ofEndpoint("models", "openai", "anthropic", "kimi").size());
        assertTrue(Recordings.groundTruth("openai", "voyage", "kimi", "anthropic").stream().allMatch(r -> r.endpoint().equals("chat")),
                "chat replay tests get chat exchanges only");
    }

    @Test
    void openAisBase64EmbeddingsAreShapedAndSizedAsTheRecordedOne() {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            JsonNode fake = generated(WireDialect.openAi(), "POST", "/v1/embeddings",
                    "{\"input\":[\"Hello, world!\"],\"model\":\"text-embedding-3-small\",\"encoding_format\":\"base64\"}", server);
            JsonNode real = recorded("openai/pai-emb-TestOpenAI.test_query.json");
            assertEquals(typedPaths(real), typedPaths(fake));
            assertEquals(real.path("usage"), fake.path("usage"), "4 tokens for Hello, world!, as OpenAI counted");
            assertEquals(floats(real.path("data").path(0).path("embedding").asString()).length,
                    floats(fake.path("data").path(0).path("embedding").asString()).length, "text-embedding-3-small's 1536");
            assertEquals(real.path("model"), fake.path("model"));
        }
    }

    @Test
    void openAisFloatEmbeddingsDifferOnlyInTheEmbeddingsType() {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            String request = "{\"input\":[\"Hello, world!\",\"again\"],\"model\":\"text-embedding-3-small\",\"dimensions\":8";
            JsonNode floats = generated(WireDialect.openAi(), "POST", "/v1/embeddings", request + "}", server);
            JsonNode base64 = generated(WireDialect.openAi(), "POST", "/v1/embeddings",
                    request + ",\"encoding_format\":\"base64\"}", server);
            Map<String, String> f = typedPaths(floats);
            Map<String, String> b = typedPaths(base64);
            assertEquals("array", f.remove("$.data[].embedding"));
            assertEquals("number", f.remove("$.data[].embedding[]"));
            assertEquals("string", b.remove("$.data[].embedding"));
            assertEquals(b, f, "JSON numbers where base64 was a string, nothing else");
            for (int i = 0; i < 2; i++) {
                JsonNode numbers = floats.path("data").path(i).path("embedding");
                float[] v = new float[numbers.size()];
                for (int k = 0; k < v.length; k++) {
                    v[k] = numbers.get(k).floatValue();
                }
                assertEquals(8, v.length, "the dimensions asked for");
                assertArrayEquals(floats(base64.path("data").path(i).path("embedding").asString()), v,
                        "both encodings carry the same floats");
                assertEquals(i, floats.path("data").path(i).path("index").asInt());
            }
        }
    }

    @Test
    void voyagesEmbeddingsAreShapedAndSizedAsTheRecordedOne() {
        try (FakeServer server = FakeServer.start(WireDialect.voyage())) {
            JsonNode fake = generated(WireDialect.voyage(), "POST", "/v1/embeddings",
                    "{\"input\":[\"Hello, world!\"],\"model\":\"voyage-3.5\",\"input_type\":null,\"output_dimension\":null,"
                            + "\"output_dtype\":null,\"truncation\":false,\"encoding_format\":\"base64\"}", server);
            JsonNode real = recorded("voyage/pai-emb-TestVoyageAI.test_query_with_voyageai_input_type.json");
            assertEquals(typedPaths(real), typedPaths(fake));
            assertEquals(real.path("usage"), fake.path("usage"), "only total_tokens, 4 for Hello, world!");
            assertEquals(floats(real.path("data").path(0).path("embedding").asString()).length,
                    floats(fake.path("data").path(0).path("embedding").asString()).length, "voyage-3.5's 1024");
        }
    }

    @Test
    void voyagesInputTypeAndOutputDimensionShapeTheVectors() {
        try (FakeServer server = FakeServer.start(WireDialect.voyage())) {
            String base = "{\"input\":[\"Hello\"],\"model\":\"voyage-3.5\",\"encoding_format\":\"base64\"";
            String query = generated(WireDialect.voyage(), "POST", "/v1/embeddings", base + ",\"input_type\":\"query\"}", server)
                    .path("data").path(0).path("embedding").asString();
            String document = generated(WireDialect.voyage(), "POST", "/v1/embeddings", base + ",\"input_type\":\"document\"}", server)
                    .path("data").path(0).path("embedding").asString();
            assertFalse(query.equals(document), "Voyage prepends a prompt per input type: other vectors");
            assertEquals(256, floats(generated(WireDialect.voyage(), "POST", "/v1/embeddings",
                    base + ",\"output_dimension\":256}", server).path("data").path(0).path("embedding").asString()).length);
        }
    }

    @Test
    void tooManyInputsGetTheServersOwn400() {
        try (FakeServer server = FakeServer.start(WireDialect.voyage())) {
            server.limitEmbeddingInputs(2);
            Reply r = WireDialect.voyage().generate(new RecordedRequest("POST", "/v1/embeddings", Map.of(),
                    "{\"input\":[\"a\",\"b\",\"c\"],\"model\":\"voyage-3.5\"}"), server);
            assertEquals(400, r.status);
            JsonNode fake = JSON.readTree(WireDialect.voyage().errorBody(r.status, r.errorType, r.message));
            assertEquals(typedPaths(recorded("voyage/pai-emb-TestVoyageAI.test_embed_error.json")), typedPaths(fake));
        }
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            server.limitEmbeddingInputs(2);
            Reply r = WireDialect.openAi().generate(new RecordedRequest("POST", "/v1/embeddings", Map.of(),
                    "{\"input\":[\"a\",\"b\",\"c\"],\"model\":\"text-embedding-3-small\"}"), server);
            assertEquals(400, r.status);
            assertEquals("invalid_request_error", r.errorType, "OpenAI's type, in its full error shape (FakeDialectFidelityTest)");
        }
    }

    @Test
    void anthropicsCountIsShapedAsTheRecordedOneAndGrowsWithTheHistory() {
        try (FakeServer server = FakeServer.start(WireDialect.anthropic())) {
            String one = "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
            String two = "{\"model\":\"claude-sonnet-4-5\",\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"},"
                    + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"Hi there\"}]},{\"role\":\"user\",\"content\":\"Hello\"}]}";
            JsonNode small = generated(WireDialect.anthropic(), "POST", "/v1/messages/count_tokens?beta=true", one, server);
            JsonNode large = generated(WireDialect.anthropic(), "POST", "/v1/messages/count_tokens", two, server);
            assertEquals(typedPaths(recorded("anthropic/pai-test_anthropic_cache_count_tokens.0.json")), typedPaths(small));
            assertTrue(large.path("input_tokens").asInt() > small.path("input_tokens").asInt());
            assertEquals(400, WireDialect.anthropic().generate(new RecordedRequest("POST", "/v1/messages/count_tokens", Map.of(),
                    "{\"messages\":[]}"), server).status, "model is required");
        }
    }

    @Test
    void kimisCountIsShapedAsDocumented() {
        try (FakeServer server = FakeServer.start(WireDialect.kimi())) {
            JsonNode fake = generated(WireDialect.kimi(), "POST", "/v1/tokenizers/estimate-token-count",
                    "{\"model\":\"kimi-k2.5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", server);
            assertEquals(typedPaths(recorded("kimi/doc-go-moonshot-estimate-token-count.json")), typedPaths(fake));
            assertTrue(fake.path("data").path("total_tokens").asInt() > 0);
        }
    }

    @Test
    void kimiRefusesEmbeddingsAsItsServerDoes() {
        try (FakeServer server = FakeServer.start(WireDialect.kimi())) {
            Reply r = WireDialect.kimi().generate(new RecordedRequest("POST", "/v1/embeddings", Map.of(),
                    "{\"input\":[\"a\"],\"model\":\"m\"}"), server);
            assertEquals(403, r.status);
            assertEquals("permission_denied_error", r.errorType);
        }
    }

    @Test
    void modelListsAreShapedAsTheRecordedOrDocumentedOnes() {
        try (FakeServer openai = FakeServer.start(WireDialect.openAi());
             FakeServer kimi = FakeServer.start(WireDialect.kimi());
             FakeServer anthropic = FakeServer.start(WireDialect.anthropic())) {
            assertEquals(typedPaths(recorded("openai/doc-openai-python-models-list.json")),
                    typedPaths(generated(WireDialect.openAi(), "GET", "/v1/models", "", openai)));
            kimi.setModels(List.of(new ModelInfo("kimi-for-coding", "k2.6-code-preview", 262_144, null,
                    Set.of(Capabilities.Feature.REASONING), ModelInfo.Origin.SERVER, null)));
            JsonNode k = generated(WireDialect.kimi(), "GET", "/v1/models", "", kimi);
            assertEquals(typedPaths(recorded("kimi/kcli-test_list_models_parses_display_name.json")), typedPaths(k));
            assertEquals(262_144, k.path("data").path(0).path("context_length").asInt());
            assertEquals(typedPaths(recorded("anthropic/doc-anthropic-sdk-python-models-list.json")),
                    typedPaths(generated(WireDialect.anthropic(), "GET", "/v1/models?limit=2", "", anthropic)));
        }
    }

    @Test
    void anthropicsModelListIsPaginated() {
        try (FakeServer server = FakeServer.start(WireDialect.anthropic())) {
            List<ModelInfo> models = new java.util.ArrayList<>();
            for (int i = 0; i < 25; i++) {
                models.add(ModelInfo.ofId("m" + i));
            }
            server.setModels(models);
            JsonNode first = generated(WireDialect.anthropic(), "GET", "/v1/models", "", server);
            assertEquals(20, first.path("data").size(), "20 a page by default");
            assertTrue(first.path("has_more").asBoolean());
            assertEquals("m19", first.path("last_id").asString());
            JsonNode second = generated(WireDialect.anthropic(), "GET", "/v1/models?after_id=m19&limit=20", "", server);
            assertEquals(5, second.path("data").size());
            assertFalse(second.path("has_more").asBoolean());
            assertEquals("m20", second.path("first_id").asString());
            JsonNode before = generated(WireDialect.anthropic(), "GET", "/v1/models?before_id=m20&limit=3", "", server);
            assertEquals("m17", before.path("first_id").asString());
            assertTrue(before.path("has_more").asBoolean());
        }
    }

    @Test
    void otherPathsGetNothingGenerated() {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            assertNull(WireDialect.openAi().generate(new RecordedRequest("POST", "/v1/chat/completions", Map.of(), "{}"), server));
            assertNull(WireDialect.voyage().generate(new RecordedRequest("GET", "/v1/models", Map.of(), ""), server),
                    "Voyage has no model list");
        }
    }
}
