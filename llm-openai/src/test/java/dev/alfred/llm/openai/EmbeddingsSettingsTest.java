package dev.alfred.llm.openai;

import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The settings embeddings and the model list share with chat: HTTP client, executor, deadlines, headers, bounds. */
class EmbeddingsSettingsTest {

    private static final String KEY = "sk-settings-test-0123456789abcdefghij";
    private static final String ONE = "{\"data\":[{\"index\":0,\"embedding\":[1,2]}],\"model\":5,"
            + "\"usage\":{\"prompt_tokens\":5}}";

    private final FakeServer server = FakeServer.start(WireDialect.openAi());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everySharedSettingIsTakenAndTheHeadersAreSent() {
        server.enqueue(Reply.raw(200, "application/json", ONE));
        server.enqueue(Reply.raw(200, "application/json", ONE + " ".repeat(200)));
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(server.baseUri())
                .connectTimeout(Duration.ofSeconds(5)).headersTimeout(Duration.ofSeconds(5))
                .idleTimeout(Duration.ofSeconds(5)).totalTimeout(Duration.ofSeconds(30)).httpClient(client)
                .executor(executor).clock(Clock.systemUTC()).watchdog(Watchdog.shared()).maxBodyBytes(200)
                .header("X-Org", "acme").build()) {
            var r = e.embed("a");
            assertArrayEquals(new float[] {1, 2}, r.vector(0));
            assertEquals("text-embedding-3-small", r.model(), "a model that is not text is the request's");
            assertEquals(5, r.usage().promptTokens());
            assertEquals(5, r.usage().totalTokens(), "no total: the prompt tokens");
            assertThrows(ResponseTooLargeException.class, () -> e.embed("a"));
        } finally {
            executor.shutdownNow();
        }
        RecordedRequest req = server.takeRequest();
        assertEquals(Optional.of("acme"), req.header("x-org"));
        assertEquals(Optional.of("application/json"), req.header("accept"));
    }

    @Test
    void usageIsReadWhereverItIsAndSkippedWhenOdd() {
        server.enqueue(Reply.raw(200, "application/json", "{\"usage\":\"none\",\"data\":[{\"index\":0,\"embedding\":[1]}]}"));
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"index\":0,\"embedding\":[1]}],"
                + "\"usage\":{\"prompt_tokens\":null,\"total_tokens\":9,\"details\":{}}}"));
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"index\":0,\"embedding\":[1]}],\"usage\":{}}"));
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().apiKey(KEY).baseUrl(server.baseUri()).build()) {
            assertEquals(dev.alfred.llm.Usage.ZERO, e.embed("a").usage());
            assertEquals(dev.alfred.llm.Usage.of(9, 0, 9), e.embed("a").usage());
            assertEquals(dev.alfred.llm.Usage.ZERO, e.embed("a").usage());
        }
    }

    @Test
    void theModelListTakesTheSharedSettingsToo() {
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"id\":\"gpt-5\"}]}"));
        server.enqueue(Reply.raw(200, "application/json", "{\"data\":[{\"id\":\"gpt-5\"}]}" + " ".repeat(100)));
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).httpClient(client)
                .executor(executor).maxBodyBytes(100).header("X-Org", "acme").build()) {
            assertEquals(List.of(new ModelInfo("gpt-5", null, 272_000, 128_000, java.util.Set.of(),
                    ModelInfo.Origin.BUILT_IN, java.time.LocalDate.of(2026, 12, 7))), p.models());
            assertThrows(ResponseTooLargeException.class, p::models);
        } finally {
            executor.shutdownNow();
        }
        assertEquals(Optional.of("acme"), server.takeRequest().header("x-org"));
    }

    @Test
    void voyageHasNoModelListAndBase64IsNotAskedWhereUnsupported() {
        server.enqueue(Reply.raw(200, "application/json", ONE));
        try (OpenAiEmbeddings e = OpenAiEmbeddings.builder().baseUrl(server.baseUri()).dialect(Dialect.VLLM).model("e5")
                .build()) {
            e.embed(EmbeddingRequest.builder().text("a").encoding(EmbeddingRequest.Encoding.BASE64).build());
        }
        assertEquals("{\"model\":\"e5\",\"input\":[\"a\"]}", server.takeRequest().body());
        dev.alfred.llm.UnsupportedFeatureException x = assertThrows(dev.alfred.llm.UnsupportedFeatureException.class,
                () -> OpenAiProvider.builder().baseUrl(server.baseUri()).model("m")
                        .dialect(Dialect.VOYAGE.toBuilder("voyage-chat").chatRefusal(null).build()).build().models());
        assertEquals(dev.alfred.llm.Capabilities.Feature.MODEL_CATALOGUE, x.feature());
    }
}
