package dev.alfred.llm.tools;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.Description;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.spi.SecretScrubber;
import dev.alfred.llm.testkit.KeyLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Broken, unknown and failing calls, the bounds and closing, on a provider of plain objects. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ToolCallsTest {

    record WeatherQuery(@Description("a city") String city) {
    }

    private final AtomicInteger weatherCalls = new AtomicInteger();
    private final Tool<WeatherQuery> weather = Tool.of("get_weather", "The weather now in a city", WeatherQuery.class,
            q -> {
                weatherCalls.incrementAndGet();
                return "sunny in " + q.city();
            });

    @Test
    void brokenAndUnknownCallsAreNeverRunAndTheModelIsToldWhy() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.of(FinishReason.TOOL_CALLS,
                        new ChatDelta.ToolCallStart(0, "c1", "get_weather"), new ChatDelta.ToolCallArguments(0, "{\"city\":"),
                        new ChatDelta.ToolCallStart(1, "c2", "get_weather"),
                        new ChatDelta.ToolCallArguments(1, "{\"town\":\"Oslo\"}"), new ChatDelta.ToolCallStart(2, "c3", "launch"),
                        new ChatDelta.ToolCallArguments(2, "{}")))
                .then(ScriptedProvider.of(FinishReason.LENGTH, new ChatDelta.ToolCallStart(0, "c4", "get_weather"),
                        new ChatDelta.ToolCallArguments(0, "{\"city\":\"Ro")))
                .then(ScriptedProvider.text("sorry"));
        List<ToolLoopEvent.ToolFinished> finished = new ArrayList<>();
        try (ToolRun run = FakeClock.loop(p).tool(weather).build().start(ChatRequest.of("x"))) {
            for (ToolLoopEvent e : run) {
                if (e instanceof ToolLoopEvent.ToolFinished) {
                    finished.add((ToolLoopEvent.ToolFinished) e);
                }
            }
        }
        assertEquals(0, weatherCalls.get(), "no broken call reached the function");
        assertEquals(4, finished.size());
        finished.forEach(f -> assertTrue(f.error() && !f.executed(), f.toString()));
        assertEquals("error: the arguments of this call are not a JSON object; the tool was not run. Call it again with"
                + " a JSON object that fits its parameters.", finished.get(0).result());
        assertEquals("error: the arguments do not fit the tool's parameters; the tool was not run:\n"
                + "- /city: required a string is missing\n- /town: WeatherQuery has no property \"town\"", finished.get(1).result());
        assertEquals("error: there is no tool named \"launch\"; the tools are: get_weather. The call was not run.",
                finished.get(2).result());
        assertEquals("error: the arguments of this call were cut off before their end (the answer hit its length limit or"
                + " broke off); the tool was not run. Call it again with complete arguments.", finished.get(3).result());
        ToolMessage told = (ToolMessage) p.request(1).messages().get(4);
        assertEquals(finished.get(2).result(), told.content(), "the model gets the reason");
        assertTrue(told.error());
    }

    @Test
    void theBoundsStopTheRunWithTheTranscript() {
        ScriptedProvider p = new ScriptedProvider().always(ScriptedProvider.call("c", "get_weather", "{\"city\":\"Paris\"}"));
        ToolLoopLimitException rounds = assertThrows(ToolLoopLimitException.class, () -> {
            try (ToolRun run = FakeClock.loop(p).tool(weather).maxRounds(2).build().start(ChatRequest.of("x"))) {
                run.response();
            }
        });
        assertEquals("the model still asked for tools after 2 rounds (maxRounds); the 1 calls of its last answer were not"
                + " run", rounds.getMessage());
        assertEquals(4, rounds.transcript().size(), "the question, two answers, the first one's result");
        assertEquals(List.of("c"), rounds.unexecuted().stream().map(ToolCall::id).toList());
        assertEquals(1, weatherCalls.get(), "the last round's call never ran");
        assertEquals(2, p.requests.size());
        ToolLoopLimitException perTool = assertThrows(ToolLoopLimitException.class, () -> FakeClock.loop(p)
                .tool(weather).maxCallsPerTool(1).build().start(ChatRequest.of("x")).response());
        assertTrue(perTool.getMessage().contains("called 'get_weather' more than 1 times"), perTool.getMessage());
        ToolLoopLimitException all = assertThrows(ToolLoopLimitException.class, () -> FakeClock.loop(p)
                .tool(weather).maxCalls(2).build().start(ChatRequest.of("x")).response());
        assertTrue(all.getMessage().contains("more than 2 tool calls (maxCalls)"), all.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(p).maxRounds(0));
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(p).maxCalls(0));
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(p).maxCallsPerTool(0));
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(p).platformThreads(0));
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(p).tool(weather).tool(weather));
        assertEquals(8, ToolLoop.DEFAULT_MAX_ROUNDS);
        assertEquals(40, ToolLoop.DEFAULT_MAX_CALLS_PER_TOOL);
        assertEquals(150, ToolLoop.DEFAULT_MAX_CALLS);
    }

    @Test
    void closeFromAnotherThreadInterruptsTheRunningToolAndEndsTheRun() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Tool<WeatherQuery> stuck = Tool.of("stuck", "Never returns by itself", WeatherQuery.class, q -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return "late";
        });
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "stuck", "{\"city\":\"x\"}"));
        ToolRun run = FakeClock.loop(p).tool(stuck).build().start(ChatRequest.of("x"));
        CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
            try {
                run.response();
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        assertTrue(running.await(5, TimeUnit.SECONDS), "the tool is running");
        run.close();
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the tool was interrupted");
        Throwable t = reader.get(5, TimeUnit.SECONDS);
        assertInstanceOf(LlmException.class, t);
        assertEquals("the tool run was closed", t.getMessage());
        assertTrue(run.executorTerminatedWithin(5, TimeUnit.SECONDS), "nothing keeps running");
        assertEquals(1, p.requests.size(), "no round after the close");
    }

    @Test
    void aToolThatThrowsGivesAnErrorResultScrubbedOfSecretsAndListenersHearIt() {
        String secret = "weather-api-secret-123456789";
        Tool<WeatherQuery> failing = Tool.of("get_weather", "x", WeatherQuery.class, q -> {
            throw new IllegalStateException("service refused key " + secret + " and sk-abcdefghijklmnopqrstuvwx");
        });
        List<ToolExecution> heard = Collections.synchronizedList(new ArrayList<>());
        LlmProvider listened = new ScriptedProvider().then(ScriptedProvider.call("c1", "get_weather", "{\"city\":\"x\"}"))
                .then(ScriptedProvider.text("sorry")).withListeners(new LlmListener() {
                    @Override
                    public void onToolExecuted(ToolExecution execution) {
                        heard.add(execution);
                    }
                });
        try (ToolRun run = FakeClock.loop(listened).tool(failing).secret(secret).build().start(ChatRequest.of("x"))) {
            run.response();
            ToolMessage result = (ToolMessage) run.transcript().get(2);
            assertTrue(result.error());
            assertTrue(result.content().startsWith("error: the tool failed: service refused key ****"), result.content());
            KeyLeaks.assertNone(secret, "the tool result", result.content());
            KeyLeaks.assertNone("sk-abcdefghijklmnopqrstuvwx", "the tool result", result.content());
        }
        assertEquals(1, heard.size());
        assertEquals("get_weather", heard.get(0).toolName());
        assertEquals("c1", heard.get(0).toolCallId());
        assertEquals("java.lang.IllegalStateException",
                assertInstanceOf(SecretScrubber.Scrubbed.class, heard.get(0).error()).originalClass());
    }

    @Test
    void aToolNeedsAGoodNameAndADescription() {
        assertThrows(IllegalArgumentException.class, () -> Tool.of("9lives", "x", WeatherQuery.class, q -> ""));
        assertThrows(IllegalArgumentException.class, () -> Tool.of("ok", " ", WeatherQuery.class, q -> ""));
        assertFalse(weather.toString().isEmpty());
        assertEquals("Tool{get_weather(WeatherQuery)}", weather.toString());
    }
}
