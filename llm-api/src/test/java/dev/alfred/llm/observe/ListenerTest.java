package dev.alfred.llm.observe;

import dev.alfred.llm.*;


import dev.alfred.llm.spi.AbstractChatStream;
import dev.alfred.llm.spi.CallEvents;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listening layer on plain objects and a fake ticker: the events of a call, their order, exact
 * times, exactly one end whatever ends the call, retries from inside, and listeners that throw.
 */
class ListenerTest {

    private static final long MS = 1_000_000L;

    /** A ticker that moves only when told. */
    private final AtomicLong now = new AtomicLong(-5 * MS); // nanoTime may be negative

    /** Writes every event it hears as one line. */
    private static final class Recorder implements LlmListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<LlmCall> calls = Collections.synchronizedList(new ArrayList<>());
        final List<CallOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onStart(LlmCall call) {
            calls.add(call);
            events.add("start " + (call.streaming() ? "stream" : "chat") + " " + call.requestModel());
        }

        @Override
        public void onFirstOutput(LlmCall call, Duration timeToFirstOutput) {
            events.add("first " + timeToFirstOutput.toMillis() + "ms");
        }

        @Override
        public void onRetry(LlmCall call, int attempt, LlmException cause, Duration delay) {
            events.add("retry " + attempt + " " + cause.getMessage() + " " + delay.toMillis() + "ms");
        }

        @Override
        public void onEnd(LlmCall call, CallOutcome outcome) {
            outcomes.add(outcome);
            events.add("end " + outcome.getClass().getSimpleName() + " " + outcome.duration().toMillis() + "ms "
                    + outcome.outputChunks() + " chunks");
        }

        @Override
        public void onToolExecuted(ToolExecution execution) {
            events.add("tool " + execution.toolName() + " " + execution.failed());
        }
    }

    /** A listener that throws from every method. */
    private static final class Throwing implements LlmListener {
        @Override
        public void onStart(LlmCall call) {
            throw new IllegalStateException("start");
        }

        @Override
        public void onFirstOutput(LlmCall call, Duration t) {
            throw new IllegalStateException("first");
        }

        @Override
        public void onRetry(LlmCall call, int attempt, LlmException cause, Duration delay) {
            throw new IllegalStateException("retry");
        }

        @Override
        public void onEnd(LlmCall call, CallOutcome outcome) {
            throw new AssertionError("end");
        }

        @Override
        public void onToolExecuted(ToolExecution execution) {
            throw new IllegalStateException("tool");
        }
    }

    /**
     * Streams the scripted steps, each stream from the start: a String is a text part after 10 ms, an exception is thrown, a latch is
     * waited on (a blocked read), a Runnable is run; then the end after 10 ms.
     */
    private class Scripted implements LlmProvider {
        final List<Object> script;
        final List<String> seenEvents = new ArrayList<>();
        volatile Runnable onAbort = () -> { };
        int aborts;

        Scripted(Object... steps) {
            this.script = List.of(steps);
        }

        @Override
        public String id() {
            return "scripted";
        }

        @Override
        public ProviderEndpoint endpoint() {
            return new ProviderEndpoint(URI.create("https://llm.example/v1"), "default-model");
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            seenEvents.add(String.valueOf(CallEvents.current() != CallEvents.NONE));
            try (ChatStream s = stream(request)) {
                return s.response();
            }
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            seenEvents.add(String.valueOf(CallEvents.current() != CallEvents.NONE));
            Deque<Object> steps = new ArrayDeque<>(script); // each stream plays the whole script
            return new AbstractChatStream("scripted") {
                @Override
                protected ChatDelta fetch() {
                    now.addAndGet(10 * MS);
                    while (true) {
                        Object step = steps.poll();
                        if (step == null) {
                            reportModel("m-1");
                            reportUsage(Usage.of(3, 2, 5));
                            reportFinishReason(FinishReason.STOP);
                            return null;
                        }
                        if (step instanceof RuntimeException) {
                            throw (RuntimeException) step;
                        }
                        if (step instanceof CountDownLatch[]) {
                            CountDownLatch[] latches = (CountDownLatch[]) step;
                            latches[0].countDown();
                            try {
                                latches[1].await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            throw new LlmException("closed", "scripted", -1, null, false, null, null);
                        }
                        if (step instanceof Runnable) {
                            ((Runnable) step).run();
                            continue;
                        }
                        return ChatDelta.text((String) step);
                    }
                }

                @Override
                protected void abort() {
                    aborts++;
                    onAbort.run();
                }
            };
        }
    }

    private LlmProvider listened(LlmProvider p, LlmListener... listeners) {
        return LlmListener.attach(p, List.of(listeners), now::get);
    }

    private static ProviderUnavailableException down(String why) {
        return new ProviderUnavailableException(why, "scripted", 503, null, null, null);
    }

    @Test
    void aStreamedCallIsHeardStartFirstOutputAndOneEndWithItsTimes() {
        Recorder r = new Recorder();
        LlmProvider p = listened(new Scripted("a", "b", "c"), r);
        List<String> text = new ArrayList<>();
        try (ChatStream s = p.stream(ChatRequest.of("hi"))) {
            for (ChatDelta d : s) {
                text.add(((ChatDelta.Text) d).text());
            }
            assertEquals(5, s.response().usage().totalTokens());
        }
        assertEquals(List.of("a", "b", "c"), text);
        assertEquals(List.of("start stream default-model", "first 10ms", "end Completed 40ms 3 chunks"), r.events,
                "the close after the end is no second end");
        CallOutcome.Completed done = assertInstanceOf(CallOutcome.Completed.class, r.outcomes.get(0));
        assertEquals("abc", done.response().content());
        assertEquals(Duration.ofMillis(10), done.timeToFirstOutput());
        LlmCall call = r.calls.get(0);
        assertEquals("scripted", call.providerId());
        assertEquals(LlmCall.CHAT, call.operation());
        assertEquals("llm.example", call.serverAddress());
        assertEquals(443, call.serverPort());
        assertTrue(call.streaming());
    }

    @Test
    void aChatIsOneStartAndOneEndWithoutFirstOutputAndTheRequestModelWins() {
        Recorder r = new Recorder();
        LlmProvider p = listened(new Scripted("a", "b"), r);
        ChatResponse answer = p.chat(ChatRequest.builder().model("asked-model").user("hi").build());
        assertEquals("ab", answer.content());
        assertEquals(List.of("start chat asked-model", "end Completed 30ms 0 chunks"), r.events);
        assertNull(r.outcomes.get(0).timeToFirstOutput());
        assertSame(answer, ((CallOutcome.Completed) r.outcomes.get(0)).response());
    }

    @Test
    void responseWithoutIteratingStillCountsTheChunksAndTheFirstOutput() {
        Recorder r = new Recorder();
        try (ChatStream s = listened(new Scripted("a", "b"), r).stream(ChatRequest.of("hi"))) {
            assertEquals("ab", s.response().content());
        }
        assertEquals(List.of("start stream default-model", "first 10ms", "end Completed 30ms 2 chunks"), r.events);
    }

    @Test
    void aFailureBeforeOutputFailsTheCallWithoutPartial() {
        Recorder r = new Recorder();
        ProviderUnavailableException boom = down("boom");
        ChatStream s = listened(new Scripted(boom), r).stream(ChatRequest.of("hi"));
        assertSame(boom, assertThrows(ProviderUnavailableException.class, s.iterator()::hasNext));
        assertThrows(ProviderUnavailableException.class, s.iterator()::hasNext);
        s.close();
        assertEquals(List.of("start stream default-model", "end Failed 10ms 0 chunks"), r.events,
                "one end: not again on the second read, nor on close");
        CallOutcome.Failed f = assertInstanceOf(CallOutcome.Failed.class, r.outcomes.get(0));
        assertSame(boom, f.error());
        assertNull(f.partial());
    }

    @Test
    void aFailureAfterOutputFailsTheCallWithThePartialAnswer() {
        Recorder r = new Recorder();
        ChatStream s = listened(new Scripted("a", down("cut")), r).stream(ChatRequest.of("hi"));
        Iterator<ChatDelta> it = s.iterator();
        it.next();
        assertThrows(StreamInterruptedException.class, it::next, "next() without hasNext() is heard too");
        CallOutcome.Failed f = assertInstanceOf(CallOutcome.Failed.class, r.outcomes.get(0));
        assertEquals("a", f.partial().content());
        assertEquals(1, f.outputChunks());
        assertEquals(Duration.ofMillis(10), f.timeToFirstOutput());
        s.close();
        assertEquals(1, r.outcomes.size());
    }

    @Test
    void nextPastTheEndCompletesTheCall() {
        Recorder r = new Recorder();
        ChatStream s = listened(new Scripted("a"), r).stream(ChatRequest.of("hi"));
        Iterator<ChatDelta> it = s.iterator();
        it.next();
        assertThrows(NoSuchElementException.class, it::next);
        assertInstanceOf(CallOutcome.Completed.class, r.outcomes.get(0));
        assertEquals(1, r.outcomes.size());
    }

    @Test
    void aCloseBeforeTheEndCancelsOnceAndTheReadAfterItIsNotAFailure() {
        Recorder r = new Recorder();
        Scripted provider = new Scripted("a", "b");
        ChatStream s = listened(provider, r).stream(ChatRequest.of("hi"));
        s.iterator().next();
        s.close();
        s.close();
        assertThrows(LlmException.class, s.iterator()::hasNext);
        assertEquals(List.of("start stream default-model", "first 10ms", "end Cancelled 10ms 1 chunks"), r.events);
        assertEquals(1, provider.aborts, "the stream inside is closed");
    }

    @Test
    void aCloseFromAnotherThreadIsOneCancelEvenWhenTheReadersFailureLandsWhileItCloses() throws Exception {
        Recorder r = new Recorder();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch readerDone = new CountDownLatch(1);
        Scripted provider = new Scripted("a", new CountDownLatch[] {reading, release});
        // The stream inside wakes the reader as it is closed and lets the close go on only once the reader
        // has failed: the worst order, in which the cancel must already have been heard.
        provider.onAbort = () -> {
            release.countDown();
            try {
                readerDone.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ChatStream s = listened(provider, r).stream(ChatRequest.of("hi"));
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                s.forEach(d -> { });
                return null;
            } catch (RuntimeException e) {
                return e;
            } finally {
                readerDone.countDown();
            }
        });
        assertTrue(reading.await(10, TimeUnit.SECONDS), "the reader is inside the read");
        s.close();
        assertInstanceOf(LlmException.class, reader.get(10, TimeUnit.SECONDS));
        assertEquals(1, r.outcomes.size());
        assertInstanceOf(CallOutcome.Cancelled.class, r.outcomes.get(0));
        assertEquals(1, r.outcomes.get(0).outputChunks());
    }

    @Test
    void aStreamThatCannotBeOpenedFailsTheCallAtOnce() {
        Recorder r = new Recorder();
        LlmProvider refusing = new Scripted() {
            @Override
            public ChatStream stream(ChatRequest request) {
                throw new UnsupportedFeatureException("no images", "scripted", Capabilities.Feature.IMAGES);
            }
        };
        assertThrows(UnsupportedFeatureException.class, () -> listened(refusing, r).stream(ChatRequest.of("hi")));
        assertEquals(List.of("start stream default-model", "end Failed 0ms 0 chunks"), r.events);
    }

    @Test
    void retriesReportedInsideAreHeardOnTheCallAndTheEventsAreCurrentOnlyDuringTheCall() {
        Recorder r = new Recorder();
        Scripted inner = new Scripted("a");
        LlmProvider retrying = new Scripted() {
            @Override
            public ChatStream stream(ChatRequest request) {
                CallEvents events = CallEvents.current();
                events.retry(1, down("first"), Duration.ofMillis(250));
                events.retry(2, down("second"), Duration.ofMillis(500));
                return inner.stream(request);
            }
        };
        try (ChatStream s = listened(retrying, r).stream(ChatRequest.of("hi"))) {
            s.response();
        }
        assertEquals(List.of("start stream default-model", "retry 1 first 250ms", "retry 2 second 500ms", "first 10ms",
                "end Completed 20ms 1 chunks"), r.events);
        assertSame(CallEvents.NONE, CallEvents.current(), "nothing stays current after the call");
        assertEquals(List.of("true"), inner.seenEvents);
        Scripted plain = new Scripted("a");
        plain.chat(ChatRequest.of("hi"));
        assertEquals(List.of("false", "false"), plain.seenEvents, "outside a listening layer there are no events");
    }

    @Test
    void anEnclosingLayerHearsTheRetriesOfAnInnerOne() {
        Recorder outer = new Recorder();
        Recorder inner = new Recorder();
        LlmProvider retrying = new Scripted() {
            @Override
            public ChatResponse chat(ChatRequest request) {
                CallEvents.current().retry(1, down("x"), Duration.ofMillis(1));
                return ChatResponse.of("ok");
            }
        };
        LlmProvider innerLayer = listened(retrying, inner);
        LlmProvider between = new Scripted() { // a decorator the layers cannot see through
            @Override
            public ChatResponse chat(ChatRequest request) {
                ChatResponse r = innerLayer.chat(request);
                CallEvents.current().retry(2, down("after"), Duration.ofMillis(2)); // the outer call's again
                return r;
            }
        };
        listened(between, outer).chat(ChatRequest.of("hi"));
        assertTrue(inner.events.contains("retry 1 x 1ms"));
        assertTrue(outer.events.contains("retry 1 x 1ms"));
        assertTrue(outer.events.contains("retry 2 after 2ms"), "the inner layer restored the outer's events: " + outer.events);
        assertTrue(!inner.events.contains("retry 2 after 2ms"));
        assertSame(CallEvents.NONE, CallEvents.current());
    }

    @Test
    void listenersAddedToAListeningProviderShareItsLayer() {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        LlmProvider p = listened(new Scripted("a"), a).withListeners(b);
        p.chat(ChatRequest.of("hi"));
        assertEquals(a.events, b.events);
        assertEquals(2, a.events.size(), "one start and one end: one layer, not two");
        assertSame(p, p.withListeners().withListeners(), "no listeners, no layer");
    }

    @Test
    void aThrowingListenerNeitherBreaksTheCallNorSilencesTheOthers() {
        Recorder r = new Recorder();
        LlmProvider p = listened(retryingOnce(new Scripted("a", "b")), new Throwing(), r, new LlmListener() {
            @Override
            public LlmListener forCall(LlmCall call) {
                throw new IllegalStateException("forCall");
            }
        });
        try (ChatStream s = p.stream(ChatRequest.of("hi"))) {
            assertEquals("ab", s.response().content());
        }
        assertEquals("ab", p.chat(ChatRequest.of("hi")).content());
        assertEquals(7, r.events.size(), r.events.toString());
        assertTrue(r.events.contains("retry 1 once 5ms"), r.events.toString());
        p.listener().onToolExecuted(new ToolExecution("clock", "call_1", Duration.ZERO, null));
        assertEquals("tool clock false", r.events.get(7));
    }

    /** A listener that throws a StackOverflowError from one method, named. */
    private static LlmListener overflowingIn(String method) {
        return new LlmListener() {
            private void maybe(String m) {
                if (m.equals(method)) {
                    throw new StackOverflowError(m);
                }
            }

            @Override
            public LlmListener forCall(LlmCall call) {
                maybe("forCall");
                return this;
            }

            @Override
            public void onStart(LlmCall call) {
                maybe("onStart");
            }

            @Override
            public void onFirstOutput(LlmCall call, Duration t) {
                maybe("onFirstOutput");
            }

            @Override
            public void onRetry(LlmCall call, int attempt, LlmException cause, Duration delay) {
                maybe("onRetry");
            }

            @Override
            public void onEnd(LlmCall call, CallOutcome outcome) {
                maybe("onEnd");
            }

            @Override
            public void onToolExecuted(ToolExecution execution) {
                maybe("onToolExecuted");
            }
        };
    }

    @Test
    void aVirtualMachineErrorOfAListenerIsNotSwallowedWhateverTheEvent() {
        for (String method : List.of("forCall", "onStart", "onFirstOutput", "onRetry", "onEnd")) {
            LlmProvider p = listened(retryingOnce(new Scripted("a")), overflowingIn(method));
            assertThrows(StackOverflowError.class, () -> {
                try (ChatStream s = p.stream(ChatRequest.of("hi"))) {
                    s.response();
                }
            }, method);
        }
        LlmProvider p = listened(new Scripted("a"), overflowingIn("onToolExecuted"));
        assertThrows(StackOverflowError.class,
                () -> p.listener().onToolExecuted(new ToolExecution("t", "c", Duration.ZERO, null)));
    }

    /** A decorator that reports one retry as each stream starts, as llm-retry would after a failed attempt. */
    private LlmProvider retryingOnce(LlmProvider inner) {
        return new Scripted() {
            @Override
            public ChatStream stream(ChatRequest request) {
                CallEvents.current().retry(1, down("once"), Duration.ofMillis(5));
                return inner.stream(request);
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                CallEvents.current().retry(1, down("once"), Duration.ofMillis(5));
                return inner.chat(request);
            }
        };
    }

    @Test
    void aFailedChatIsOneFailedEndAndTheFailureGoesOnToTheCaller() {
        Recorder r = new Recorder();
        ProviderUnavailableException boom = down("boom");
        LlmProvider failing = new Scripted() {
            @Override
            public ChatResponse chat(ChatRequest request) {
                throw boom;
            }
        };
        assertSame(boom, assertThrows(ProviderUnavailableException.class, () -> listened(failing, r).chat(ChatRequest.of("hi"))));
        assertEquals(List.of("start chat default-model", "end Failed 0ms 0 chunks"), r.events);
        assertSame(boom, ((CallOutcome.Failed) r.outcomes.get(0)).error());
        assertSame(CallEvents.NONE, CallEvents.current(), "a failed call leaves nothing current");
    }

    @Test
    void aStreamWhoseResponseFailsAfterItsEndFailsTheCall() {
        Recorder r = new Recorder();
        IllegalStateException broken = new IllegalStateException("no response");
        LlmProvider p = new Scripted("a") {
            @Override
            public ChatStream stream(ChatRequest request) {
                ChatStream real = super.stream(request);
                return new ChatStream() {
                    @Override
                    public Iterator<ChatDelta> iterator() {
                        return real.iterator();
                    }

                    @Override
                    public ChatResponse response() {
                        throw broken;
                    }

                    @Override
                    public void close() {
                        real.close();
                    }
                };
            }
        };
        ChatStream s = listened(p, r).stream(ChatRequest.of("hi"));
        assertSame(broken, assertThrows(IllegalStateException.class, s::response));
        assertSame(broken, ((CallOutcome.Failed) r.outcomes.get(0)).error());
        ChatStream t = listened(p, r).stream(ChatRequest.of("hi"));
        t.iterator().next();
        assertSame(broken, assertThrows(IllegalStateException.class, t.iterator()::hasNext), "the end is where it fails");
        assertEquals(2, r.outcomes.size());
        assertInstanceOf(CallOutcome.Failed.class, r.outcomes.get(1));
    }

    @Test
    void aListenerPerCallHearsOnlyItsCall() {
        List<Recorder> perCall = Collections.synchronizedList(new ArrayList<>());
        LlmProvider p = listened(new Scripted("a"), new LlmListener() {
            @Override
            public LlmListener forCall(LlmCall call) {
                Recorder r = new Recorder();
                perCall.add(r);
                return r;
            }
        });
        p.chat(ChatRequest.of("one"));
        p.chat(ChatRequest.of("two"));
        assertEquals(2, perCall.size());
        assertEquals(2, perCall.get(0).events.size());
        assertEquals(2, perCall.get(1).events.size());
    }

    @Test
    void theLayerPassesIdCapabilitiesEndpointAndCloseThrough() {
        boolean[] closed = {false};
        Scripted inner = new Scripted() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        LlmProvider p = inner.withListeners(new Recorder());
        assertEquals("scripted", p.id());
        assertEquals(inner.capabilities(), p.capabilities());
        assertEquals(inner.endpoint(), p.endpoint());
        assertSame(LlmListener.NONE, inner.listener());
        p.close();
        assertTrue(closed[0]);
    }

    @Test
    void callsIdsAreDistinctAndTheRecordsCheckTheirValues() {
        Recorder r = new Recorder();
        LlmProvider p = listened(new Scripted(), r);
        p.chat(ChatRequest.of("a"));
        p.chat(ChatRequest.of("b"));
        assertTrue(!r.calls.get(0).callId().equals(r.calls.get(1).callId()));
        assertTrue(!r.calls.get(0).toString().contains("\"a\""), "the conversation stays out of toString");
        assertTrue(p.toString().startsWith("ListeningProvider{") && p.toString().contains("Recorder"), p.toString());
        try (ChatStream s = p.stream(ChatRequest.of("x"))) {
            assertTrue(s.toString().startsWith("ListeningStream{"), s.toString());
        }
        assertThrows(IllegalArgumentException.class, () -> new LlmCall("1", "p", "chat", ChatRequest.of("x"), false,
                null, null, 70000));
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Cancelled(Duration.ofMillis(-1), null, 0));
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Cancelled(Duration.ZERO, null, -1));
        assertThrows(IllegalArgumentException.class,
                () -> new CallOutcome.Cancelled(Duration.ZERO, Duration.ofMillis(-1), 0));
        assertThrows(IllegalArgumentException.class, () -> new ToolExecution("t", "c", Duration.ofMillis(-1), null));
        assertEquals(80, new ProviderEndpoint(URI.create("http://h/v1"), null).port());
        assertEquals(8080, new ProviderEndpoint(URI.create("http://h:8080/v1"), null).port());
        assertEquals(-1, ProviderEndpoint.UNKNOWN.port());
        assertEquals(-1, new ProviderEndpoint(URI.create("ftp://h/x"), null).port());
    }

    @Test
    void aTickerThatStepsBackNeverGivesANegativeDuration() {
        Recorder r = new Recorder();
        LlmProvider p = LlmListener.attach(new Scripted("a"), List.of(r), () -> -now.getAndAdd(MS));
        p.chat(ChatRequest.of("hi"));
        assertEquals(Duration.ZERO, r.outcomes.get(0).duration());
    }
}
