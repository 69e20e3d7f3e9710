package dev.alfred.llm.tools;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.schema.RefusalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a run ends frees what it holds: its stream closed, its threads stopped, never waited for. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ToolRunReleaseTest {

    record Query(String q) {
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final Tool<Query> echo = Tool.of("echo", "Echoes", Query.class, Query::q);
    private final Tool<Query> stuck = Tool.of("stuck", "Ignores interrupts", Query.class, q -> {
        entered.countDown();
        while (true) {
            try {
                release.await();
                return "late";
            } catch (InterruptedException ignored) {
                // deliberately deaf
            }
        }
    });

    @AfterEach
    void releaseStuckTools() {
        release.countDown();
    }

    @Test
    void aRunThatEndsNormallyClosesEveryStreamAndStopsItsThreads() throws Exception {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "echo", "{\"q\":\"hi\"}"))
                .then(ScriptedProvider.text("done"));
        List<ToolExecution> heard = Collections.synchronizedList(new ArrayList<>());
        ToolRun run = FakeClock.loop(p.withListeners(new LlmListener() {
            @Override
            public void onToolExecuted(ToolExecution execution) {
                heard.add(execution);
            }
        })).tool(echo).build().start(ChatRequest.builder().user("x").build());
        List<ToolLoopEvent> events = new ArrayList<>();
        run.forEach(events::add);
        assertEquals(2, p.closed.get(), "each round's stream closed");
        assertTrue(run.executorTerminatedWithin(1, TimeUnit.SECONDS), "the tool threads stopped");
        ToolLoopEvent.ToolFinished f = (ToolLoopEvent.ToolFinished) events.get(3);
        assertEquals(Duration.ZERO, f.duration(), "no time passed on the fake clock");
        assertEquals(1, heard.size());
        assertEquals(Duration.ZERO, heard.get(0).duration());
        assertEquals("ToolRun{round 2, 1 calls}", run.toString());
        run.close();
        assertEquals("ToolRun{round 2, 1 calls, closed}", run.toString());
    }

    @Test
    void aRunClosedWhileItStreamsClosesTheStreamAndEnds() throws InterruptedException {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.text("a", "b", "c"));
        ToolRun run = FakeClock.loop(p).build().start(ChatRequest.of("x"));
        Iterator<ToolLoopEvent> events = run.iterator();
        assertEquals(new ToolLoopEvent.Text("a"), events.next());
        run.close();
        assertEquals(1, p.closed.get(), "the stream under way was closed by close()");
        LlmException e = assertThrows(LlmException.class, events::hasNext);
        assertEquals("the tool run was closed", e.getMessage());
        assertSame(e, assertThrows(LlmException.class, events::hasNext), "the same failure every time");
        assertTrue(run.executorTerminatedWithin(0, TimeUnit.SECONDS), "no thread was ever made");
    }

    @Test
    void aRunClosedAsItsStreamIsMadeClosesThatStream() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.text("never read"));
        ToolRun run = FakeClock.loop(p).build().start(ChatRequest.of("x"));
        p.beforeStream = run::close;
        List<ToolLoopEvent> events = new ArrayList<>();
        assertThrows(LlmException.class, () -> run.forEach(events::add));
        assertEquals(List.of(), events, "nothing of the stream was read");
        assertTrue(p.closed.get() >= 1);
    }

    @Test
    void aProviderFailureEndsTheRunAsItIsAndFreesTheRun() throws Exception {
        RateLimitException limited = new RateLimitException("slow down", "kimi", 429, null, null, null);
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "echo", "{\"q\":\"hi\"}"))
                .then(ScriptedProvider.failing(limited, ChatDelta.text("par")));
        ToolRun run = FakeClock.loop(p).tool(echo).build().start(ChatRequest.of("x"));
        LlmException e = assertThrows(LlmException.class, run::response);
        assertSame(limited, e.getCause() == null ? e : e.getCause(), e.toString());
        assertTrue(run.executorTerminatedWithin(1, TimeUnit.SECONDS));
        assertEquals(2, p.closed.get(), "the failed stream was closed too");
    }

    @Test
    void aBoundOrARefusalAfterToolsRanFreesTheRun() throws Exception {
        ScriptedProvider bounded = new ScriptedProvider().always(ScriptedProvider.call("c", "echo", "{\"q\":\"x\"}"));
        ToolRun limited = FakeClock.loop(bounded).tool(echo).maxRounds(2).build().start(ChatRequest.of("x"));
        assertThrows(ToolLoopLimitException.class, limited::response);
        assertTrue(limited.executorTerminatedWithin(1, TimeUnit.SECONDS));
        ScriptedProvider refusing = new ScriptedProvider().then(ScriptedProvider.call("c", "echo", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.of(FinishReason.REFUSAL, new ChatDelta.Refusal("no")));
        ToolRun refused = FakeClock.loop(refusing).tool(echo).build().start(ChatRequest.of("x"));
        assertThrows(RefusalException.class, refused::response);
        assertTrue(refused.executorTerminatedWithin(1, TimeUnit.SECONDS));
    }

    @Test
    void aJvmErrorFromATimedOutWaitFreesTheRunToo() throws Exception {
        Tool<Query> oom = Tool.of("oom", "x", Query.class, q -> {
            throw new OutOfMemoryError("tool");
        });
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.of(FinishReason.TOOL_CALLS,
                new ChatDelta.ToolCallStart(0, "c1", "echo"), new ChatDelta.ToolCallArguments(0, "{\"q\":\"x\"}"),
                new ChatDelta.ToolCallStart(1, "c2", "oom"), new ChatDelta.ToolCallArguments(1, "{\"q\":\"x\"}")));
        ToolRun run = FakeClock.loop(p).tool(echo).tool(oom).build().start(ChatRequest.of("x"));
        assertThrows(OutOfMemoryError.class, run::response);
        assertTrue(run.executorTerminatedWithin(1, TimeUnit.SECONDS));
    }

    @Test
    void closingWakesAReaderWaitingForAToolThatIgnoresInterrupts() throws Exception {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "stuck", "{\"q\":\"x\"}"));
        FakeClock clock = new FakeClock();
        ToolRun run = FakeClock.loop(p).tool(stuck).clock(clock).build().start(ChatRequest.of("x"));
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                run.response();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        reader.start();
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        clock.awaitWaiting();
        run.close();
        reader.join(5000);
        assertFalse(reader.isAlive(), "the reader was woken, not left waiting");
        assertFalse(run.executorTerminatedWithin(0, TimeUnit.SECONDS), "the deaf tool's thread is abandoned, not joined");
        assertEquals("the tool run was closed", outcome.get().getMessage());
    }

    @Test
    void anInterruptedReaderClosesTheRunAndKeepsItsInterrupt() throws Exception {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "stuck", "{\"q\":\"x\"}"));
        FakeClock clock = new FakeClock();
        ToolRun run = FakeClock.loop(p).tool(stuck).clock(clock).build().start(ChatRequest.of("x"));
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                run.response();
            } catch (Throwable t) {
                outcome.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        reader.start();
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        clock.awaitWaiting();
        reader.interrupt();
        reader.join(5000);
        LlmException e = assertInstanceOf(LlmException.class, outcome.get());
        assertEquals("the tool run was closed", e.getMessage());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertTrue(stillInterrupted.get());
        assertTrue(run.toString().endsWith(", closed}"), run.toString());
    }

    @Test
    void aDeadlineLongerThanClocksCanCountIsTheLongestOne() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "echo", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.text("ok"));
        try (ToolRun run = FakeClock.loop(p).tool(echo.withTimeout(Duration.ofDays(365L * 1000))).build()
                .start(ChatRequest.of("x"))) {
            assertEquals("ok", run.response().content());
        }
        assertEquals(Duration.ofNanos(Long.MAX_VALUE / 4), ToolRun.LONGEST);
    }

    @Test
    void anApproverInterruptedOnItsOwnDeniesTheRestOfTheRound() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.of(FinishReason.TOOL_CALLS,
                        new ChatDelta.ToolCallStart(0, "c1", "echo"), new ChatDelta.ToolCallArguments(0, "{\"q\":\"a\"}"),
                        new ChatDelta.ToolCallStart(1, "c2", "echo"), new ChatDelta.ToolCallArguments(1, "{\"q\":\"b\"}")))
                .then(ScriptedProvider.text("ok"));
        try (ToolRun run = FakeClock.loop(p).tool(echo).approver(call -> {
            throw new InterruptedException();
        }).build().start(ChatRequest.of("x"))) {
            assertEquals("ok", run.response().content());
            for (int i = 2; i <= 3; i++) {
                assertEquals("error: the call was not approved: the approval was interrupted. The tool was not run.",
                        ((dev.alfred.llm.ToolMessage) run.transcript().get(i)).content());
            }
        }
    }

    @Test
    void theRunsThreadsAreDaemonsThatNeverKeepTheJvmAlive() throws Exception {
        ExecutorService e = ToolRun.newExecutor();
        try {
            Future<Boolean> daemon = e.submit(() -> Thread.currentThread().isDaemon());
            assertTrue(daemon.get(5, TimeUnit.SECONDS));
        } finally {
            e.shutdownNow();
        }
    }

    @Test
    void theLoopAndItsToolsDescribeThemselves() {
        LlmProvider p = new ScriptedProvider();
        assertEquals("ToolLoop{kimi, tools=[echo], rounds≤3}", FakeClock.loop(p).tool(echo).maxRounds(3).build().toString());
        assertEquals("Echoes", echo.description());
        assertEquals("echo", echo.name());
    }
}
