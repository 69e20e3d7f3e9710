package dev.alfred.llm.retry;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.observe.CallOutcome;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.AbstractChatStream;
import dev.alfred.llm.testkit.CapturedLogs;
import dev.alfred.llm.testkit.StreamRecording;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retry rules on plain objects: a scripted in-memory provider, fake time, exact waits. Each test
 * states one behaviour mutation testing found unpinned (the cap, the boundaries, the refunds, the
 * budget, the settings, closing during a wait).
 */
class RetryRulesTest {

    private static final ChatResponse OK = new ChatResponse("ok", "", "", List.of(), List.of(), List.of(), null, "m-1",
            new Usage(1, 1, 2, 0, 0, 0), FinishReason.STOP, "stop", ProviderState.NONE, java.util.Map.of(), List.of());

    /** Answers each call with the next scripted outcome: a response, or an exception to throw. */
    private static class Scripted implements LlmProvider {
        final Deque<Object> outcomes = new ArrayDeque<>();
        final List<Stream> streams = new ArrayList<>();
        int calls;
        boolean closed;

        Scripted then(Object outcome) {
            outcomes.add(outcome);
            return this;
        }

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            calls++;
            Object o = outcomes.poll();
            if (o instanceof LlmException) {
                throw (LlmException) o;
            }
            return (ChatResponse) o;
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            calls++;
            Stream s = new Stream(outcomes.poll());
            streams.add(s);
            return s;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A stream that fails at once with a scripted exception, or yields the response's text then ends. */
    private static final class Stream extends AbstractChatStream {
        private final Object outcome;
        private boolean sent;
        boolean aborted;

        Stream(Object outcome) {
            super("scripted");
            this.outcome = outcome;
        }

        @Override
        protected ChatDelta fetch() {
            if (outcome instanceof LlmException) {
                throw (LlmException) outcome;
            }
            ChatResponse r = (ChatResponse) outcome;
            if (sent) {
                reportModel(r.model());
                reportUsage(r.usage());
                reportFinishReason(r.finishReason(), r.rawFinishReason());
                r.citations().forEach(this::reportCitation);
                r.serverTools().forEach(this::reportServerTool);
                r.providerFields().forEach(this::reportProviderField);
                return null;
            }
            sent = true;
            return ChatDelta.text(r.content());
        }

        @Override
        protected void abort() {
            aborted = true;
        }
    }

    private FakeTime time;

    @BeforeEach
    void start() {
        time = new FakeTime();
        CapturedLogs.clear();
    }

    private RetryPolicy.Builder policy() {
        return RetryPolicy.builder().sleeper(time).clock(time).random(() -> 0.5);
    }

    private static ProviderUnavailableException down() {
        return new ProviderUnavailableException("down", "scripted", 503, null, null, null);
    }

    private static RateLimitException rateLimited(Duration retryAfter) {
        return new RateLimitException("slow down", "scripted", 429, null, retryAfter, null);
    }

    /** Writes down the retries and the end it hears. */
    private static final class RetryRecorder implements LlmListener {
        final List<String> heard = new ArrayList<>();

        @Override
        public void onRetry(LlmCall call, int attempt, LlmException cause, Duration delay) {
            heard.add("retry " + attempt + " " + cause.getMessage() + " " + delay);
        }

        @Override
        public void onEnd(LlmCall call, CallOutcome outcome) {
            heard.add("end " + outcome.getClass().getSimpleName());
        }
    }

    @Test
    void eachRetryIsHeardByTheListenersAroundWithTheFailedAttemptItsCauseAndTheWait() {
        Backoff fixed = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(8), Backoff.Jitter.NONE);
        RetryRecorder chat = new RetryRecorder();
        new RetryingLlmProvider(new Scripted().then(down()).then(down()).then(OK), policy().backoff(fixed).build())
                .withListeners(chat).chat(ChatRequest.of("x"));
        assertEquals(List.of("retry 1 down PT1S", "retry 2 down PT2S", "end Completed"), chat.heard);

        RetryRecorder stream = new RetryRecorder();
        LlmProvider p = new RetryingLlmProvider(new Scripted().then(down()).then(OK), policy().backoff(fixed).build())
                .withListeners(stream);
        try (ChatStream s = p.stream(ChatRequest.of("x"))) {
            assertEquals("ok", s.response().content());
        }
        assertEquals(List.of("retry 1 down PT1S", "end Completed"), stream.heard);

        RetryRecorder refused = new RetryRecorder();
        assertThrows(AuthenticationException.class, () -> new RetryingLlmProvider(
                new Scripted().then(new AuthenticationException("no", "scripted", 401, null, null)), policy().build())
                .withListeners(refused).chat(ChatRequest.of("x")));
        assertEquals(List.of("end Failed"), refused.heard, "no retry is heard when none follows");
    }

    @Test
    void theRetryingProviderPassesTheEndpointAndTheListenerHookOn() {
        LlmProvider inner = new Scripted().withListeners(new RetryRecorder());
        RetryingLlmProvider r = (RetryingLlmProvider) RetryingLlmProvider.wrap(inner);
        assertSame(inner.listener(), r.listener());
        assertEquals(inner.endpoint(), r.endpoint());
    }

    @Test
    void wrappingAProviderThatRetriesAlreadyAddsNoSecondLayerAndSaysSoOnce() {
        dev.alfred.llm.testkit.CapturedLogs.clear();
        LlmProvider bare = new Scripted();
        assertFalse(bare.retries());
        LlmProvider once = RetryingLlmProvider.wrap(bare);
        assertTrue(once.retries());
        assertSame(once, RetryingLlmProvider.wrap(once), "a retrying provider is returned as it is");
        LlmProvider listened = once.withListeners(new RetryRecorder());
        assertTrue(listened.retries(), "the listening layer says what is inside it");
        assertSame(listened, RetryingLlmProvider.wrap(listened));
        assertFalse(bare.withListeners(new RetryRecorder()).retries());
        long warnings = dev.alfred.llm.testkit.CapturedLogs.lines().stream()
                .filter(l -> l.message().contains("already retries failed calls")).count();
        assertTrue(warnings <= 1, "said at most once per JVM, was " + warnings);
        Scripted failing = new Scripted().then(down()).then(down()).then(down()).then(down());
        LlmProvider twice = RetryingLlmProvider.wrap(RetryingLlmProvider.wrap(failing));
        assertThrows(ProviderUnavailableException.class, () -> new RetryingLlmProvider(failing,
                policy().maxAttempts(2).build()).chat(ChatRequest.of("x")));
        assertTrue(twice instanceof RetryingLlmProvider && !(((RetryingLlmProvider) twice).delegate() instanceof RetryingLlmProvider));
    }

    @Test
    void aRetriedStreamPassesOnCitationsServerToolsAndKeptFields() {
        dev.alfred.llm.Citation cite = new dev.alfred.llm.Citation(0, 2, "url_citation", null, "https://s", null, "{}");
        dev.alfred.llm.ServerToolUse search = new dev.alfred.llm.ServerToolUse("s1", "web_search", "{}", null, null);
        ChatResponse rich = new ChatResponse("ok", "", "", List.of(), List.of(cite), List.of(search), null, "m-1",
                null, FinishReason.STOP, "stop", ProviderState.NONE, java.util.Map.of("system_fingerprint", "\"fp\""),
                List.of());
        Scripted p = new Scripted().then(down()).then(rich);
        ChatResponse r;
        try (ChatStream s = new RetryingLlmProvider(p, policy().build()).stream(ChatRequest.of("x"))) {
            r = s.response();
        }
        assertEquals(List.of(cite), r.citations());
        assertEquals(List.of(search), r.serverTools());
        assertEquals(java.util.Map.of("system_fingerprint", "\"fp\""), r.providerFields());
        assertEquals(1, r.warnings().stream().filter(w -> w.startsWith("kept what")).count(), "named once: " + r.warnings());
    }

    @Test
    void aRetryAfterAboveTheCapIsNotRetriedEvenWellInsideTheDeadline() {
        Scripted p = new Scripted().then(rateLimited(Duration.ofSeconds(11))).then(OK);
        RetryingLlmProvider r = new RetryingLlmProvider(p, policy().maxRetryAfter(Duration.ofSeconds(10)).build());
        RateLimitException e = assertThrows(RateLimitException.class, () -> r.chat(ChatRequest.of("x")));
        assertEquals(Duration.ofSeconds(11), e.retryAfter().orElseThrow(), "the wait is carried");
        assertEquals(1, p.calls);
        Scripted exact = new Scripted().then(rateLimited(Duration.ofSeconds(10))).then(OK);
        new RetryingLlmProvider(exact, policy().maxRetryAfter(Duration.ofSeconds(10)).build()).chat(ChatRequest.of("x"));
        assertEquals(List.of(Duration.ofSeconds(10)), time.waits, "a Retry-After equal to the cap is honoured");
    }

    @Test
    void theLongestWaitAServerCanAskForIsNeverRetried() {
        Scripted p = new Scripted().then(rateLimited(Duration.ofNanos(Long.MAX_VALUE))).then(OK);
        RetryingLlmProvider r = new RetryingLlmProvider(p, policy().maxRetryAfter(Duration.ofDays(365 * 1000)).build());
        assertThrows(RateLimitException.class, () -> r.chat(ChatRequest.of("x")));
        assertEquals(1, p.calls);
    }

    @Test
    void aWaitEndingExactlyAtTheDeadlineIsAllowedAndOneNanosecondPastIsNot() {
        // backoff NONE: waits of exactly 1 s, 2 s; deadline 3 s
        Backoff fixed = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(8), Backoff.Jitter.NONE);
        Scripted p = new Scripted().then(down()).then(down()).then(OK);
        new RetryingLlmProvider(p, policy().backoff(fixed).maxAttempts(5).deadline(Duration.ofSeconds(3)).build())
                .chat(ChatRequest.of("x"));
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), time.waits);
        Scripted late = new Scripted().then(down()).then(down()).then(OK);
        assertThrows(ProviderUnavailableException.class, () -> new RetryingLlmProvider(late, policy().backoff(fixed)
                .maxAttempts(5).deadline(Duration.ofSeconds(3).minusNanos(1)).build()).chat(ChatRequest.of("x")));
        assertEquals(2, late.calls, "the second wait would end past the deadline");
    }

    @Test
    void maxAttemptsCountsTheFirstAttempt() {
        Scripted p = new Scripted().then(down()).then(down()).then(OK);
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class,
                () -> new RetryingLlmProvider(p, policy().maxAttempts(2).build()).chat(ChatRequest.of("x")));
        assertEquals(2, p.calls);
        assertEquals(1, e.getSuppressed().length, "the earlier failure is attached");
        Scripted once = new Scripted().then(down());
        assertThrows(ProviderUnavailableException.class,
                () -> new RetryingLlmProvider(once, policy().maxAttempts(1).build()).chat(ChatRequest.of("x")));
        assertEquals(1, once.calls);
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxAttempts(0));
    }

    @Test
    void aSuccessRefundsTheBudgetInChatAndInStreams() {
        RetryBudget budget = new RetryBudget(20, 5, 2);
        RetryPolicy policy = policy().budget(budget).build();
        new RetryingLlmProvider(new Scripted().then(down()).then(OK), policy).chat(ChatRequest.of("x"));
        assertEquals(17, budget.tokens(), "20 - 5 for the retry + 2 for the success");
        StreamRecording rec = StreamRecording.of(new RetryingLlmProvider(new Scripted().then(down()).then(OK), policy)
                .stream(ChatRequest.of("x")));
        assertEquals("ok", rec.assertCompleted().content());
        assertEquals(14, budget.tokens(), "17 - 5 + 2");
        new RetryingLlmProvider(new Scripted().then(OK), policy).chat(ChatRequest.of("x"));
        assertEquals(16, budget.tokens(), "a first-time success refunds too");
        for (int i = 0; i < 5; i++) {
            new RetryingLlmProvider(new Scripted().then(OK), policy).chat(ChatRequest.of("x"));
        }
        assertEquals(20, budget.tokens(), "never above the capacity");
    }

    @Test
    void anEmptyBudgetStopsRetriesAndAnUnlimitedOneNeverDoes() {
        RetryBudget dry = new RetryBudget(4, 5, 1);
        Scripted p = new Scripted().then(down()).then(OK);
        assertThrows(ProviderUnavailableException.class,
                () -> new RetryingLlmProvider(p, policy().budget(dry).build()).chat(ChatRequest.of("x")));
        assertEquals(1, p.calls);
        assertTrue(CapturedLogs.lines().stream().anyMatch(l -> l.message().contains("retry budget is exhausted")),
                CapturedLogs.lines().toString());
        RetryBudget unlimited = RetryBudget.unlimited();
        for (int i = 0; i < 50; i++) {
            assertTrue(unlimited.tryAcquire());
        }
        Scripted q = new Scripted().then(down()).then(down()).then(OK);
        assertSame(OK, new RetryingLlmProvider(q, policy().budget(unlimited).build()).chat(ChatRequest.of("x")));
        assertEquals(Integer.MAX_VALUE, unlimited.maxBurst());
        assertEquals("RetryBudget{unlimited}", unlimited.toString());
        assertEquals("RetryBudget{tokens=4/4, retryCost=5, successRefund=1}", dry.toString());
    }

    @Test
    void aBudgetNeedsPositiveCapacityAndCostAndANonNegativeRefund() {
        assertThrows(IllegalArgumentException.class, () -> new RetryBudget(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryBudget(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryBudget(1, 1, -1));
        RetryBudget smallest = new RetryBudget(1, 1, 0);
        assertTrue(smallest.tryAcquire());
        assertFalse(smallest.tryAcquire());
        smallest.onSuccess();
        assertEquals(0, smallest.tokens(), "a refund of 0 gives nothing back");
    }

    @Test
    void onlyRetryableKindsAreRetriedByDefault() {
        RetryPolicy p = RetryPolicy.defaults();
        assertFalse(p.isRetryable(new QuotaExceededException("q", "s", 429, null, null)));
        assertFalse(p.isRetryable(new AuthenticationException("a", "s", 401, null, null)));
        assertFalse(p.isRetryable(new InvalidRequestException("i", "s", 400, null, null)));
        assertFalse(p.isRetryable(new StreamInterruptedException(ChatResponse.of("part"), down())));
        assertFalse(p.isRetryable(new LlmException("closed", null)));
        assertTrue(p.isRetryable(down()));
        assertTrue(p.isRetryable(rateLimited(null)));
        RetryPolicy everything = RetryPolicy.builder().retryOn(e -> true).build();
        assertTrue(everything.isRetryable(new QuotaExceededException("q", "s", 429, null, null)), "retryOn overrides");
    }

    @Test
    void drawsOutsideTheUnitIntervalAreTakenAsZero() {
        assertEquals(0.0, RetryPolicy.builder().random(() -> 1.0).build().draw());
        assertEquals(0.0, RetryPolicy.builder().random(() -> -0.25).build().draw());
        assertEquals(0.0, RetryPolicy.builder().random(() -> 0.0).build().draw());
        assertEquals(0.999, RetryPolicy.builder().random(() -> 0.999).build().draw());
    }

    @Test
    void theBuilderChecksItsSettingsAndKeepsThem() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxRetryAfter(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().maxRetryAfter(null));
        assertEquals(Duration.ZERO, RetryPolicy.builder().maxRetryAfter(Duration.ZERO).build().maxRetryAfter());
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.builder().deadline(Duration.ZERO));
        RetryPolicy p = RetryPolicy.builder().jitter(Backoff.Jitter.EQUAL).build();
        assertEquals(Backoff.Jitter.EQUAL, p.backoff().jitter());
        assertEquals(Backoff.DEFAULT.base(), p.backoff().base(), "jitter keeps the rest of the backoff");
        double d = RetryPolicy.defaults().draw();
        assertTrue(d >= 0 && d < 1, "the default source draws in [0, 1): " + d);
        String s = RetryPolicy.defaults().toString();
        assertTrue(s.startsWith("RetryPolicy{maxAttempts=3, backoff=") && s.contains("maxRetryAfter=PT1M")
                && s.contains("deadline=PT5M") && s.contains("budget=RetryBudget{tokens=100/100"), s);
    }

    @Test
    void theDecoratorReadsEverySettingItDocuments() {
        RetryPolicy p = RetryDecorator.policy(ProviderConfig.of(Map.of("RETRY_MAX_RETRY_AFTER", "7s", "RETRY_DEADLINE", "42s",
                "RETRY_BUDGET", "30", "RETRY_MAX_ATTEMPTS", "4", "RETRY_BASE_DELAY", "100ms", "RETRY_MULTIPLIER", "3",
                "RETRY_MAX_DELAY", "2s", "RETRY_JITTER", "none")));
        assertEquals(Duration.ofSeconds(7), p.maxRetryAfter());
        assertEquals(Duration.ofSeconds(42), p.deadline());
        assertEquals(6, p.budget().maxBurst());
        assertEquals(4, p.maxAttempts());
        assertEquals(new Backoff(Duration.ofMillis(100), 3, Duration.ofSeconds(2), Backoff.Jitter.NONE), p.backoff());
        assertEquals(100, new RetryDecorator().order());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RetryDecorator.policy(ProviderConfig.of(Map.of("RETRY_DEADLINE", "0s"))));
        assertTrue(bad.getMessage().startsWith("invalid retry setting: "), bad.getMessage());
    }

    @Test
    void aRetriedStreamReportsTheSuccessfulAttemptsModelUsageAndFinishAndClosesTheFailedOne() {
        Scripted p = new Scripted().then(down()).then(OK);
        StreamRecording rec = StreamRecording.of(new RetryingLlmProvider(p, policy().build()).stream(ChatRequest.of("x")));
        assertEquals(OK, rec.assertCompleted());
        assertTrue(p.streams.get(0).aborted, "the failed attempt was closed");
    }

    @Test
    void closingAStreamWhileItWaitsToRetryWakesTheReaderAndClosesTheAttempt() throws Exception {
        BlockingSleeper blocking = new BlockingSleeper();
        Scripted p = new Scripted().then(down()).then(OK);
        ChatStream s = new RetryingLlmProvider(p, policy().sleeper(blocking).build()).stream(ChatRequest.of("x"));
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                s.response();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertTrue(blocking.awaitWaiting());
        s.close();
        Throwable t = reader.get(20, TimeUnit.SECONDS);
        assertInstanceOf(LlmException.class, t);
        assertTrue(t.getMessage().contains("closed"), t.getMessage());
        assertEquals(1, p.calls, "no attempt after the close");
    }

    @Test
    void anInterruptedChatWaitEndsWithTheFailureAttachedAndTheFlagKept() throws Exception {
        BlockingSleeper blocking = new BlockingSleeper();
        Scripted p = new Scripted().then(down()).then(OK);
        RetryingLlmProvider r = new RetryingLlmProvider(p, policy().sleeper(blocking).build());
        AtomicBoolean flagKept = new AtomicBoolean();
        CompletableFuture<LlmException> caller = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                r.chat(ChatRequest.of("x"));
                caller.complete(null);
            } catch (LlmException e) {
                flagKept.set(Thread.currentThread().isInterrupted());
                caller.complete(e);
            }
        });
        t.start();
        assertTrue(blocking.awaitWaiting());
        t.interrupt();
        LlmException e = caller.get(20, TimeUnit.SECONDS);
        assertTrue(e.getMessage().contains("interrupted while waiting to retry"), e.getMessage());
        assertEquals("down", e.getSuppressed()[0].getMessage());
        assertEquals("scripted", e.providerId().orElseThrow());
        assertTrue(flagKept.get(), "the interrupt is kept for the caller");
    }

    @Test
    void givingUpIsLoggedOnlyForRetriedOrRetryableFailures() {
        assertThrows(AuthenticationException.class, () -> new RetryingLlmProvider(new Scripted()
                .then(new AuthenticationException("no", "scripted", 401, null, null)), policy().build()).chat(ChatRequest.of("x")));
        assertFalse(CapturedLogs.lines().stream().anyMatch(l -> l.message().contains("giving up")),
                "a first failure that is not retryable is no news");
        assertThrows(ProviderUnavailableException.class, () -> new RetryingLlmProvider(new Scripted().then(down()),
                policy().maxAttempts(1).build()).chat(ChatRequest.of("x")));
        assertTrue(CapturedLogs.lines().stream().anyMatch(l -> l.message().contains("giving up after attempt 1")),
                CapturedLogs.lines().toString());
    }

    @Test
    void closeReachesTheDelegateAndToStringShowsBoth() {
        Scripted p = new Scripted();
        RetryingLlmProvider r = new RetryingLlmProvider(p, RetryPolicy.defaults());
        r.close();
        assertTrue(p.closed);
        assertTrue(r.toString().startsWith("RetryingLlmProvider{") && r.toString().contains("RetryPolicy{maxAttempts=3"),
                r.toString());
    }

    @Test
    void theSystemSleeperSleepsAtLeastAsLongAsAsked() throws Exception {
        long start = System.nanoTime();
        Sleeper.system().sleep(Duration.ofMillis(30).plusNanos(500_000));
        assertTrue(System.nanoTime() - start >= 30_500_000L, "slept too little");
    }

    /** A stream that is not an AbstractChatStream: it fails when read and only records its close. */
    private static final class RawFailingStream implements ChatStream {
        boolean closed;

        @Override
        public java.util.Iterator<ChatDelta> iterator() {
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    throw down();
                }

                @Override
                public ChatDelta next() {
                    throw down();
                }
            };
        }

        @Override
        public ChatResponse response() {
            throw down();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void closingTheRetryingStreamClosesTheAttemptUnderWay() {
        Scripted p = new Scripted().then(OK);
        ChatStream s = new RetryingLlmProvider(p, policy().build()).stream(ChatRequest.of("x"));
        s.close();
        assertTrue(p.streams.get(0).aborted, "the first attempt was closed with the stream");
    }

    @Test
    void aFailedAttemptIsClosedEvenWhenItDoesNotCloseItself() {
        RawFailingStream raw = new RawFailingStream();
        LlmProvider p = new Scripted() {
            @Override
            public ChatStream stream(ChatRequest request) {
                calls++;
                return calls == 1 ? raw : new Stream(OK);
            }
        };
        assertEquals("ok", StreamRecording.of(new RetryingLlmProvider(p, policy().build()).stream(ChatRequest.of("x")))
                .assertCompleted().content());
        assertTrue(raw.closed, "the failed attempt was closed before the next one");
    }

    @Test
    void aCloseThatLandsWhileTheNextAttemptOpensClosesThatAttempt() {
        ChatStream[] outer = new ChatStream[1];
        Stream[] second = new Stream[1];
        LlmProvider p = new Scripted() {
            @Override
            public ChatStream stream(ChatRequest request) {
                calls++;
                if (calls == 1) {
                    return new Stream(down());
                }
                outer[0].close(); // the caller closes while the retry is being opened
                second[0] = new Stream(OK);
                return second[0];
            }
        };
        outer[0] = new RetryingLlmProvider(p, policy().build()).stream(ChatRequest.of("x"));
        assertThrows(LlmException.class, () -> outer[0].response());
        assertTrue(second[0].aborted, "the attempt opened after the close was closed at once");
    }

    @Test
    void anOutsideInterruptDuringTheWaitKeepsTheFlagAndACloseClearsIt() throws Exception {
        for (boolean byClose : new boolean[] {false, true}) {
            BlockingSleeper blocking = new BlockingSleeper();
            ChatStream s = new RetryingLlmProvider(new Scripted().then(down()).then(OK), policy().sleeper(blocking).build())
                    .stream(ChatRequest.of("x"));
            CompletableFuture<Boolean> flag = new CompletableFuture<>();
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    s.response();
                } catch (LlmException e) {
                    failure.complete(e);
                }
                flag.complete(Thread.currentThread().isInterrupted());
            });
            reader.start();
            assertTrue(blocking.awaitWaiting());
            if (byClose) {
                s.close();
            } else {
                reader.interrupt();
            }
            assertEquals(!byClose, flag.get(20, TimeUnit.SECONDS),
                    byClose ? "a close's own interrupt is cleared" : "an outside interrupt is kept for the caller");
            assertTrue(failure.get(1, TimeUnit.SECONDS).getMessage().contains(byClose ? "closed" : "interrupted while waiting"),
                    failure.get().getMessage());
        }
    }

    /** A provider whose stream yields the given parts, then throws a retryable failure; not built on the skeleton. */
    private static final class BreaksAfter implements LlmProvider {
        final List<ChatDelta> parts;
        int calls;

        BreaksAfter(ChatDelta... parts) {
            this.parts = List.of(parts);
        }

        @Override
        public String id() {
            return "breaks";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            calls++;
            java.util.Iterator<ChatDelta> it = parts.iterator();
            return new ChatStream() {
                @Override
                public java.util.Iterator<ChatDelta> iterator() {
                    return new java.util.Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            if (!it.hasNext()) {
                                throw down();
                            }
                            return true;
                        }

                        @Override
                        public ChatDelta next() {
                            return it.next();
                        }
                    };
                }

                @Override
                public ChatResponse response() {
                    throw down();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aToolCallStartIsOutputAStreamIsNotRetriedAfter() {
        BreaksAfter delegate = new BreaksAfter(new ChatDelta.ToolCallStart(0, "call_1", "get_weather"),
                new ChatDelta.ToolCallArguments(0, "{\"city\":"));
        RetryingLlmProvider retrying = new RetryingLlmProvider(delegate, policy().build());
        StreamRecording rec = StreamRecording.of(retrying.stream(ChatRequest.of("x")));
        StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
        assertEquals(1, delegate.calls, "no second attempt once a tool call began");
        assertEquals(List.of(new dev.alfred.llm.ToolCall("call_1", "get_weather", "{\"city\":",
                dev.alfred.llm.ToolCall.Status.TRUNCATED)), e.partialResponse().toolCalls());
        assertEquals(List.of(), time.waits);

        BreaksAfter silent = new BreaksAfter();
        StreamRecording before = StreamRecording.of(new RetryingLlmProvider(silent, policy().build())
                .stream(ChatRequest.of("x")));
        before.assertFailed(ProviderUnavailableException.class);
        assertEquals(3, silent.calls, "a failure before any output is retried");
    }
}
