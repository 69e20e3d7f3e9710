package dev.alfred.llm.openai;

import com.sun.net.httpserver.HttpServer;
import dev.alfred.llm.Capabilities;
import dev.alfred.llm.EmbeddingBatchException;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Gate;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenAI-compatible embeddings over real HTTP, against recorded and documented server responses. */
class OpenAiEmbeddingsTest {

    private static final String KEY = "sk-embed-test-0123456789abcdefghij";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeServer server = FakeServer.start(WireDialect.openAi());

    @AfterEach
    void stop() {
        server.close();
    }

    static String fixture(String name) {
        try (InputStream in = OpenAiEmbeddingsTest.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("missing fixture " + name, e);
        }
    }

    private OpenAiEmbeddings embeddings(Dialect dialect) {
        return OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(server.baseUri()).dialect(dialect).concurrency(1).build();
    }

    private static Reply ok(String body) {
        return Reply.raw(200, "application/json", body);
    }

    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = array.get(i).floatValue();
        }
        return f;
    }

    @Test
    void aRecordedOpenAiResponseInBase64DecodesToTheFloatsItCarries() {
        server.enqueue(ok(fixture("embeddings/openai-documents-base64.json")));
        EmbeddingResponse r;
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENAI)) {
            r = e.embed("hello", "world");
        }
        assertEquals(2, r.size());
        assertEquals(1536, r.dimensions());
        assertEquals("text-embedding-3-small", r.model());
        assertEquals(2, r.usage().promptTokens());
        assertEquals(2, r.usage().totalTokens());
        // the first floats of each vector, as Python's struct.unpack('<f') reads the recorded base64
        assertEquals(0.01681816205382347f, r.vector(0)[0]);
        assertEquals(-0.05579638481140137f, r.vector(0)[1]);
        assertEquals(-0.010592407546937466f, r.vector(1)[0]);
        RecordedRequest req = server.takeRequest();
        assertEquals("/v1/embeddings", req.path());
        assertEquals("POST", req.method());
        assertEquals(JSON.readTree(fixture("embeddings/openai-documents-base64.request.json")), req.json(),
                "the body the official SDK sent for the recording");
        assertEquals(java.util.Optional.of("Bearer " + KEY), req.header("authorization"));
    }

    @Test
    void base64AndJsonNumbersGiveIdenticalFloats() {
        server.enqueue(ok(fixture("embeddings/openai-documents-base64.json")));
        server.enqueue(ok(fixture("embeddings/openai-documents-float.json")));
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENAI)) {
            EmbeddingResponse base64 = e.embed("hello", "world");
            EmbeddingResponse floats = e.embed(EmbeddingRequest.builder().texts(List.of("hello", "world"))
                    .encoding(EmbeddingRequest.Encoding.FLOAT).build());
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(base64.vector(i), floats.vector(i), "vector " + i);
            }
            assertEquals(base64, floats);
        }
        assertEquals("base64", server.takeRequest().json().path("encoding_format").asString());
        assertTrue(server.takeRequest().json().path("encoding_format").isMissingNode(), "floats are the server's default");
    }

    @Test
    void vectorsAreReturnedInInputOrderWhateverOrderTheServerListsThem() {
        ObjectNode body = (ObjectNode) JSON.readTree(fixture("embeddings/openai-documents-base64.json"));
        ArrayNode data = (ArrayNode) body.get("data");
        JsonNode first = data.get(0);
        data.remove(0);
        data.add(first);
        server.enqueue(ok(fixture("embeddings/openai-documents-base64.json")));
        server.enqueue(ok(body.toString()));
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENAI)) {
            EmbeddingResponse inOrder = e.embed("hello", "world");
            EmbeddingResponse shuffled = e.embed("hello", "world");
            assertArrayEquals(inOrder.vector(0), shuffled.vector(0));
            assertArrayEquals(inOrder.vector(1), shuffled.vector(1));
        }
    }

    @Test
    void ollamaListsTheIndexAfterTheEmbeddingAndSendsFloats() {
        server.enqueue(ok(fixture("embeddings/ollama-float.json")));
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().baseUrl(server.baseUri()).dialect(Dialect.OLLAMA)
                .model("all-minilm").build()) {
            EmbeddingResponse r = e.embed("a", "b");
            assertArrayEquals(new float[] {0.010071029f, -0.0017594862f, 0.05007221f, 0.04692972f}, r.vector(0));
            assertArrayEquals(new float[] {-0.009802126f, 0.060424827f, 0.025257656f, -0.0063440306f}, r.vector(1));
            assertEquals(4, r.usage().promptTokens());
        }
        RecordedRequest req = server.takeRequest();
        assertEquals("base64", req.json().path("encoding_format").asString(), "Ollama decodes base64 since 2025-10");
        assertTrue(req.header("authorization").isEmpty(), "a local server needs no key");
    }

    @Test
    void voyageTakesInputTypeAndOutputDimensionAndReportsTotalTokensOnly() {
        server.enqueue(ok(fixture("embeddings/voyage-query-base64.json")));
        try (OpenAiEmbeddings e = embeddings(Dialect.VOYAGE)) {
            assertEquals("voyage-3.5", e.model());
            EmbeddingResponse r = e.embed(EmbeddingRequest.builder().text("Hello, world!")
                    .inputType(EmbeddingRequest.InputType.QUERY).build());
            assertEquals(1024, r.dimensions());
            assertEquals(3, r.usage().promptTokens(), "total_tokens is all input");
            assertEquals(3, r.usage().totalTokens());
            assertEquals("voyage-3.5", r.model());
        }
        JsonNode sent = server.takeRequest().json();
        JsonNode recorded = JSON.readTree(fixture("embeddings/voyage-query-base64.request.json"));
        for (String field : List.of("model", "input", "input_type", "encoding_format")) {
            assertEquals(recorded.get(field), sent.get(field), field + " as the recorded request");
        }
        server.enqueue(ok(fixture("embeddings/voyage-documents-base64.json")));
        try (OpenAiEmbeddings e = embeddings(Dialect.VOYAGE)) {
            e.embed(EmbeddingRequest.builder().texts(List.of("hello", "world")).dimensions(1024)
                    .inputType(EmbeddingRequest.InputType.DOCUMENT).build());
        }
        sent = server.takeRequest().json();
        assertEquals("document", sent.path("input_type").asString());
        assertEquals(1024, sent.path("output_dimension").asInt());
        assertTrue(sent.path("dimensions").isMissingNode());
    }

    @Test
    void eachDialectNamesDimensionsAndInputTypeItsOwnWay() {
        EmbeddingRequest asked = EmbeddingRequest.builder().text("hi").dimensions(4)
                .inputType(EmbeddingRequest.InputType.QUERY).model("m").build();
        String one = "{\"data\":[{\"index\":0,\"embedding\":[1,2,3,4]}]}";
        Map<Dialect, String> expected = Map.of(
                Dialect.OPENAI, "{\"model\":\"m\",\"input\":[\"hi\"],\"encoding_format\":\"base64\",\"dimensions\":4}",
                Dialect.MISTRAL, "{\"model\":\"m\",\"input\":[\"hi\"],\"encoding_format\":\"base64\",\"output_dimension\":4}",
                Dialect.OPENROUTER, "{\"model\":\"m\",\"input\":[\"hi\"],\"encoding_format\":\"base64\",\"dimensions\":4,"
                        + "\"input_type\":\"query\"}",
                Dialect.VLLM, "{\"model\":\"m\",\"input\":[\"hi\"],\"dimensions\":4}",
                Dialect.VOYAGE, "{\"model\":\"m\",\"input\":[\"hi\"],\"encoding_format\":\"base64\",\"output_dimension\":4,"
                        + "\"input_type\":\"query\"}");
        for (Map.Entry<Dialect, String> e : expected.entrySet()) {
            server.enqueue(ok(one));
            try (OpenAiEmbeddings p = OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(server.baseUri()).dialect(e.getKey())
                    .model("x").build()) {
                assertArrayEquals(new float[] {1, 2, 3, 4}, p.embed(asked).vector(0));
            }
            assertEquals(e.getValue(), server.takeRequest().body(), e.getKey().name());
        }
    }

    @Test
    void aServerThatCannotShortenVectorsRefusesDimensionsBeforeSending() {
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().baseUrl(server.baseUri()).dialect(Dialect.LLAMACPP)
                .model("nomic").build()) {
            UnsupportedFeatureException x = assertThrows(UnsupportedFeatureException.class,
                    () -> e.embed(EmbeddingRequest.builder().text("a").dimensions(8).build()));
            assertEquals(Capabilities.Feature.EMBEDDINGS, x.feature());
            assertTrue(x.getMessage().contains("llamacpp"), x.getMessage());
        }
        assertEquals(0, server.requestCount());
    }

    @Test
    void vectorsOfAnotherLengthThanAskedAreMalformed() {
        server.enqueue(ok("{\"data\":[{\"index\":0,\"embedding\":[1,2,3]}]}"));
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENAI)) {
            MalformedResponseException x = assertThrows(MalformedResponseException.class,
                    () -> e.embed(EmbeddingRequest.builder().text("a").dimensions(4).build()));
            assertTrue(x.getMessage().contains("input 0 has 3 dimensions, not 4"), x.getMessage());
        }
    }

    @Test
    void malformedResponsesNameTheInput() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"data\":[{\"index\":0,\"embedding\":\"AAAAAA\"},{\"index\":1,\"embedding\":\"AACAPw==\"}]}",
                "input 0 is malformed: base64 of 6 characters, not a multiple of 4");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":\"AACAPw==\"},{\"embedding\":\"AAAA\",\"index\":1}]}",
                "input 1 is malformed: base64 of 3 bytes, not whole float32 values");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":\"AACAPw==\"},{\"index\":1,\"embedding\":\"AA*APw==\"}]}",
                "input 1 is malformed: '*' is not a base64 character");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":\"AACAPw==\"},{\"index\":0,\"embedding\":\"AACAPw==\"}]}",
                "input 0 has two vectors");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":\"AACAPw==\"},{\"embedding\":\"AACAPw==\"}]}",
                "data[1] has no index");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":\"AACAPw==\"},{\"index\":2,\"embedding\":\"AACAPw==\"}]}",
                "data[1] has index 2, but the request had 2 inputs");
        cases.put("{\"data\":[{\"index\":1,\"embedding\":\"AACAPw==\"}]}", "no vector for input 0 (1 of 2 missing)");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":1,\"embedding\":[1,2]}]}",
                "the vector of input 1 has 2 dimensions, not 1 as input 0's");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":[]},{\"index\":1,\"embedding\":[1]}]}",
                "input 0 is malformed: the embedding is empty");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":[\"x\"]},{\"index\":1,\"embedding\":[1]}]}",
                "input 0 is malformed: element 0 of the embedding is not a number");
        cases.put("{\"data\":[{\"index\":0,\"embedding\":{}},{\"index\":1,\"embedding\":[1]}]}",
                "input 0 is malformed: the embedding is neither base64 text nor an array of numbers");
        cases.put("{\"data\":[{\"index\":0},{\"index\":1,\"embedding\":[1]}]}", "data[0] (input 0) has no embedding");
        cases.put("{\"data\":[{\"index\":\"0\",\"embedding\":[1]}]}", "data[0].index is not an integer");
        cases.put("{\"data\":[[1]]}", "data[0] is not an object");
        cases.put("{\"data\":{}}", "data is not an array");
        cases.put("{\"model\":\"m\"}", "the body has no data");
        cases.put("[]", "the body is not a JSON object");
        cases.put("{\"data\":[", "the body is not valid JSON");
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENAI)) {
            for (Map.Entry<String, String> c : cases.entrySet()) {
                server.enqueue(ok(c.getKey()));
                MalformedResponseException x = assertThrows(MalformedResponseException.class, () -> e.embed("a", "b"),
                        c.getKey());
                assertTrue(x.getMessage().contains(c.getValue()), x.getMessage() + " should say " + c.getValue());
                assertEquals(200, x.httpStatus().orElse(-1));
            }
            assertEquals(0, e.liveExchanges());
        }
    }

    @Test
    void escapedBase64IsReadToo() {
        // "\/" is a legal JSON escape of '/': 0x3f800000 (1.0f) then 0xbfc00000 (-1.5f) as little-endian bytes
        server.enqueue(ok("{\"data\":[{\"index\":0,\"embedding\":\"AACAPwAAwL8=\"}]}"));
        server.enqueue(ok("{\"data\":[{\"index\":0,\"embedding\":\"AAAAAP\\/\\/f38=\"}]}"));
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENAI)) {
            assertArrayEquals(new float[] {1.0f, -1.5f}, e.embed("a").vector(0));
            float[] v = e.embed("a").vector(0);
            assertEquals(0f, v[0]);
            assertEquals(Float.intBitsToFloat(0x7f7fffff), v[1]);
        }
    }

    @Test
    void anErrorInsideA200BodyIsMappedAsTheServerMeantIt() {
        server.enqueue(ok("{\"error\":{\"message\":\"Rate limit exceeded\",\"code\":429}}"));
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENROUTER)) {
            assertThrows(RateLimitException.class, () -> e.embed("a"));
        }
    }

    @Test
    void errorsMapAsChatErrorsDo() {
        server.enqueue(Reply.raw(404, "application/json; charset=utf-8", fixture("embeddings/openai-error-404.json")));
        server.enqueue(Reply.raw(429, "application/json", fixture("embeddings/openai-error-429-rate.json")));
        server.enqueue(Reply.raw(429, "application/json", fixture("embeddings/openai-error-429-quota.json")));
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENAI)) {
            InvalidRequestException notFound = assertThrows(InvalidRequestException.class,
                    () -> e.embed(EmbeddingRequest.builder().text("Hello, world!").model("nonexistent").build()));
            assertTrue(notFound.getMessage().contains("The model `nonexistent` does not exist"), notFound.getMessage());
            RateLimitException rate = assertThrows(RateLimitException.class, () -> e.embed("a"));
            assertTrue(rate.isRetryable());
            assertThrows(QuotaExceededException.class, () -> e.embed("a"));
        }
        assertEquals(JSON.readTree(fixture("embeddings/openai-error-404.request.json")), server.takeRequest().json());
        server.enqueue(Reply.raw(400, "application/json", fixture("embeddings/voyage-error-400.json")));
        try (OpenAiEmbeddings e = embeddings(Dialect.VOYAGE)) {
            InvalidRequestException x = assertThrows(InvalidRequestException.class,
                    () -> e.embed(EmbeddingRequest.builder().text("Hello, world!").model("nonexistent").build()));
            assertTrue(x.getMessage().contains("Model nonexistent is not supported"), x.getMessage());
            assertFalse(x.getMessage().contains(KEY.substring(0, 12)));
        }
    }

    @Test
    void serversWithoutEmbeddingsNameTheAlternative() {
        for (Dialect d : List.of(Dialect.DEEPSEEK, Dialect.GROQ, Dialect.XAI)) {
            UnsupportedFeatureException x = assertThrows(UnsupportedFeatureException.class,
                    () -> OpenAiEmbeddings.builder().apiKey(KEY).dialect(d).build());
            assertEquals(Capabilities.Feature.EMBEDDINGS, x.feature());
            assertTrue(x.getMessage().contains("no embeddings") && x.getMessage().contains("Voyage AI (voyage)"),
                    x.getMessage());
        }
        UnsupportedFeatureException x = assertThrows(UnsupportedFeatureException.class,
                () -> LlmProviders.createEmbeddings("openai", ProviderConfig.of(Map.of("openai.api.key", KEY,
                        "openai.base.url", "https://api.groq.com/openai/v1"))));
        assertTrue(x.getMessage().startsWith("openai: Groq has no embeddings API"), x.getMessage());
    }

    @Test
    void voyageCannotChat() {
        UnsupportedFeatureException x = assertThrows(UnsupportedFeatureException.class,
                () -> OpenAiProvider.builder().apiKey(KEY).baseUrl("https://api.voyageai.com/v1").build());
        assertTrue(x.getMessage().contains("embeddings-only"), x.getMessage());
    }

    @Test
    void theFactoryBuildsEmbeddingsWithTheirOwnModelAndConcurrency() {
        server.enqueue(ok(fixture("embeddings/openai-query-base64.json")));
        try (EmbeddingProvider p = LlmProviders.createEmbeddings("openai", ProviderConfig.of(Map.of(
                "openai.api.key", KEY, "openai.base.url", server.baseUri().toString(), "openai.model", "gpt-4.1",
                "openai.embeddings.concurrency", "3")))) {
            assertEquals(new dev.alfred.llm.EmbeddingLimits(2048, 300_000, 3), p.limits());
            assertEquals("text-embedding-3-small", p.endpoint().defaultModel(), "not the chat model");
            assertEquals("openai", p.endpoint().dialect());
            assertEquals(1536, p.embed("Hello, world!").dimensions());
        }
        assertEquals("text-embedding-3-small", server.takeRequest().json().path("model").asString());
        try (EmbeddingProvider p = LlmProviders.createEmbeddings("openai", ProviderConfig.of(Map.of(
                "openai.base.url", server.baseUri().toString(), "openai.dialect", "ollama",
                "openai.embeddings.model", "nomic-embed-text")))) {
            assertEquals("nomic-embed-text", p.endpoint().defaultModel());
            assertEquals(new dev.alfred.llm.EmbeddingLimits(Integer.MAX_VALUE, Long.MAX_VALUE, 4), p.limits());
        }
        IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class,
                () -> OpenAiEmbeddings.builder().baseUrl(server.baseUri()).dialect(Dialect.OLLAMA).build());
        assertTrue(noModel.getMessage().contains("openai.embeddings.model"), noModel.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpenAiEmbeddings.builder().baseUrl(server.baseUri())
                .dialect(Dialect.OLLAMA).model("m").concurrency(0).build());
    }

    @Test
    void voyageLimitsFollowTheModel() {
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).dialect(Dialect.VOYAGE).build()) {
            assertEquals(new dev.alfred.llm.EmbeddingLimits(1000, 320_000, 4), e.limits());
        }
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).dialect(Dialect.VOYAGE).model("voyage-4-lite")
                .build()) {
            assertEquals(1_000_000, e.limits().maxTokens());
        }
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).dialect(Dialect.VOYAGE).model("voyage-law-2")
                .build()) {
            assertEquals(120_000, e.limits().maxTokens());
        }
    }

    @Test
    void azureSendsTheKeyInItsHeaderToTheDeploymentPath() {
        server.enqueue(ok(fixture("embeddings/openai-query-base64.json")));
        URI deployment = URI.create(server.baseUri() + "/openai/deployments/emb?api-version=2024-10-21");
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(deployment).dialect(Dialect.AZURE)
                .model("emb").build()) {
            e.embed("Hello, world!");
        }
        RecordedRequest req = server.takeRequest();
        assertEquals("/v1/openai/deployments/emb/embeddings?api-version=2024-10-21", req.path());
        assertEquals(java.util.Optional.of(KEY), req.header("api-key"));
        assertTrue(req.header("authorization").isEmpty());
    }

    @Test
    void fiveThousandInputsGoInThreeRequestsWithinOpenAisLimitsReassembledInOrder() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            texts.add("t" + i);
        }
        int[][] batches = {{0, 2048}, {2048, 4096}, {4096, 5000}};
        for (int[] b : batches) {
            server.enqueue(ok(numbered(b[0], b[1], new Random(b[0]))));
        }
        EmbeddingResponse r;
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(server.baseUri()).concurrency(1).build()) {
            r = e.embed(EmbeddingRequest.builder().texts(texts).build());
        }
        assertEquals(5000, r.size());
        for (int i = 0; i < 5000; i++) {
            assertEquals(i, r.vector(i)[0]);
        }
        List<RecordedRequest> sent = server.takeRequests();
        assertEquals(3, sent.size());
        for (int b = 0; b < 3; b++) {
            JsonNode input = sent.get(b).json().path("input");
            assertEquals(batches[b][1] - batches[b][0], input.size());
            assertEquals("t" + batches[b][0], input.get(0).asString());
        }
        assertEquals(3 * 7, r.usage().promptTokens(), "usage summed over batches");
    }

    /** A response for inputs [from, to) whose vectors are {index-in-call, 0.5}, listed in a shuffled order. */
    private static String numbered(int from, int to, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < to - from; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        for (int k = 0; k < order.size(); k++) {
            int i = order.get(k);
            sb.append(k == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":[").append(from + i).append(",0.5]}");
        }
        return sb.append("],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":7,\"total_tokens\":7}}")
                .toString();
    }

    @Test
    void batchesRunConcurrentlyAgainstAnEchoServerAndAFailedMiddleBatchNamesItsRange() throws Exception {
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        echo.setExecutor(pool);
        echo.createContext("/v1/embeddings", exchange -> {
            requests.incrementAndGet();
            JsonNode input = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("input");
            int first = Integer.parseInt(input.get(0).asString().substring(1));
            byte[] body;
            int status = 200;
            if (input.size() == 2048 && first == 2048 && exchange.getRequestURI().getQuery() == null) {
                status = 400;
                body = "{\"error\":{\"message\":\"bad batch\",\"type\":\"invalid_request_error\"}}".getBytes();
            } else {
                body = numbered(first, first + input.size(), new Random(first)).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echo.start();
        try {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                texts.add("t" + i);
            }
            URI base = URI.create("http://127.0.0.1:" + echo.getAddress().getPort() + "/v1");
            try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(base).build()) {
                assertEquals(4, e.limits().concurrency());
                EmbeddingBatchException x = assertThrows(EmbeddingBatchException.class,
                        () -> e.embed(EmbeddingRequest.builder().texts(texts).build()));
                assertEquals(2048, x.fromIndex());
                assertEquals(4096, x.toIndex());
                assertTrue(x.getMessage().contains("inputs 2048..4095"), x.getMessage());
                assertInstanceOf(InvalidRequestException.class, x.getCause());
                assertEquals(0, e.liveExchanges());
            }
            URI query = URI.create(base + "?pass=1");
            requests.set(0);
            try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(query).build()) {
                EmbeddingResponse r = e.embed(EmbeddingRequest.builder().texts(texts).build());
                for (int i = 0; i < 5000; i++) {
                    assertEquals(i, r.vector(i)[0]);
                }
            }
            assertEquals(3, requests.get());
        } finally {
            echo.stop(0);
            pool.shutdownNow();
        }
    }

    @Test
    void closeCancelsARequestInFlight() throws Exception {
        Gate gate = new Gate();
        server.enqueue(ok(fixture("embeddings/openai-query-base64.json")).holdHead(gate));
        OpenAiEmbeddings e = embeddings(Dialect.OPENAI);
        CompletableFuture<EmbeddingResponse> call = CompletableFuture.supplyAsync(() -> e.embed("Hello, world!"));
        gate.awaitReached(Duration.ofSeconds(20));
        assertEquals(1, e.liveExchanges());
        e.close();
        ExecutionException x = assertThrows(ExecutionException.class, call::get);
        assertInstanceOf(LlmException.class, x.getCause());
        assertTrue(x.getCause().getMessage().contains("closed"), x.getCause().getMessage());
        assertEquals(0, e.liveExchanges());
        LlmException later = assertThrows(LlmException.class, () -> e.embed("a"));
        assertTrue(later.getMessage().contains("closed"));
        gate.release();
    }

    @Test
    void anInterruptCancelsTheCall() throws Exception {
        Gate gate = new Gate();
        server.enqueue(ok(fixture("embeddings/openai-query-base64.json")).holdHead(gate));
        try (OpenAiEmbeddings e = embeddings(Dialect.OPENAI)) {
            LlmException[] failure = new LlmException[1];
            Thread t = new Thread(() -> {
                try {
                    e.embed("Hello, world!");
                } catch (LlmException x) {
                    failure[0] = x;
                }
            });
            t.start();
            gate.awaitReached(Duration.ofSeconds(20));
            t.interrupt();
            t.join();
            assertTrue(failure[0].getMessage().contains("interrupted"), failure[0].getMessage());
            assertEquals(0, e.liveExchanges());
        } finally {
            gate.release();
        }
    }

    @Test
    void describesItselfWithoutTheKey() {
        try (OpenAiEmbeddings e = embeddings(Dialect.VOYAGE)) {
            String s = e.toString();
            assertFalse(s.contains(KEY.substring(3, 11)), s);
            assertTrue(s.contains("dialect=voyage") && s.contains("model=voyage-3.5") && s.contains("apiKey=****"), s);
            assertSame(Dialect.VOYAGE, e.dialect());
            assertEquals("openai", e.id());
        }
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().baseUrl(server.baseUri()).dialect(Dialect.OLLAMA).model("m")
                .id("local").build()) {
            assertTrue(e.toString().contains("apiKey=none"));
            assertEquals("local", e.id());
        }
        assertNull(Dialect.AZURE.embeddings().defaultModel());
        assertTrue(Arrays.asList(Dialect.VOYAGE.toString()).contains("Dialect[voyage]"));
    }
}
