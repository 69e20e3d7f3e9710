package dev.alfred.llm.tools;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.Description;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.Usage;
import dev.alfred.llm.observe.AgentRun;
import dev.alfred.llm.observe.ListenerContext;
import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.RunListener;
import dev.alfred.llm.observe.RunOutcome;
import dev.alfred.llm.observe.ToolExecution;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    @Test
    void theRunNamesTheProvidersEndpointAndUnknownForAProviderThatGivesNone() {
        ProviderEndpoint moonshot = new ProviderEndpoint(URI.create("https://api.moonshot.ai/v1"), "kimi-k2", "kimi");
        ScriptedProvider p = new ScriptedProvider().always(ScriptedProvider.text("hi"));
        p.endpoint = moonshot;
        try (ToolRun run = FakeClock.loop(p.withListeners(listener)).tool(clock).build().start(ChatRequest.of("x"))) {
            run.response();
        }
        p.endpoint = null;
        try (ToolRun run = FakeClock.loop(p.withListeners(listener)).tool(clock).build().start(ChatRequest.of("x"))) {
            assertEquals("hi", run.response().content());
        }
        assertEquals(moonshot, runs.get(0).endpoint());
        assertEquals(ProviderEndpoint.UNKNOWN, runs.get(1).endpoint());
    }

    @Test
    void closingARunEndsItAsCancelledAtOnceWithTheTokensOfTheRoundsDone() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.text("a", "b"));
        ToolRun run = FakeClock.loop(p.withListeners(listener)).tool(clock).build().start(ChatRequest.of("x"));
        assertEquals(new ToolLoopEvent.Text("a"), run.iterator().next());
        run.close();
        assertEquals(1, ends.size(), "heard at the close, before anyone reads on");
        assertEquals(Usage.ZERO, assertInstanceOf(RunOutcome.Cancelled.class, ends.get(0)).usage(), "no round ended");
        assertEquals("the tool run was closed", assertThrows(LlmException.class, run::response).getMessage());
        assertEquals(1, ends.size());
    }

    @Test
    void aProviderFailureEndsTheRunAsFailedWithThatFailure() {
        RateLimitException limited = new RateLimitException("slow down", "kimi", 429, null, null, null);
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "clock", "{\"tz\":\"UTC\"}"))
                .then(ScriptedProvider.failing(limited, ChatDelta.text("par")));
        try (ToolRun run = FakeClock.loop(p.withListeners(listener)).tool(clock).build().start(ChatRequest.of("x"))) {
            StreamInterruptedException e = assertThrows(StreamInterruptedException.class, run::response);
            assertSame(limited, e.getCause(), "the stream's failure after its partial text");
            assertSame(e, assertThrows(LlmException.class, run::response), "the same failure again");
            assertEquals(1, ends.size(), ends.toString());
            assertSame(e, assertInstanceOf(RunOutcome.Failed.class, ends.get(0)).error());
        }
        assertEquals(1, ends.size(), "the close after the failure is not a second end");
        RunOutcome.Failed failed = (RunOutcome.Failed) ends.get(0);
        assertEquals(2, failed.usage().totalTokens(), "the first round's");
    }

    @Test
    void aStreamThatBreaksBecauseTheRunWasClosedEndsTheRunAsClosedWithTheBreakAsCause() {
        AtomicReference<ToolRun> closing = new AtomicReference<>();
        LlmException reset = new LlmException("the connection was reset", null);
        LlmProvider breaking = new LlmProvider() { // closing the run breaks its stream, as a real connection does
            @Override
            public String id() {
                return "kimi";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ChatStream stream(ChatRequest request) {
                return new ChatStream() {
                    @Override
                    public Iterator<ChatDelta> iterator() {
                        return new Iterator<>() {
                            @Override
                            public boolean hasNext() {
                                closing.get().close();
                                throw reset;
                            }

                            @Override
                            public ChatDelta next() {
                                throw new NoSuchElementException();
                            }
                        };
                    }

                    @Override
                    public ChatResponse response() {
                        throw new IllegalStateException("not read to its end");
                    }

                    @Override
                    public void close() {
                    }
                };
            }

            @Override
            public LlmListener listener() {
                return listener;
            }
        };
        ToolRun run = FakeClock.loop(breaking).tool(clock).build().start(ChatRequest.of("x"));
        closing.set(run);
        LlmException e = assertThrows(LlmException.class, run.iterator()::hasNext);
        assertEquals("the tool run was closed", e.getMessage());
        assertSame(reset, e.getCause());
        assertSame(e, assertThrows(LlmException.class, run::response));
        assertEquals(1, ends.size(), ends.toString());
        assertInstanceOf(RunOutcome.Cancelled.class, ends.get(0));
    }

    @Test
    void aJvmErrorOrAProviderThatThrowsEndsTheRunAsFailedWithIt() {
        Tool<Zone> starved = Tool.of("clock", "The time", Zone.class, z -> {
            throw new OutOfMemoryError("no room for the time");
        });
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "clock", "{\"tz\":\"UTC\"}"));
        try (ToolRun run = FakeClock.loop(p.withListeners(listener)).tool(starved).build().start(ChatRequest.of("x"))) {
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, run::response);
            assertSame(e, assertInstanceOf(RunOutcome.Failed.class, ends.get(0)).error());
        }
        ScriptedProvider unscripted = new ScriptedProvider();
        try (ToolRun run = FakeClock.loop(unscripted.withListeners(listener)).tool(clock).build()
                .start(ChatRequest.of("x"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, run::response);
            assertEquals("no round scripted for request 1", e.getMessage());
            assertSame(e, assertInstanceOf(RunOutcome.Failed.class, ends.get(1)).error());
        }
        assertEquals(2, ends.size(), ends.toString());
    }

    @Test
    void aToolsDurationIsTheTimeItTookOnTheRunsClock() {
        FakeClock time = new FakeClock();
        Tool<Zone> slow = Tool.of("clock", "The time", Zone.class, z -> {
            time.advance(Duration.ofMillis(250));
            return "12:00";
        });
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "clock", "{\"tz\":\"UTC\"}"))
                .then(ScriptedProvider.text("noon"));
        List<ToolLoopEvent> events = new ArrayList<>();
        try (ToolRun run = ToolLoop.builder(p.withListeners(listener)).clock(time).tool(slow).build()
                .start(ChatRequest.of("x"))) {
            run.forEach(events::add);
        }
        ToolLoopEvent.ToolFinished finished = events.stream().filter(ToolLoopEvent.ToolFinished.class::isInstance)
                .map(ToolLoopEvent.ToolFinished.class::cast).findFirst().orElseThrow();
        assertEquals(Duration.ofMillis(250), finished.duration());
        assertEquals(Duration.ofMillis(250), tools.get(0).duration());
    }
}
