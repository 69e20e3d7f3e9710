package dev.alfred.llm.retry;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.kimi.KimiProvider;
import dev.alfred.llm.testkit.CapturedLogs;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.StreamRecording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry decorator around the real Kimi provider, over real HTTP to the fake server; time is fake. */
class RetryingKimiTest {

    private static final String KEY = "sk-retry-test-00112233445566778899";

    private FakeServer server;
    private FakeTime time;
    private KimiProvider kimi;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        time = new FakeTime();
        kimi = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build();
        CapturedLogs.clear();
    }

    @AfterEach
    void stop() {
        kimi.close();
        server.close();
    }

    private RetryPolicy.Builder policy() {
        return RetryPolicy.builder().sleeper(time).clock(time).random(() -> 0.5);
    }

    private LlmProvider retrying(RetryPolicy policy) {
        return new RetryingLlmProvider(kimi, policy);
    }

    @Test
    void twoUnavailableThenSuccessRecordsTwoExactWaits() {
        server.enqueue(Reply.error(503, "server_unavailable", "scaling"))
                .enqueue(Reply.error(503, "server_unavailable", "scaling"))
                .enqueue(Reply.chat("finally"));
        assertEquals("finally", retrying(policy().build()).chat(ChatRequest.of("x")).content());
        assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), time.waits,
                "full jitter with a draw of 0.5: half of 500 ms, then half of 1 s");
        assertEquals(3, server.requestCount());
    }

    @Test
    void retryAfterIsWaitedExactly() {
        server.enqueue(Reply.error(429, "engine_overloaded_error", "busy").withHeader("Retry-After", "2"))
                .enqueue(Reply.chat("ok"));
        assertEquals("ok", retrying(policy().build()).chat(ChatRequest.of("x")).content());
        assertEquals(List.of(Duration.ofSeconds(2)), time.waits);
    }

    @Test
    void retryAfterAboveTheCapFailsAtOnceCarryingTheWait() {
        server.setDefault(Reply.error(429, "rate_limit_reached_error", "TPD rate limit").withHeader("Retry-After", "3600"));
        RateLimitException e = assertThrows(RateLimitException.class, () -> retrying(policy().build()).chat(ChatRequest.of("x")));
        assertEquals(Optional.of(Duration.ofHours(1)), e.retryAfter());
        assertEquals(1, server.requestCount());
        assertEquals(List.of(), time.waits);
    }

    @Test
    void quotaExhaustionIsTriedOnce() {
        server.setDefault(Reply.error(429, "exceeded_current_quota_error", "You exceeded your current token quota"));
        assertThrows(QuotaExceededException.class, () -> retrying(policy().build()).chat(ChatRequest.of("x")));
        assertEquals(1, server.requestCount());
    }

    @Test
    void connectionResetBeforeHeadersIsRetried() {
        server.enqueue(Reply.fault(Reply.Fault.CONNECTION_RESET)).enqueue(Reply.chat("after reset"));
        assertEquals("after reset", retrying(policy().build()).chat(ChatRequest.of("x")).content());
        assertEquals(2, server.requestCount());
    }

    @Test
    void theLastFailureIsThrownWithTheEarlierOnesSuppressedAndEachRetryIsLogged() {
        server.setDefault(Reply.error(502, null, "bad gateway").withoutHeader("x-trace-id"));
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
                () -> retrying(policy().build()).chat(ChatRequest.of("x")));
        assertEquals(2, e.getSuppressed().length);
        assertEquals(3, server.requestCount());
        List<String> retries = CapturedLogs.lines().stream().filter(l -> l.message().contains("retrying in"))
                .map(CapturedLogs.Line::message).toList();
        assertEquals(List.of("kimi: attempt 1/3 failed (kimi: HTTP 502 - bad gateway); retrying in 250 ms",
                "kimi: attempt 2/3 failed (kimi: HTTP 502 - bad gateway); retrying in 500 ms"), retries);
        CapturedLogs.lines().forEach(l -> assertTrue(!l.text().contains(KEY), l.text()));
    }

    @Test
    void theDeadlineStopsRetriesWhoseWaitWouldEndPastIt() {
        server.setDefault(Reply.error(503, null, "down"));
        RetryPolicy p = policy().maxAttempts(10).random(() -> 0.99).deadline(Duration.ofSeconds(3)).build();
        assertThrows(ProviderUnavailableException.class, () -> retrying(p).chat(ChatRequest.of("x")));
        Duration waited = time.waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertTrue(waited.compareTo(Duration.ofSeconds(3)) <= 0, "waited " + waited);
        assertEquals(List.of(Duration.ofMillis(495), Duration.ofMillis(990)), time.waits,
                "the third wait (1.98 s) would end past 3 s");
    }

    @Test
    void aStreamThatFailsAfterItsFirstDeltaSurfacesThePartialTextAndIsNotRestarted() {
        server.enqueue(Reply.error(503, "server_unavailable", "busy"))
                .enqueue(Reply.stream(ScriptedStream.ofText("Hel").withoutDone()))
                .enqueue(Reply.stream("Hel", "lo"));
        StreamRecording rec = StreamRecording.of(retrying(policy().build()).stream(ChatRequest.of("x")));
        StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
        assertEquals("Hel", e.partialContent());
        assertEquals("Hel", rec.text(), "the caller saw the delta once, never again from a restart");
        assertEquals(2, server.requestCount(), "the 503 was retried; the cut stream was not");
    }

    @Test
    void aStreamRetriedBeforeItsFirstDeltaLooksLikeOneCleanStream() {
        server.enqueue(Reply.error(429, "engine_overloaded_error", "busy").withHeader("Retry-After", "1"))
                .enqueue(Reply.fault(Reply.Fault.CONNECTION_RESET))
                .enqueue(Reply.stream(ScriptedStream.ofText("one ", "clean ", "stream")
                        .withUsage(new dev.alfred.llm.Usage(3, 3, 6, 0, 0, 0), ScriptedStream.UsagePlacement.BOTH)));
        StreamRecording rec = StreamRecording.of(retrying(policy().build()).stream(ChatRequest.of("x")));
        assertEquals(List.of("one ", "clean ", "stream"), rec.deltas().stream()
                .map(d -> ((dev.alfred.llm.ChatDelta.Text) d).text()).toList());
        assertEquals("one clean stream", rec.assertCompleted().content());
        assertEquals(new dev.alfred.llm.Usage(3, 3, 6, 0, 0, 0), rec.response().usage());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofMillis(500)), time.waits);
    }

    @Test
    void closingTheStreamWhileItWaitsToRetryWakesTheReader() throws Exception {
        server.setDefault(Reply.error(503, null, "down"));
        BlockingSleeper waiting = new BlockingSleeper();
        RetryPolicy p = policy().sleeper(waiting).backoff(
                new Backoff(Duration.ofSeconds(30), 2, Duration.ofSeconds(30), Backoff.Jitter.NONE)).build();
        ChatStream s = retrying(p).stream(ChatRequest.of("x"));
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<Throwable> outcome = reader.submit(() -> {
                try {
                    s.response();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            // close only once the reader is in its 30 s wait, so the test is about waking it
            assertTrue(waiting.awaitWaiting(), "the reader never began to wait");
            s.close();
            Throwable t = outcome.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertInstanceOf(LlmException.class, t);
            assertTrue(t.getMessage().contains("closed"), t.getMessage());
            assertEquals(1, server.requestCount(), "no retry after the close");
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void fiftyConcurrentCallsAgainstAnAlways503ServerStayWithinTheBudget() throws Exception {
        server.setDefault(Reply.error(503, "server_unavailable", "down"));
        RetryBudget budget = new RetryBudget(50, 5, 1);
        LlmProvider p = retrying(policy().budget(budget).build());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add(pool.submit(() -> assertThrows(ProviderUnavailableException.class, () -> p.chat(ChatRequest.of("x")))));
            }
            for (Future<?> f : calls) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(50 + budget.maxBurst(), server.requestCount(), "50 calls, 10 retries: not 150 requests");
        assertEquals(0, budget.tokens());
    }

    @Test
    void discoveryWrapsProvidersInRetriesAfterConfiguration() {
        Map<String, String> base = Map.of("KIMI_API_KEY", KEY, "KIMI_BASE_URL", server.baseUri().toString());
        try (LlmProvider p = LlmProviders.create("kimi", ProviderConfig.of(base))) {
            RetryingLlmProvider r = assertInstanceOf(RetryingLlmProvider.class, p);
            assertEquals(3, r.policy().maxAttempts());
            assertInstanceOf(KimiProvider.class, r.delegate());
            assertTrue(!p.toString().contains(KEY), p.toString());
        }
        ProviderConfig tuned = ProviderConfig.of(base).withOverrides(ProviderConfig.of(Map.of(
                "RETRY_MAX_ATTEMPTS", "5", "retry.jitter", "decorrelated", "retry.max-delay", "2s", "retry.budget", "20")));
        try (LlmProvider p = LlmProviders.create("kimi", tuned)) {
            RetryPolicy policy = ((RetryingLlmProvider) p).policy();
            assertEquals(5, policy.maxAttempts());
            assertEquals(Backoff.Jitter.DECORRELATED, policy.backoff().jitter());
            assertEquals(Duration.ofSeconds(2), policy.backoff().cap());
            assertEquals(4, policy.budget().maxBurst());
        }
        ProviderConfig off = ProviderConfig.of(base).withOverrides(ProviderConfig.of(Map.of("RETRY_ENABLED", "false")));
        try (LlmProvider p = LlmProviders.create("kimi", off)) {
            assertInstanceOf(KimiProvider.class, p);
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> LlmProviders.create("kimi",
                ProviderConfig.of(base).withOverrides(ProviderConfig.of(Map.of("retry.jitter", "wild")))));
        assertTrue(bad.getMessage().contains("jitter"), bad.getMessage());
    }

    @Test
    void oneLineWrapUsesTheDefaults() {
        RetryingLlmProvider r = (RetryingLlmProvider) RetryingLlmProvider.wrap(kimi);
        assertSame(kimi, r.delegate());
        assertEquals(3, r.policy().maxAttempts());
        assertEquals(Backoff.DEFAULT, r.policy().backoff());
        assertEquals(Duration.ofSeconds(60), r.policy().maxRetryAfter());
        assertEquals("kimi", r.id());
    }

    @Test
    void anErrorEventBeforeOutputIsRetriedAndOneAfterOutputIsNeverTakenForSuccess() {
        String errorEvent = "event: error\ndata: {\"error\":{\"message\":\"stream failure upstream\",\"type\":\"server_error\"}}\n\n";
        String hel = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n";
        server.enqueue(Reply.raw(200, "text/event-stream", errorEvent + "data: [DONE]\n\n"))
                .enqueue(Reply.stream("clean"));
        assertEquals("clean", StreamRecording.of(retrying(policy().build()).stream(ChatRequest.of("x"))).assertCompleted().content(),
                "a retryable error event before output is retried");
        assertEquals(2, server.requestCount());
        server.enqueue(Reply.raw(200, "text/event-stream", hel + errorEvent + "data: [DONE]\n\n"))
                .enqueue(Reply.stream("must not be sent"));
        StreamInterruptedException e = StreamRecording.of(retrying(policy().build()).stream(ChatRequest.of("x")))
                .assertFailed(StreamInterruptedException.class);
        assertEquals("Hel", e.partialContent());
        assertEquals(3, server.requestCount(), "no retry after output");
    }
}
