package dev.alfred.llm.observe;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.AbstractChatStream;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listening layer's contexts, runs, per-part events and abandoned streams, on plain objects: a
 * "tracing system" that is one thread-local name, made current and restored by the listeners' contexts.
 */
class ListenerContextTest {

    private static final long MS = 1_000_000L;
    /** What is current on a thread, as a tracing system's context would be. */
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private final AtomicLong now = new AtomicLong();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** A context that makes its name current, and logs its openings and closings. */
    private ListenerContext named(String name) {
        return () -> {
            String before = CURRENT.get();
            CURRENT.set(name);
            log.add("open " + name);
            return () -> {
                CURRENT.set(before);
                log.add("close " + name);
            };
        };
    }

    /** A listener that gives each call and run a named context, and captures the current name. */
    private final class Tracing implements LlmListener {
        final String prefix;
        final List<CallOutcome> ends = Collections.synchronizedList(new ArrayList<>());
        final List<Long> gaps = Collections.synchronizedList(new ArrayList<>());
        final List<RunOutcome> runEnds = Collections.synchronizedList(new ArrayList<>());

        Tracing(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public ListenerContext callContext(LlmCall call) {
            return named(prefix + "-call");
        }

        @Override
        public void onOutput(LlmCall call, long nanosSincePrevious) {
            gaps.add(nanosSincePrevious);
        }

        @Override
        public void onEnd(LlmCall call, CallOutcome outcome) {
            ends.add(outcome);
        }

        @Override
        public ListenerContext captureContext() {
            String captured = CURRENT.get();
            return captured == null ? ListenerContext.NONE : named(captured);
        }

        @Override
        public RunListener onRunStart(AgentRun run) {
            return new RunListener() {
                @Override
                public ListenerContext context() {
                    return named(prefix + "-run");
                }

                @Override
                public void onEnd(RunOutcome outcome) {
                    runEnds.add(outcome);
                }
            };
        }
    }

    /** Streams the given parts, 10 ms apart, noting what is current when it is asked to work. */
    private final class Scripted implements LlmProvider {
        final List<String> parts;
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        Scripted(String... parts) {
            this.parts = List.of(parts);
        }

        @Override
        public String id() {
            return "openai";
        }

        @Override
        public ProviderEndpoint endpoint() {
            return new ProviderEndpoint(URI.create("https://llm.example/v1"), "m").withDialect("groq");
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            seen.add("chat " + CURRENT.get());
            try (ChatStream s = open()) {
                return s.response();
            }
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            seen.add("stream " + CURRENT.get());
            return open();
        }

        private ChatStream open() {
            Deque<String> left = new ArrayDeque<>(parts);
            return new AbstractChatStream("openai") {
                @Override
                protected ChatDelta fetch() {
                    seen.add("read " + CURRENT.get());
                    now.addAndGet(10 * MS);
                    if (left.isEmpty()) {
                        reportUsage(Usage.of(1, 1, 2));
                        reportFinishReason(FinishReason.STOP);
                        return null;
                    }
                    return ChatDelta.text(left.removeFirst());
                }

                @Override
                protected void abort() {
                }
            };
        }
    }

    private LlmProvider listened(LlmProvider p, LlmListener... listeners) {
        return LlmListener.attach(p, List.of(listeners), now::get);
    }

    @Test
    void theCallsContextIsCurrentWhereTheCallIsSentAndEachReadUpToTheFirstPartAndRestoredBetween() {
        Scripted provider = new Scripted("a", "b");
        LlmProvider p = listened(provider, new Tracing("t"));
        CURRENT.set("app");
        try {
            ChatStream s = p.stream(ChatRequest.of("hi"));
            assertEquals("app", CURRENT.get());
            for (ChatDelta ignored : s) {
                assertEquals("app", CURRENT.get(), "restored between reads");
            }
            s.close();
            p.chat(ChatRequest.of("hi"));
            assertEquals("app", CURRENT.get());
        } finally {
            CURRENT.remove();
        }
        assertEquals(List.of("stream t-call", "read t-call", "read app", "read app",
                "chat t-call", "read t-call", "read t-call", "read t-call"), provider.seen,
                "a stream's reads after its first part send nothing and switch nothing; a chat reads inside the call");
    }

    @Test
    void severalListenersContextsOpenInOrderAndCloseInReverseAndABrokenOneIsSkipped() {
        LlmListener openFails = new LlmListener() {
            @Override
            public ListenerContext callContext(LlmCall call) {
                return () -> {
                    throw new IllegalStateException("cannot open");
                };
            }
        };
        LlmListener closeFails = new LlmListener() {
            @Override
            public ListenerContext callContext(LlmCall call) {
                return () -> {
                    log.add("open broken");
                    return () -> {
                        throw new IllegalStateException("cannot close");
                    };
                };
            }
        };
        LlmListener contextFails = new LlmListener() {
            @Override
            public ListenerContext callContext(LlmCall call) {
                throw new IllegalStateException("no context");
            }
        };
        LlmListener nullScope = new LlmListener() {
            @Override
            public ListenerContext callContext(LlmCall call) {
                return () -> null;
            }
        };
        Scripted provider = new Scripted();
        LlmProvider p = listened(provider, new Tracing("a"), openFails, closeFails, contextFails, nullScope,
                new Tracing("b"));
        p.chat(ChatRequest.of("hi"));
        assertEquals(List.of("chat b-call", "read b-call"), provider.seen);
        assertEquals(List.of("open a-call", "open broken", "open b-call", "close b-call", "close a-call"),
                log.subList(0, 5));
        assertNull(CURRENT.get(), "everything restored");
    }

    @Test
    void aCallWithoutContextsPaysForNone() {
        ListenerChain chain = new ListenerChain(List.of(LlmListener.NONE));
        assertSame(ListenerContext.NONE, Contexts.of(chain, new ListenerContext[] {null, ListenerContext.NONE}));
        assertSame(ListenerContext.NONE, chain.captureContext());
        ListenerContext one = Contexts.of(chain, new ListenerContext[] {null, named("x")});
        assertNotSame(ListenerContext.NONE, one);
        assertTrue(one.toString().startsWith("Contexts["), one.toString());
        try (ListenerContext.Scope s = one.makeCurrent()) {
            assertEquals("x", CURRENT.get());
        }
        assertNull(CURRENT.get());
        assertSame(ListenerContext.Scope.NONE, ListenerContext.NONE.makeCurrent());
        ListenerContext.Scope.NONE.close();
        assertSame(ListenerContext.NONE, RunListener.NONE.context());
        RunListener.NONE.onEnd(new RunOutcome.Cancelled(Usage.ZERO));
        assertSame(ListenerContext.NONE, LlmListener.NONE.callContext(null));
        assertSame(ListenerContext.NONE, LlmListener.NONE.captureContext());
        assertSame(RunListener.NONE, LlmListener.NONE.onRunStart(null));
    }

    @Test
    void chatAsyncAndPublisherRunInTheCallersContextOnTheExecutor() throws Exception {
        Scripted provider = new Scripted("a");
        LlmProvider p = listened(provider, new Tracing("t"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicReference<String> onPool = new AtomicReference<>();
        try {
            CURRENT.set("app");
            CountDownLatch done = new CountDownLatch(1);
            try {
                assertEquals("a", p.chatAsync(ChatRequest.of("hi"), pool).get(5, TimeUnit.SECONDS).content());
                p.publisher(ChatRequest.of("hi"), pool).subscribe(collecting(done));
            } finally {
                CURRENT.remove();
            }
            assertTrue(done.await(5, TimeUnit.SECONDS));
            pool.submit(() -> onPool.set(CURRENT.get())).get(5, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("open app", "open t-call"), log.subList(0, 2), "the caller's, then the call's");
        assertEquals(List.of("chat t-call", "read t-call", "read t-call", "stream t-call", "read t-call", "read app"),
                provider.seen, "the publisher reads in the caller's context, the first read in the call's too");
        assertNull(onPool.get(), "the pool's thread is left as it was");
        assertThrows(NullPointerException.class, () -> p.chatAsync(null, Runnable::run));
        assertThrows(NullPointerException.class, () -> p.chatAsync(ChatRequest.of("x"), null));
        assertThrows(NullPointerException.class, () -> p.publisher(null, Runnable::run));
        assertThrows(NullPointerException.class, () -> p.publisher(ChatRequest.of("x"), null));
    }

    @Test
    void aPublisherWithNoCallerContextAndARefusingExecutorFailsItsSubscriber() throws Exception {
        LlmProvider p = listened(new Scripted("a"), new Tracing("t"));
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        p.publisher(ChatRequest.of("hi"), task -> {
            throw new RejectedExecutionException("full");
        }).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(ChatDelta item) {
            }

            @Override
            public void onError(Throwable t) {
                error.set(t);
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }
        });
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, error.get());
        CURRENT.set("app");
        try {
            CountDownLatch refused = new CountDownLatch(1);
            p.publisher(ChatRequest.of("hi"), task -> {
                throw new RejectedExecutionException("full");
            }).subscribe(collecting(refused));
            assertTrue(refused.await(5, TimeUnit.SECONDS), "refused with the caller's context too");
        } finally {
            CURRENT.remove();
        }
    }

    private static Flow.Subscriber<ChatDelta> collecting(CountDownLatch done) {
        return new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ChatDelta item) {
            }

            @Override
            public void onError(Throwable t) {
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }
        };
    }

    @Test
    void eachPartAfterTheFirstIsHeardWithTheTimeSinceThePreviousOne() {
        Tracing t = new Tracing("t");
        LlmProvider p = listened(new Scripted("a", "b", "c"), t);
        try (ChatStream s = p.stream(ChatRequest.of("hi"))) {
            s.response();
        }
        assertEquals(List.of(10 * MS, 10 * MS), t.gaps);
        CallOutcome.Completed end = assertInstanceOf(CallOutcome.Completed.class, t.ends.get(0));
        assertEquals(3, end.outputChunks());
    }

    @Test
    void aTickerThatStepsBackGivesNoNegativeGap() {
        Tracing t = new Tracing("t");
        LlmProvider p = listened(new Scripted("a", "b"), t);
        try (ChatStream s = p.stream(ChatRequest.of("hi"))) {
            s.iterator().next();
            now.addAndGet(-100 * MS);
            s.iterator().next();
        }
        assertEquals(List.of(0L), t.gaps);
    }

    @Test
    void aStreamNobodyHoldsIsEndedAsAbandonedByTheCleanerTimedToItsLastPart() {
        Tracing t = new Tracing("t");
        LlmProvider p = listened(new Scripted("a", "b", "c"), t);
        readTwoAndLetGo(p);
        for (int i = 0; i < 1000 && t.ends.isEmpty(); i++) {
            System.gc(); // the state waited for: the cleaner ended the call
            Thread.onSpinWait();
        }
        CallOutcome.Abandoned end = assertInstanceOf(CallOutcome.Abandoned.class, t.ends.get(0));
        assertEquals(Duration.ofMillis(20), end.duration(), "to the second part");
        assertEquals(Duration.ofMillis(10), end.timeToFirstOutput());
        assertEquals(2, end.outputChunks());
        assertEquals(1, t.ends.size());
    }

    private static void readTwoAndLetGo(LlmProvider p) {
        ChatStream s = p.stream(ChatRequest.of("hi"));
        s.iterator().next();
        s.iterator().next();
    }

    @Test
    void aStreamLetGoBeforeAnyPartIsAbandonedAtItsStartAndAnEndedOneIsNotAbandonedAgain() {
        Tracing t = new Tracing("t");
        LlmProvider p = listened(new Scripted("a"), t);
        p.stream(ChatRequest.of("never read"));
        readToTheEnd(p);
        closeEarly(p);
        for (int i = 0; i < 1000 && t.ends.size() < 3; i++) {
            System.gc();
            Thread.onSpinWait();
        }
        for (int i = 0; i < 20; i++) {
            System.gc(); // a cleaner that ran again for the ended ones would add an end
        }
        assertEquals(3, t.ends.size(), t.ends.toString());
        CallOutcome.Abandoned abandoned = t.ends.stream().filter(o -> o instanceof CallOutcome.Abandoned)
                .map(CallOutcome.Abandoned.class::cast).findFirst().orElseThrow();
        assertEquals(Duration.ZERO, abandoned.duration());
        assertNull(abandoned.timeToFirstOutput());
        assertEquals(0, abandoned.outputChunks());
    }

    private static void readToTheEnd(LlmProvider p) {
        p.stream(ChatRequest.of("read")).response();
    }

    private static void closeEarly(LlmProvider p) {
        p.stream(ChatRequest.of("closed")).close();
    }

    @Test
    void aRunIsHeardByEveryListenerWithAllTheirContextsAndEndsOnce() {
        Tracing a = new Tracing("a");
        Tracing b = new Tracing("b");
        LlmListener throwing = new LlmListener() {
            @Override
            public RunListener onRunStart(AgentRun run) {
                throw new IllegalStateException("no run");
            }
        };
        LlmListener nullRun = new LlmListener() {
            @Override
            public RunListener onRunStart(AgentRun run) {
                return null;
            }
        };
        LlmListener brokenRun = new LlmListener() {
            @Override
            public RunListener onRunStart(AgentRun run) {
                return new RunListener() {
                    @Override
                    public ListenerContext context() {
                        throw new IllegalStateException("no context");
                    }

                    @Override
                    public void onEnd(RunOutcome outcome) {
                        throw new IllegalStateException("no end");
                    }
                };
            }
        };
        LlmProvider p = listened(new Scripted(), a, throwing, nullRun, brokenRun, b);
        AgentRun agent = new AgentRun("helper", p.id(), p.endpoint(), ChatRequest.of("hi"));
        RunListener run = p.listener().onRunStart(agent);
        assertTrue(run.toString().contains("helper"), run.toString());
        try (ListenerContext.Scope s = run.context().makeCurrent()) {
            assertEquals("b-run", CURRENT.get());
        }
        assertEquals(List.of("open a-run", "open b-run", "close b-run", "close a-run"), log);
        run.onEnd(new RunOutcome.Completed(ChatResponse.of("ok"), Usage.of(1, 1, 2)));
        run.onEnd(new RunOutcome.Cancelled(Usage.ZERO));
        assertEquals(1, a.runEnds.size());
        assertEquals(1, b.runEnds.size());
        assertInstanceOf(RunOutcome.Completed.class, b.runEnds.get(0));
        assertThrows(NullPointerException.class, () -> p.listener().onRunStart(null));
        assertThrows(NullPointerException.class, () -> run.onEnd(null));
    }

    @Test
    void theCallerContextIsTheListenersAndAThrowingCaptureIsSkipped() {
        LlmListener throwing = new LlmListener() {
            @Override
            public ListenerContext captureContext() {
                throw new IllegalStateException("no capture");
            }
        };
        LlmProvider p = listened(new Scripted(), throwing, new Tracing("t"));
        CURRENT.set("app");
        ListenerContext captured;
        try {
            captured = p.listener().captureContext();
        } finally {
            CURRENT.remove();
        }
        try (ListenerContext.Scope s = captured.makeCurrent()) {
            assertEquals("app", CURRENT.get());
        }
        assertNull(CURRENT.get());
    }

    @Test
    void theRunAndItsOutcomesValidateAndShowNoContent() {
        ChatRequest request = ChatRequest.builder().user("secret question").build();
        AgentRun run = new AgentRun(null, "kimi", new ProviderEndpoint(null, "kimi-k3"), request);
        assertEquals("kimi-k3", run.requestModel());
        assertEquals("AgentRun{kimi, model=kimi-k3}", run.toString());
        assertEquals("m", new AgentRun("a", "kimi", ProviderEndpoint.UNKNOWN,
                ChatRequest.builder().model("m").user("x").build()).requestModel());
        assertEquals("AgentRun{a, kimi, model=null}", new AgentRun("a", "kimi", ProviderEndpoint.UNKNOWN, request).toString());
        assertThrows(NullPointerException.class, () -> new AgentRun(null, null, ProviderEndpoint.UNKNOWN, request));
        assertThrows(NullPointerException.class, () -> new AgentRun(null, "k", null, request));
        assertThrows(NullPointerException.class, () -> new AgentRun(null, "k", ProviderEndpoint.UNKNOWN, null));

        ChatResponse answer = ChatResponse.of("a");
        assertEquals(Usage.ZERO, new RunOutcome.Completed(answer, Usage.ZERO).usage());
        assertThrows(NullPointerException.class, () -> new RunOutcome.Completed(null, Usage.ZERO));
        assertThrows(NullPointerException.class, () -> new RunOutcome.Completed(answer, null));
        assertThrows(NullPointerException.class, () -> new RunOutcome.Failed(null, Usage.ZERO));
        assertThrows(NullPointerException.class, () -> new RunOutcome.Failed(new LlmException("x", null), null));
        assertThrows(NullPointerException.class, () -> new RunOutcome.Cancelled(null));

        assertThrows(NullPointerException.class, () -> new CallOutcome.Abandoned(null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Abandoned(Duration.ofMillis(-1), null, 0));
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Abandoned(Duration.ZERO, null, -1));

        ProviderEndpoint e = new ProviderEndpoint(URI.create("https://api.groq.com/openai/v1"), "llama");
        assertNull(e.dialect());
        assertEquals("groq", e.withDialect("groq").dialect());
        assertEquals(e.baseUrl(), e.withDialect("groq").baseUrl());
        assertEquals("llama", e.withDialect("groq").defaultModel());

        LlmCall call = new LlmCall("1", "openai", LlmCall.CHAT, request, true, "m", "h", 443, "groq");
        assertEquals("LlmCall{1, openai (groq), chat (stream), model=m, server=h:443}", call.toString());
        assertNull(new LlmCall("1", "openai", LlmCall.CHAT, request, false, "m", "h", 443).dialect());

        ToolExecution ran = new ToolExecution("clock", "c1", Duration.ofMillis(3), null, "{\"secret\":1}", "noon");
        assertEquals("ToolExecution{clock, c1, PT0.003S}", ran.toString());
        assertEquals("{\"secret\":1}", ran.arguments());
        assertEquals("noon", ran.result());
        ToolExecution failed = new ToolExecution("clock", "c1", Duration.ZERO, new IllegalStateException("x"));
        assertEquals("ToolExecution{clock, c1, PT0S, failed}", failed.toString());
        assertNull(failed.arguments());
        assertNull(failed.result());
    }

    @Test
    void theLayerTellsTheDialectToItsListeners() {
        List<LlmCall> calls = new ArrayList<>();
        LlmProvider p = listened(new Scripted("a"), new LlmListener() {
            @Override
            public void onStart(LlmCall call) {
                calls.add(call);
            }
        });
        p.chat(ChatRequest.of("hi"));
        assertEquals("groq", calls.get(0).dialect());
    }

    @Test
    void aStreamThatFailsEndsItsCallOnceAndIsNotAbandonedLater() {
        Tracing t = new Tracing("t");
        LlmProvider failing = listened(new LlmProvider() {
            @Override
            public String id() {
                return "x";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                throw new LlmException("down", null);
            }

            @Override
            public ChatStream stream(ChatRequest request) {
                return new AbstractChatStream("x") {
                    @Override
                    protected ChatDelta fetch() {
                        throw new LlmException("broken", null);
                    }

                    @Override
                    protected void abort() {
                    }
                };
            }
        }, t);
        failAndLetGo(failing);
        for (int i = 0; i < 20; i++) {
            System.gc();
        }
        assertEquals(1, t.ends.size());
        assertInstanceOf(CallOutcome.Failed.class, t.ends.get(0));
    }

    private static void failAndLetGo(LlmProvider p) {
        ChatStream s = p.stream(ChatRequest.of("hi"));
        assertThrows(LlmException.class, s::response);
    }
}
