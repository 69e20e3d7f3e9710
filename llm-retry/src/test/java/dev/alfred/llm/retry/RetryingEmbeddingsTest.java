package dev.alfred.llm.retry;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.EmbeddingBatchException;
import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.Usage;
import dev.alfred.llm.config.ProviderConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retries per batch, not per call, on fake time; counts and catalogues retried like chat. */
class RetryingEmbeddingsTest {

    /** An embedding server in a plain object: a vector per input holding its number; failures scripted per first input. */
    static final class Scripted implements EmbeddingProvider {
        final Map<String, List<RuntimeException>> failures = new ConcurrentHashMap<>();
        final List<String> batches = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        EmbeddingLimits limits = new EmbeddingLimits(3, 1000, 1);

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public ProviderEndpoint endpoint() {
            return new ProviderEndpoint(URI.create("http://emb.test/v1/"), "e-1");
        }

        @Override
        public EmbeddingLimits limits() {
            return limits;
        }

        @Override
        public EmbeddingResponse embed(EmbeddingRequest request) {
            batches.add(request.text(0) + "+" + request.inputs().size());
            List<RuntimeException> f = failures.get(request.text(0));
            if (f != null && !f.isEmpty()) {
                throw f.remove(0);
            }
            List<float[]> v = new ArrayList<>();
            for (int i = 0; i < request.inputs().size(); i++) {
                v.add(new float[] {Float.parseFloat(request.text(i).substring(1))});
            }
            return new EmbeddingResponse(v, "e-1", Usage.of(request.inputs().size(), 0, request.inputs().size()));
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static EmbeddingRequest texts(int n) {
        EmbeddingRequest.Builder b = EmbeddingRequest.builder();
        for (int i = 0; i < n; i++) {
            b.text("t" + i);
        }
        return b.build();
    }

    private final FakeTime time = new FakeTime();

    private RetryPolicy policy() {
        return RetryPolicy.builder().sleeper(time).clock(time).random(() -> 0.5).build();
    }

    @Test
    void aRateLimitedBatchIsRetriedAloneAndTheVectorsComeBackInOrder() {
        Scripted server = new Scripted();
        server.failures.put("t3", new ArrayList<>(List.of(new RateLimitException("slow", "scripted", 429, null, null, null))));
        EmbeddingResponse out = new RetryingEmbeddingProvider(server, policy()).embed(texts(10));
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(new float[] {i}, out.vector(i));
        }
        assertEquals(List.of("t0+3", "t3+3", "t3+3", "t6+3", "t9+1"), server.batches);
        assertEquals(List.of(Duration.ofMillis(250)), time.waits);
        assertEquals(Usage.of(10, 0, 10), out.usage());
    }

    @Test
    void aBatchThatFailsForGoodFailsTheCallNamingItsRangeWithoutRetryingTheOthers() {
        Scripted server = new Scripted();
        server.failures.put("t3", new ArrayList<>(List.of(new InvalidRequestException("too long", "scripted", 400, null, null))));
        EmbeddingBatchException e = assertThrows(EmbeddingBatchException.class,
                () -> new RetryingEmbeddingProvider(server, policy()).embed(texts(7)));
        assertEquals(3, e.fromIndex());
        assertEquals(6, e.toIndex());
        assertInstanceOf(InvalidRequestException.class, e.getCause());
        assertEquals(List.of("t0+3", "t3+3"), server.batches);
        assertEquals(List.of(), time.waits);
    }

    @Test
    void aBatchOutOfRetriesEndsWithItsLastFailureAndTheEarlierOnesSuppressed() {
        Scripted server = new Scripted();
        List<RuntimeException> down = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            down.add(new ProviderUnavailableException("down " + i, "scripted", 503, null, null, null));
        }
        server.failures.put("t0", down);
        LlmExceptionHolder.check(assertThrows(RuntimeException.class,
                () -> new RetryingEmbeddingProvider(server, policy()).embed(texts(2))));
        assertEquals(3, server.batches.size(), "the default policy's three attempts");
    }

    /** What an exhausted single batch throws: the last failure, the earlier ones suppressed. */
    static final class LlmExceptionHolder {
        static void check(RuntimeException e) {
            assertInstanceOf(ProviderUnavailableException.class, e);
            assertEquals("down 2", e.getMessage().replaceAll(".*(down \\d).*", "$1"));
            assertEquals(2, e.getSuppressed().length);
        }
    }

    @Test
    void itSaysItRetriesAndPassesTheDelegatesFactsAndClosingOn() {
        Scripted server = new Scripted();
        RetryPolicy policy = policy();
        RetryingEmbeddingProvider r = new RetryingEmbeddingProvider(server, policy);
        assertTrue(r.retries());
        assertEquals("scripted", r.id());
        assertEquals(server.endpoint(), r.endpoint());
        assertSame(server.limits, r.limits());
        assertSame(server, r.delegate());
        assertSame(policy, r.policy());
        assertTrue(r.toString().startsWith("RetryingEmbeddingProvider{"));
        r.close();
        assertTrue(server.closed.get());
        assertThrows(NullPointerException.class, () -> r.embed((EmbeddingRequest) null));
        assertThrows(NullPointerException.class, () -> new RetryingEmbeddingProvider(null, policy));
        assertThrows(NullPointerException.class, () -> new RetryingEmbeddingProvider(server, null));
    }

    @Test
    void theDecoratorWrapsEmbeddingsOnceAndNotWhenTurnedOff() {
        Scripted server = new Scripted();
        RetryDecorator decorator = new RetryDecorator();
        EmbeddingProvider wrapped = decorator.decorate(server, ProviderConfig.empty());
        assertInstanceOf(RetryingEmbeddingProvider.class, wrapped);
        assertSame(wrapped, decorator.decorate(wrapped, ProviderConfig.empty()));
        assertSame(server, decorator.decorate(server, ProviderConfig.of(Map.of("retry.enabled", "false"))));
        assertThrows(IllegalArgumentException.class,
                () -> decorator.decorate(server, ProviderConfig.of(Map.of("retry.max-attempts", "zero"))));
    }

    @Test
    void tokenCountsAndCataloguesAreRetriedLikeChat() {
        AtomicInteger counts = new AtomicInteger();
        AtomicInteger lists = new AtomicInteger();
        LlmProvider flaky = new LlmProvider() {
            @Override
            public String id() {
                return "flaky";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ChatStream stream(ChatRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public dev.alfred.llm.TokenCounter tokenCounter() {
                return request -> {
                    if (counts.incrementAndGet() == 1) {
                        throw new RateLimitException("slow", "flaky", 429, null, null, null);
                    }
                    return new TokenCount(42, TokenCount.Kind.SERVER, "count endpoint");
                };
            }

            @Override
            public List<ModelInfo> models() {
                if (lists.incrementAndGet() == 1) {
                    throw new ProviderUnavailableException("down", "flaky", 503, null, null, null);
                }
                return List.of(ModelInfo.ofId("m"));
            }
        };
        RetryingLlmProvider r = new RetryingLlmProvider(flaky, policy());
        assertEquals(42, r.tokenCounter().count(ChatRequest.of("x")).tokens());
        assertEquals(List.of(ModelInfo.ofId("m")), r.models());
        assertEquals(2, counts.get());
        assertEquals(2, lists.get());
        assertEquals(2, time.waits.size());
    }
}
