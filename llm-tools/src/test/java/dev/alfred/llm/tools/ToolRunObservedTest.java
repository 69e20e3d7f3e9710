package dev.alfred.llm.tools;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.Description;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.observe.AgentRun;
import dev.alfred.llm.observe.ListenerContext;
import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.RunListener;
import dev.alfred.llm.observe.RunOutcome;
import dev.alfred.llm.observe.ToolExecution;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run as the provider's listeners hear it (issue 24): one run start, its context current where the
 * rounds are sent and the tools run, the tools' arguments and results, and one end however it ends.
 */
class ToolRunObservedTest {

    record Zone(@Description("a time zone") String tz) {
    }

    /** What is current on a thread, as a tracing context would be. */
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final List<AgentRun> runs = Collections.synchronizedList(new ArrayList<>());
    private final List<RunOutcome> ends = Collections.synchronizedList(new ArrayList<>());
    private final List<ToolExecution> tools = Collections.synchronizedList(new ArrayList<>());

    private final Tool<Zone> clock = Tool.of("clock", "The time", Zone.class, z -> {
        seen.add("tool " + CURRENT.get());
        return "12:00 " + z.tz();
    });

    private final LlmListener listener = new LlmListener() {
        @Override
        public void onStart(LlmCall call) {
            seen.add("call " + CURRENT.get());
        }

        @Override
        public void onToolExecuted(ToolExecution execution) {
            tools.add(execution);
        }

        @Override
        public RunListener onRunStart(AgentRun run) {
            runs.add(run);
            return new RunListener() {
                @Override
                public ListenerContext context() {
                    return () -> {
                        String before = CURRENT.get();
                        CURRENT.set("run");
                        return () -> CURRENT.set(before);
                    };
                }

                @Override
                public void onEnd(RunOutcome outcome) {
                    ends.add(outcome);
                }
            };
        }
    };

    @Test
    void aCompletedRunIsOneRunWhoseCallsAndToolsWorkInItsContext() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "clock", "{\"tz\":\"UTC\"}"))
                .then(ScriptedProvider.text("noon"));
        LlmProvider observed = p.withListeners(listener);
        try (ToolRun run = FakeClock.loop(observed).tool(clock).build().start(ChatRequest.of("time?"))) {
            assertEquals("noon", run.response().content());
            run.close();
        }
        assertEquals(List.of("call run", "tool run", "call run"), seen);
        assertNull(CURRENT.get(), "restored on the reading thread");
        assertEquals(1, runs.size());
        assertEquals(observed.id(), runs.get(0).providerId());
        assertEquals(1, runs.get(0).request().tools().size(), "the first request, with the loop's tools");
        assertEquals(1, ends.size(), "one end, the close after it heard nothing");
        RunOutcome.Completed done = assertInstanceOf(RunOutcome.Completed.class, ends.get(0));
        assertEquals("noon", done.response().content());
        assertEquals(4, done.usage().totalTokens(), "both rounds");
        assertEquals("{\"tz\":\"UTC\"}", tools.get(0).arguments());
        assertEquals("12:00 UTC", tools.get(0).result());
    }

    @Test
    void aRunThatFailsOrIsClosedEndsOnceSo() {
        ScriptedProvider limited = new ScriptedProvider().always(ScriptedProvider.call("c1", "clock", "{\"tz\":\"UTC\"}"));
        try (ToolRun run = FakeClock.loop(limited.withListeners(listener)).tool(clock).maxRounds(1).build()
                .start(ChatRequest.of("time?"))) {
            assertThrows(ToolLoopLimitException.class, run::response);
            assertThrows(ToolLoopLimitException.class, run::response);
        }
        RunOutcome.Failed failed = assertInstanceOf(RunOutcome.Failed.class, ends.get(0));
        assertInstanceOf(ToolLoopLimitException.class, failed.error());

        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.text("a", "b"));
        LlmProvider direct = new LlmProvider() { // its hook is the listener itself: the run alone keeps the end once
            @Override
            public String id() {
                return p.id();
            }

            @Override
            public dev.alfred.llm.ChatResponse chat(ChatRequest request) {
                return p.chat(request);
            }

            @Override
            public dev.alfred.llm.ChatStream stream(ChatRequest request) {
                return p.stream(request);
            }

            @Override
            public LlmListener listener() {
                return listener;
            }
        };
        ToolRun run = FakeClock.loop(direct).tool(clock).build().start(ChatRequest.of("hi"));
        run.iterator().next();
        run.close();
        run.close();
        assertThrows(LlmException.class, run::response);
        assertEquals(2, ends.size(), ends.toString());
        assertInstanceOf(RunOutcome.Cancelled.class, ends.get(1));
    }

    @Test
    void aToolThatThrowsIsReportedWithoutAResult() {
        Tool<Zone> broken = Tool.of("clock", "The time", Zone.class, z -> {
            throw new IllegalStateException("no clock");
        });
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "clock", "{\"tz\":\"UTC\"}"))
                .then(ScriptedProvider.text("sorry"));
        try (ToolRun run = FakeClock.loop(p.withListeners(listener)).tool(broken).build().start(ChatRequest.of("t?"))) {
            run.response();
        }
        assertEquals("{\"tz\":\"UTC\"}", tools.get(0).arguments());
        assertNull(tools.get(0).result());
        assertTrue(tools.get(0).failed());
    }
}
