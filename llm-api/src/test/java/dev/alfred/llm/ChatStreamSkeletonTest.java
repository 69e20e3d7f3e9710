package dev.alfred.llm;

import dev.alfred.llm.spi.AbstractChatStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The promises AbstractChatStream keeps for every provider. */
class ChatStreamSkeletonTest {

    /** A stream scripted with deltas, then either the end or a failure. */
    private static final class Scripted extends AbstractChatStream {
        final Deque<Object> script;
        final AtomicInteger aborts = new AtomicInteger();

        Scripted(Object... steps) {
            super("test");
            script = new ArrayDeque<>(List.of(steps));
        }

        @Override
        protected ChatDelta fetch() {
            Object next = script.poll();
            if (next == null) {
                reportModel("m1");
                reportUsage(Usage.of(1, 1, 2));
                reportUsage(Usage.of(3, 4, 7));
                reportFinishReason(FinishReason.STOP);
                return null;
            }
            if (next instanceof RuntimeException) {
                throw (RuntimeException) next;
            }
            return (ChatDelta) next;
        }

        @Override
        protected void abort() {
            aborts.incrementAndGet();
        }
    }

    @Test
    void aggregatesTextAndReasoningAndDropsEmptyDeltas() {
        Scripted s = new Scripted(ChatDelta.reasoning("think "), ChatDelta.reasoning(""), ChatDelta.text(""),
                ChatDelta.text("Hel"), ChatDelta.text("lo"));
        List<ChatDelta> seen = new ArrayList<>();
        s.forEach(seen::add);
        assertEquals(List.of(ChatDelta.reasoning("think "), ChatDelta.text("Hel"), ChatDelta.text("lo")), seen);
        ChatResponse r = s.response();
        assertEquals("Hello", r.content());
        assertEquals("think ", r.reasoning());
        assertEquals("m1", r.model());
        assertEquals(Usage.of(3, 4, 7), r.usage(), "the last usage report wins, counted once");
        assertEquals(FinishReason.STOP, r.finishReason());
        assertSame(r, s.response());
        assertEquals(1, s.aborts.get(), "resources released once at the end");
        s.close();
        assertEquals(1, s.aborts.get(), "abort runs at most once");
        assertThrows(NoSuchElementException.class, () -> s.iterator().next());
    }

    @Test
    void failureBeforeAnyDeltaIsThrownAsIsAndAgainOnEveryCall() {
        RateLimitException boom = new RateLimitException("429", "test", 429, null, null, null);
        Scripted s = new Scripted(ChatDelta.text(""), boom);
        assertSame(boom, assertThrows(RateLimitException.class, () -> s.iterator().hasNext()));
        assertSame(boom, assertThrows(RateLimitException.class, s::response));
        assertSame(boom, assertThrows(RateLimitException.class, () -> s.iterator().next()));
        assertEquals(1, s.aborts.get());
    }

    @Test
    void failureAfterADeltaBecomesStreamInterruptedWithThePartialOutput() {
        ProviderUnavailableException eof = new ProviderUnavailableException("eof", "test", -1, null, null, null);
        Scripted s = new Scripted(ChatDelta.reasoning("r"), ChatDelta.text("Hel"), eof);
        Iterator<ChatDelta> it = s.iterator();
        it.next();
        it.next();
        StreamInterruptedException e = assertThrows(StreamInterruptedException.class, it::hasNext);
        assertEquals("Hel", e.partialContent());
        assertEquals("r", e.partialReasoning());
        assertSame(eof, e.getCause());
        assertSame(e, assertThrows(StreamInterruptedException.class, s::response), "one outcome");
    }

    @Test
    void toolCallsEndOnlyWhenTheAnswerEndsAndTheirEndPartsComeLast() {
        Scripted s = new Scripted(new ChatDelta.ToolCallStart(0, "a:0", "f"), new ChatDelta.ToolCallStart(1, "b:1", "g"),
                new ChatDelta.ToolCallArguments(1, "{\"y\""), new ChatDelta.ToolCallArguments(0, ""),
                new ChatDelta.ToolCallArguments(0, "{\"x\":1}"), new ChatDelta.ToolCallArguments(1, ":2}"));
        List<ChatDelta> seen = new ArrayList<>();
        s.forEach(seen::add);
        ToolCall a = new ToolCall("a:0", "f", "{\"x\":1}", ToolCall.Status.COMPLETE);
        ToolCall b = new ToolCall("b:1", "g", "{\"y\":2}", ToolCall.Status.COMPLETE);
        assertEquals(List.of(new ChatDelta.ToolCallStart(0, "a:0", "f"), new ChatDelta.ToolCallStart(1, "b:1", "g"),
                new ChatDelta.ToolCallArguments(1, "{\"y\""), new ChatDelta.ToolCallArguments(0, "{\"x\":1}"),
                new ChatDelta.ToolCallArguments(1, ":2}"), new ChatDelta.ToolCallEnd(0, a), new ChatDelta.ToolCallEnd(1, b)),
                seen, "the empty fragment is dropped; ends follow the last fragment, in call order");
        assertEquals(List.of(a, b), s.response().toolCalls());
    }

    @Test
    void aFailureMidCallKeepsThePartialCallAsTruncated() {
        ProviderUnavailableException eof = new ProviderUnavailableException("eof", "test", -1, null, null, null);
        Scripted s = new Scripted(new ChatDelta.ToolCallStart(0, "a", "f"), new ChatDelta.ToolCallArguments(0, "{\"x\":"),
                eof);
        Iterator<ChatDelta> it = s.iterator();
        it.next();
        it.next();
        StreamInterruptedException e = assertThrows(StreamInterruptedException.class, it::hasNext);
        assertEquals(List.of(new ToolCall("a", "f", "{\"x\":", ToolCall.Status.TRUNCATED)),
                e.partialResponse().toolCalls());
    }

    @Test
    void aBoundPassedIsATypedFailureThatKeepsThePartialAnswer() {
        AbstractChatStream s = new AbstractChatStream("test", new ResponseAccumulator("test", new ResponseLimits(100, 1, 8, 100))) {
            private final Deque<ChatDelta> script = new ArrayDeque<>(List.of(ChatDelta.text("hi"),
                    new ChatDelta.ToolCallStart(0, "a", "f"), new ChatDelta.ToolCallArguments(0, "123456789")));

            @Override
            protected ChatDelta fetch() {
                return script.poll();
            }

            @Override
            protected void abort() {
            }
        };
        StreamInterruptedException e = assertThrows(StreamInterruptedException.class, s::response);
        assertInstanceOf(ResponseTooLargeException.class, e.getCause());
        assertEquals("hi", e.partialContent());
    }

    @Test
    void everyReportReachesTheResponseAndCloseIsVisibleToTheSubclass() {
        boolean[] closedSeen = new boolean[2];
        AbstractChatStream s = new AbstractChatStream("test") {
            private int step;

            @Override
            protected ChatDelta fetch() {
                closedSeen[step] = isClosed();
                if (step++ == 0) {
                    return ChatDelta.text("x");
                }
                reportResponseId("id-1");
                reportFinishReason(FinishReason.LENGTH, "max_tokens");
                reportState(new ProviderState("test", java.util.Map.of("signature", "s")));
                warn("ignored a setting");
                return null;
            }

            @Override
            protected void abort() {
            }
        };
        ChatResponse r = s.response();
        assertEquals("id-1", r.id());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals("max_tokens", r.rawFinishReason());
        assertEquals("s", r.state().values().get("signature"));
        assertEquals(List.of("ignored a setting"), r.warnings());
        assertFalse(closedSeen[0] || closedSeen[1]);
        AbstractChatStream probe = new AbstractChatStream("test") {
            @Override
            protected ChatDelta fetch() {
                throw new AssertionError("a closed stream is not read");
            }

            @Override
            protected void abort() {
                closedSeen[0] = isClosed();
            }
        };
        probe.close();
        assertTrue(closedSeen[0], "close() is visible to abort()");
    }

    @Test
    void unexpectedRuntimeExceptionsBecomeTyped() {
        Scripted s = new Scripted(new IllegalStateException("bug"));
        LlmException e = assertThrows(LlmException.class, s::response);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getMessage().startsWith("test: stream failed unexpectedly"), e.getMessage());
    }

    @Test
    void closeBeforeReadingEndsWithAClosedError() {
        Scripted s = new Scripted(ChatDelta.text("a"));
        s.close();
        LlmException e = assertThrows(LlmException.class, () -> s.iterator().hasNext());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(1, s.aborts.get());
    }

    @Test
    void closeFromAnotherThreadUnblocksAReaderWithOneTypedOutcome() throws Exception {
        BlockingQueue<Object> wire = new ArrayBlockingQueue<>(4);
        CountDownLatch blocked = new CountDownLatch(1);
        AbstractChatStream s = new AbstractChatStream("test") {
            @Override
            protected ChatDelta fetch() {
                try {
                    blocked.countDown();
                    Object o = wire.take();
                    if (o instanceof ChatDelta) {
                        return (ChatDelta) o;
                    }
                    throw new ProviderUnavailableException("connection aborted", "test", -1, null, null, null);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }

            @Override
            protected void abort() {
                wire.add("aborted");
            }
        };
        wire.add(ChatDelta.text("first"));
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                s.response();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        reader.start();
        assertTrue(blocked.await(10, TimeUnit.SECONDS));
        while (!wire.isEmpty()) {
            Thread.onSpinWait();
        }
        s.close();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertTrue(!reader.isAlive(), "the reader was released");
        StreamInterruptedException e = assertInstanceOf(StreamInterruptedException.class, outcome.get());
        assertEquals("first", e.partialContent());
        assertTrue(e.getCause().getMessage().contains("closed"), e.getCause().getMessage());
    }
}
