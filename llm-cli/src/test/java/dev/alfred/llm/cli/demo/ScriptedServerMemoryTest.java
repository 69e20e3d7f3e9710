package dev.alfred.llm.cli.demo;

import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.config.ProviderConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo server's embeddings, model list and token estimate, over real HTTP. */
class ScriptedServerMemoryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ScriptedServer server = ScriptedServer.start();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private EmbeddingProvider openAi() {
        return LlmProviders.createEmbeddings("openai", ProviderConfig.builder()
                .secret("openai.api.key", "sk-demo-test-0000000000")
                .set("openai.base.url", server.baseUri().toString())
                .set("retry.enabled", "false")
                .build());
    }

    @Test
    void base64AndFloatsCarryTheSameVectorsThroughTheOpenAiProvider() {
        List<String> texts = List.of("Ada likes green tea", "Grace prefers coffee", "東京の天気");
        try (EmbeddingProvider embeddings = openAi()) {
            EmbeddingResponse base64 = embeddings.embed(EmbeddingRequest.builder().texts(texts)
                    .encoding(EmbeddingRequest.Encoding.BASE64).build());
            EmbeddingResponse floats = embeddings.embed(EmbeddingRequest.builder().texts(texts)
                    .encoding(EmbeddingRequest.Encoding.FLOAT).build());
            assertEquals(3, base64.size());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(floats.vector(i), base64.vector(i), "vector " + i);
            }
            assertEquals(DemoEmbeddings.MODEL, base64.model());
            assertEquals(8, base64.usage().promptTokens()); // 4 + 3 words, and one run of CJK letters
            assertEquals(DemoEmbeddings.DEFAULT_DIMENSIONS, base64.dimensions());
        }
    }

    @Test
    void base64IsLittleEndianFloat32OfTheFloatsOnTheWire() throws Exception {
        String floats = post("/embeddings", "{\"model\":\"m\",\"input\":\"the cat sat\",\"dimensions\":16}").body();
        String base64 = post("/embeddings",
                "{\"model\":\"m\",\"input\":[\"the cat sat\"],\"dimensions\":16,\"encoding_format\":\"base64\"}").body();
        JsonNode f = JSON.readTree(floats).path("data").get(0);
        JsonNode b = JSON.readTree(base64).path("data").get(0);
        assertEquals("embedding", b.path("object").asString());
        assertEquals(0, b.path("index").asInt());
        assertTrue(f.path("embedding").isArray() && b.path("embedding").isString(), floats + " | " + base64);
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(b.path("embedding").asString()))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(16 * Float.BYTES, bytes.remaining());
        for (int i = 0; i < 16; i++) {
            assertEquals(f.path("embedding").get(i).floatValue(), bytes.getFloat(), "float " + i);
        }
        JsonNode usage = JSON.readTree(base64).path("usage");
        assertEquals(3, usage.path("prompt_tokens").asInt());
        assertEquals(3, usage.path("total_tokens").asInt());
    }

    @Test
    void dimensionsAreHonouredAndTheVectorsHaveLengthOne() {
        try (EmbeddingProvider embeddings = openAi()) {
            EmbeddingResponse r = embeddings.embed(EmbeddingRequest.builder().text("a").text("b c").dimensions(1024).build());
            for (float[] v : r.vectors()) {
                assertEquals(1024, v.length);
                double norm = 0;
                for (float x : v) {
                    norm += x * x;
                }
                assertEquals(1.0, norm, 1e-5);
            }
        }
    }

    @Test
    void textsThatShareWordsAreNearerThanTextsThatShareNone() {
        float[] tea = DemoEmbeddings.vector(DemoEmbeddings.words("Ada likes green tea."), 256);
        float[] teaAgain = DemoEmbeddings.vector(DemoEmbeddings.words("GREEN TEA, says Ada"), 256);
        float[] stocks = DemoEmbeddings.vector(DemoEmbeddings.words("stock prices fell sharply"), 256);
        assertTrue(dot(tea, teaAgain) > 0.6, "related " + dot(tea, teaAgain));
        assertTrue(Math.abs(dot(tea, stocks)) < 0.3, "unrelated " + dot(tea, stocks));
        assertEquals(List.of("green", "tea", "says", "ada"), DemoEmbeddings.words("GREEN TEA, says Ada"));
        assertEquals(List.of("!!!"), DemoEmbeddings.words("!!!"));
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    static List<Arguments> badEmbeddingsRequests() {
        return List.of(
                Arguments.of("{\"input\":[]}", "'input' must be a string or a non-empty array of strings"),
                Arguments.of("{\"input\":[1]}", "'input' must be a string or an array of strings"),
                Arguments.of("{\"input\":\"\"}", "input 0 is empty"),
                Arguments.of("{\"input\":\"x\",\"dimensions\":0}", "'dimensions' must be an integer from 1 to 3072, was 0"),
                Arguments.of("{\"input\":\"x\",\"dimensions\":4000}", "'dimensions' must be an integer from 1 to 3072, was 4000"),
                Arguments.of("{\"input\":\"x\",\"encoding_format\":\"int8\"}", "'encoding_format' must be float or base64, was 'int8'"),
                Arguments.of("[1]", "the body is not a JSON object"),
                Arguments.of("{", "the body is not JSON"));
    }

    @ParameterizedTest
    @MethodSource("badEmbeddingsRequests")
    void aBadEmbeddingsRequestIsA400NamingWhatIsWrong(String body, String message) throws Exception {
        HttpResponse<String> r = post("/embeddings", body);
        assertEquals(400, r.statusCode());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals("invalid_request_error", error.path("type").asString());
        assertEquals(message, error.path("message").asString());
    }

    @Test
    void theProviderSeesAnInvalidRequestForATooLongVector() {
        try (EmbeddingProvider embeddings = openAi()) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> embeddings.embed(EmbeddingRequest.builder().text("x").dimensions(5000).build()));
            assertTrue(e.getMessage().contains("'dimensions' must be an integer from 1 to 3072"), e.getMessage());
        }
    }

    @Test
    void theModelListHasKimisShape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        JsonNode data = JSON.readTree(r.body()).path("data");
        assertEquals(2, data.size());
        JsonNode demo = data.get(0);
        assertEquals("kimi-offline-demo", demo.path("id").asString());
        assertEquals(262_144, demo.path("context_length").asInt());
        assertTrue(demo.path("supports_reasoning").asBoolean() && demo.path("supports_image_in").asBoolean());
        assertTrue(demo.path("display_name").isString());
        assertEquals("kimi-k3", data.get(1).path("id").asString());
        assertTrue(data.get(1).path("context_length").isMissingNode());
    }

    @Test
    void theTokenEstimateCountsTextImagesAndFramingAndNeedsMessages() throws Exception {
        HttpResponse<String> r = post("/tokenizers/estimate-token-count", "{\"model\":\"kimi-k3\",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"12345678\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"abcd\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}");
        assertEquals(200, r.statusCode());
        // 3 to prime + (4 + 2) + (4 + 1 + 1000)
        assertEquals(1014, JSON.readTree(r.body()).path("data").path("total_tokens").asLong());
        HttpResponse<String> bad = post("/tokenizers/estimate-token-count", "{\"model\":\"kimi-k3\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("'messages' must be a non-empty array"), bad.body());
    }

    @Test
    void unscriptedMemoryRequestsLeaveTheChatScriptAlone() throws Exception {
        server.enqueue(new ScriptedServer.Failure(418, "teapot", "scripted for chat", java.util.Map.of()));
        post("/embeddings", "{\"input\":\"x\"}");
        post("/tokenizers/estimate-token-count", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertEquals(418, post("/chat/completions", "{\"messages\":[]}").statusCode());
        assertEquals(3, server.requests());
    }
}
