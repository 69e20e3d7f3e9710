package dev.alfred.llm.tools;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.spi.SecretScrubber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Per-tool deadlines, on fake time: a tool that ignores interrupts never hangs the run. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ToolDeadlineTest {

    record Query(String q) {
    }

    private final FakeClock clock = new FakeClock();
    /** Lets the stuck tools end once the test is done, so no thread outlives it. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(1);
    private final List<ToolExecution> heard = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void releaseStuckTools() {
        release.countDown();
    }

    /** A tool that ignores interrupts until the test ends. */
    private Tool<Query> stuck(String name) {
        return Tool.of(name, "Never returns in time", Query.class, q -> {
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
    }

    private LlmProvider listened(ScriptedProvider p) {
        return p.withListeners(new LlmListener() {
            @Override
            public void onToolExecuted(ToolExecution execution) {
                heard.add(execution);
            }
        });
    }

    @Test
    void aToolCanBeWaitedForWhileAnotherThreadMovesTime() throws Exception {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "stuck", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.text("moved"));
        try (ToolRun run = FakeClock.loop(p).tool(stuck("stuck")).toolTimeout(Duration.ofSeconds(1)).clock(clock).build()
                .start(ChatRequest.of("x"))) {
            CompletableFuture<ChatResponse> reader = CompletableFuture.supplyAsync(run::response);
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            clock.awaitWaiting();
            assertFalse(reader.isDone());
            clock.advance(Duration.ofSeconds(1));
            assertEquals("moved", reader.get(5, TimeUnit.SECONDS).content());
        }
    }

    @Test
    void aToolPastItsOwnDeadlineIsAnsweredAsAnErrorAndAbandoned() throws Exception {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "stuck", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.text("it timed out"));
        Tool<Query> tool = stuck("stuck").withTimeout(Duration.ofSeconds(5));
        clock.stepOnWait(Duration.ofMillis(4999), Duration.ofMillis(1));
        try (ToolRun run = FakeClock.loop(listened(p)).tool(tool).toolTimeout(Duration.ofMinutes(9)).clock(clock)
                .build().start(ChatRequest.of("x"))) {
            assertEquals("it timed out", run.response().content(), "abandoned at 5 s, not at 4.999 s");
            ToolMessage result = (ToolMessage) run.transcript().get(2);
            assertTrue(result.error());
            assertEquals("error: the tool did not finish within 5 s and was abandoned; its result is lost, and whether"
                    + " it took effect is unknown.", result.content());
        }
        assertEquals(1, heard.size());
        assertEquals(Duration.ofSeconds(5), heard.get(0).duration());
        assertEquals("java.util.concurrent.TimeoutException",
                ((SecretScrubber.Scrubbed) heard.get(0).error()).originalClass());
        assertEquals(2, p.requests.size());
    }

    @Test
    void theLoopsDeadlineHoldsForToolsWithoutTheirOwnAndAFastToolOfTheSameRoundKeepsItsResult() throws Exception {
        Tool<Query> fast = Tool.of("fast", "Answers at once", Query.class, q -> "fast " + q.q())
                .withTimeout(Duration.ofMinutes(1));
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.of(dev.alfred.llm.FinishReason.TOOL_CALLS,
                        new dev.alfred.llm.ChatDelta.ToolCallStart(0, "c1", "stuck"),
                        new dev.alfred.llm.ChatDelta.ToolCallArguments(0, "{\"q\":\"a\"}"),
                        new dev.alfred.llm.ChatDelta.ToolCallStart(1, "c2", "fast"),
                        new dev.alfred.llm.ChatDelta.ToolCallArguments(1, "{\"q\":\"b\"}")))
                .then(ScriptedProvider.text("done"));
        List<ToolLoopEvent.ToolFinished> finished = Collections.synchronizedList(new ArrayList<>());
        clock.stepOnWait(Duration.ofSeconds(2));
        try (ToolRun run = FakeClock.loop(p).tool(stuck("stuck")).tool(fast).toolTimeout(Duration.ofMillis(1500))
                .clock(clock).build().start(ChatRequest.of("x"))) {
            for (ToolLoopEvent e : run) {
                if (e instanceof ToolLoopEvent.ToolFinished f) {
                    finished.add(f);
                }
            }
        }
        assertEquals(2, finished.size());
        assertTrue(finished.get(0).result().contains("within 1500 ms"), finished.get(0).result());
        assertTrue(finished.get(0).error() && finished.get(0).executed());
        assertEquals(Duration.ofMillis(1500), finished.get(0).duration());
        assertEquals("fast b", finished.get(1).result());
        assertFalse(finished.get(1).error());
    }

    @Test
    void onPlatformThreadsACallWaitsForARunningOneToEndOrBeAbandoned() {
        assumeFalse(ToolRun.VIRTUAL_THREADS, "only platform threads are bounded");
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.of(dev.alfred.llm.FinishReason.TOOL_CALLS,
                        new dev.alfred.llm.ChatDelta.ToolCallStart(0, "c1", "stuck"),
                        new dev.alfred.llm.ChatDelta.ToolCallArguments(0, "{\"q\":\"a\"}"),
                        new dev.alfred.llm.ChatDelta.ToolCallStart(1, "c2", "stuck"),
                        new dev.alfred.llm.ChatDelta.ToolCallArguments(1, "{\"q\":\"b\"}")))
                .then(ScriptedProvider.text("done"));
        Duration half = Duration.ofMillis(1500);
        clock.stepOnWait(half, half, half, half);
        long start = clock.nanoTime();
        try (ToolRun run = FakeClock.loop(p).tool(stuck("stuck").withTimeout(Duration.ofSeconds(3)))
                .platformThreads(1).clock(clock).build().start(ChatRequest.of("x"))) {
            assertEquals("done", run.response().content());
        }
        assertEquals(0, clock.stepsLeft(), "one after the other: abandoned at 3 s, then at 6 s");
        assertEquals(Duration.ofSeconds(6), Duration.ofNanos(clock.nanoTime() - start),
                "the second did not start while the first still ran (wakes at 1.5 s and 4.5 s)");
    }

    @Test
    void aDeadlineMustBePositiveAndDurationsReadAsPeopleWriteThem() {
        Tool<Query> t = Tool.of("t", "x", Query.class, q -> "");
        assertThrows(IllegalArgumentException.class, () -> t.withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> t.withTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(new ScriptedProvider()).toolTimeout(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> t.withTimeout(null));
        assertTrue(t.timeout().isEmpty());
        assertEquals(Duration.ofSeconds(2), t.withTimeout(Duration.ofSeconds(2)).timeout().orElseThrow());
        assertEquals("Tool{t(Query), ≤ PT2S}", t.withTimeout(Duration.ofSeconds(2)).toString());
        assertEquals("250 ms", ToolRun.human(Duration.ofMillis(250)));
        assertEquals("999 ms", ToolRun.human(Duration.ofMillis(999)));
        assertEquals("1 s", ToolRun.human(Duration.ofMillis(1000)));
        assertEquals("1500 ms", ToolRun.human(Duration.ofMillis(1500)));
        assertEquals("2 min", ToolRun.human(Duration.ofMinutes(2)));
        assertEquals("90 s", ToolRun.human(Duration.ofSeconds(90)));
        assertEquals(Duration.ofSeconds(60), ToolLoop.DEFAULT_TOOL_TIMEOUT);
    }
}
