package dev.alfred.llm.tools;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.Description;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.Usage;
import dev.alfred.llm.kimi.KimiProvider;
import dev.alfred.llm.spi.SecretScrubber;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.KeyLeaks;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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

/** The tool loop over the real Kimi provider and real HTTP to the fake server; the recorded requests show what went back. */
class ToolLoopTest {

    record WeatherQuery(@Description("a city") String city) {
    }

    record Weather(String city, int celsius) {
    }

    private FakeServer server;
    private KimiProvider kimi;
    private final AtomicInteger weatherCalls = new AtomicInteger();
    private final Tool<WeatherQuery> weather = Tool.of("get_weather", "The weather now in a city", WeatherQuery.class,
            q -> {
                weatherCalls.incrementAndGet();
                return new Weather(q.city(), 21);
            });

    @BeforeEach
    void start() {
        server = FakeServer.start();
        kimi = KimiProvider.builder().apiKey("sk-tools-test-0123456789abcdef").baseUrl(server.baseUri()).build();
    }

    @AfterEach
    void stop() {
        kimi.close();
        server.close();
    }

    /** One tool call with reasoning before it, as a thinking model streams it. */
    private static ScriptedStream callWithReasoning(String reasoning, String id, String name, String args) {
        return ScriptedStream.of(List.of(ChatDelta.reasoning(reasoning), new ChatDelta.ToolCallStart(0, id, name),
                new ChatDelta.ToolCallArguments(0, args))).withFinishReason("tool_calls");
    }

    private static List<String> kinds(List<ToolLoopEvent> events) {
        List<String> k = new ArrayList<>();
        for (ToolLoopEvent e : events) {
            k.add(e.getClass().getSimpleName());
        }
        return k;
    }

    @Test
    void aTwoRoundLoopRunsTheToolAndReplaysReasoningCallsAndResults() {
        server.enqueue(Reply.stream(callWithReasoning("I need the weather.", "call_w1", "get_weather", "{\"city\":\"Paris\"}")))
                .enqueue(Reply.stream(ScriptedStream.ofText("It is ", "21 °C.")));
        List<ToolLoopEvent> events = new ArrayList<>();
        try (ToolRun run = FakeClock.loop(kimi).tool(weather).build().start(ChatRequest.of("Weather in Paris?"))) {
            run.forEach(events::add);
            assertEquals("It is 21 °C.", run.response().content());
            assertEquals(new Usage(24, 16, 40, 8, 0, 0), run.usage(), "the sum of both rounds");
            List<ChatMessage> t = run.transcript();
            assertEquals(4, t.size());
            assertEquals("I need the weather.", ((AssistantMessage) t.get(1)).reasoning());
            assertEquals("{\"city\":\"Paris\",\"celsius\":21}", ((ToolMessage) t.get(2)).content());
            run.close();
            assertEquals("It is 21 °C.", run.response().content(), "a run closed after its end keeps its answer");
            assertFalse(run.iterator().hasNext());
        }
        assertEquals(List.of("Reasoning", "ToolCallStarted", "ToolCallArguments", "ToolCallRequested", "ToolFinished",
                "RoundFinished", "Text", "Text", "RoundFinished"), kinds(events));
        assertEquals(new ToolLoopEvent.ToolCallStarted(1, 0, "call_w1", "get_weather"), events.get(1));
        assertEquals(new ToolLoopEvent.ToolCallArguments(1, 0, "{\"city\":\"Paris\"}"), events.get(2));
        ToolLoopEvent.ToolFinished done = (ToolLoopEvent.ToolFinished) events.get(4);
        assertTrue(done.executed() && !done.error());
        assertEquals(1, weatherCalls.get());
        List<RecordedRequest> requests = server.takeRequests();
        assertEquals(2, requests.size());
        JsonNode first = requests.get(0).json();
        assertEquals("get_weather", first.path("tools").get(0).path("function").path("name").asString());
        JsonNode messages = requests.get(1).json().path("messages");
        JsonNode assistant = messages.get(1);
        assertEquals("I need the weather.", assistant.path("reasoning_content").asString(), "Kimi's reasoning goes back");
        assertEquals("call_w1", assistant.path("tool_calls").get(0).path("id").asString());
        assertEquals("call_w1", messages.get(2).path("tool_call_id").asString());
        assertEquals("{\"city\":\"Paris\",\"celsius\":21}", messages.get(2).path("content").asString());
    }

    @Test
    void kimisReasoningGoesBackOnEveryRound() {
        server.enqueue(Reply.stream(callWithReasoning("r1", "c1", "get_weather", "{\"city\":\"Paris\"}")))
                .enqueue(Reply.stream(callWithReasoning("r2", "c2", "get_weather", "{\"city\":\"Rome\"}")))
                .enqueue(Reply.stream("both sunny"));
        try (ToolRun run = FakeClock.loop(kimi).tool(weather).build().start(ChatRequest.of("Paris and Rome?"))) {
            assertEquals("both sunny", run.response().content());
        }
        List<RecordedRequest> requests = server.takeRequests();
        assertEquals(3, requests.size());
        List<String> second = reasoningSent(requests.get(1));
        List<String> third = reasoningSent(requests.get(2));
        assertEquals(List.of("r1"), second);
        assertEquals(List.of("r1", "r2"), third);
    }

    private static List<String> reasoningSent(RecordedRequest r) {
        List<String> sent = new ArrayList<>();
        for (JsonNode m : r.json().path("messages")) {
            if (m.path("role").asString().equals("assistant")) {
                sent.add(m.path("reasoning_content").asString());
            }
        }
        return sent;
    }

    @Test
    void parallelCallsRunTogetherAndTheirResultsGoBackInTheOrderOfTheCalls() {
        CountDownLatch secondDone = new CountDownLatch(1);
        Tool<WeatherQuery> slow = Tool.of("slow", "Waits for the other tool", WeatherQuery.class, q -> {
            try {
                assertTrue(secondDone.await(5, TimeUnit.SECONDS), "the other call ran meanwhile");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "slow " + q.city();
        });
        Tool<WeatherQuery> fast = Tool.of("fast", "Done at once", WeatherQuery.class, q -> {
            secondDone.countDown();
            return "fast " + q.city();
        });
        server.enqueue(Reply.stream(ScriptedStream.of(List.of(new ChatDelta.ToolCallStart(0, "c1", "slow"),
                        new ChatDelta.ToolCallStart(1, "c2", "fast"), new ChatDelta.ToolCallArguments(1, "{\"city\":\"B\"}"),
                        new ChatDelta.ToolCallArguments(0, "{\"city\":\"A\"}"))).withFinishReason("tool_calls")))
                .enqueue(Reply.stream("ok"));
        try (ToolRun run = FakeClock.loop(kimi).tool(slow).tool(fast).platformThreads(2).build().start(ChatRequest.of("x"))) {
            assertEquals("ok", run.response().content());
        }
        JsonNode messages = server.takeRequests().get(1).json().path("messages");
        assertEquals("c1", messages.get(2).path("tool_call_id").asString());
        assertEquals("slow A", messages.get(2).path("content").asString());
        assertEquals("c2", messages.get(3).path("tool_call_id").asString());
        assertEquals("fast B", messages.get(3).path("content").asString());
    }

    @Test
    void brokenAndUnknownCallsAreNeverRunAndTheModelIsToldWhy() {
        server.enqueue(Reply.stream(ScriptedStream.of(List.of(new ChatDelta.ToolCallStart(0, "c1", "get_weather"),
                        new ChatDelta.ToolCallArguments(0, "{\"city\":"), new ChatDelta.ToolCallStart(1, "c2", "get_weather"),
                        new ChatDelta.ToolCallArguments(1, "{\"town\":\"Oslo\"}"), new ChatDelta.ToolCallStart(2, "c3", "launch"),
                        new ChatDelta.ToolCallArguments(2, "{}"))).withFinishReason("tool_calls")))
                .enqueue(Reply.stream(ScriptedStream.ofToolCall("c4", "get_weather", "{\"city\":\"Ro").withFinishReason("length")))
                .enqueue(Reply.stream("sorry"));
        List<ToolLoopEvent.ToolFinished> finished = new ArrayList<>();
        try (ToolRun run = FakeClock.loop(kimi).tool(weather).build().start(ChatRequest.of("x"))) {
            for (ToolLoopEvent e : run) {
                if (e instanceof ToolLoopEvent.ToolFinished) {
                    finished.add((ToolLoopEvent.ToolFinished) e);
                }
            }
        }
        assertEquals(0, weatherCalls.get(), "no broken call reached the function");
        assertEquals(4, finished.size());
        finished.forEach(f -> assertTrue(f.error() && !f.executed(), f.toString()));
        assertTrue(finished.get(0).result().startsWith("error: the arguments of this call are not a JSON object"),
                finished.get(0).result());
        assertEquals("error: the arguments do not fit the tool's parameters; the tool was not run:\n"
                + "- /city: required a string is missing\n- /town: WeatherQuery has no property \"town\"", finished.get(1).result());
        assertEquals("error: there is no tool named \"launch\"; the tools are: get_weather. The call was not run.",
                finished.get(2).result());
        assertTrue(finished.get(3).result().startsWith("error: the arguments of this call were cut off"), finished.get(3).result());
        JsonNode messages = server.takeRequests().get(1).json().path("messages");
        assertEquals(finished.get(2).result(), messages.get(4).path("content").asString(), "the model gets the reason");
    }

    @Test
    void theBoundsStopTheRunWithTheTranscript() {
        server.setDefault(Reply.stream(ScriptedStream.ofToolCall("c", "get_weather", "{\"city\":\"Paris\"}")));
        ToolLoopLimitException rounds = assertThrows(ToolLoopLimitException.class, () -> {
            try (ToolRun run = FakeClock.loop(kimi).tool(weather).maxRounds(2).build().start(ChatRequest.of("x"))) {
                run.response();
            }
        });
        assertTrue(rounds.getMessage().contains("after 2 rounds (maxRounds)"), rounds.getMessage());
        assertEquals(4, rounds.transcript().size(), "the question, two answers, the first one's result");
        assertEquals(List.of("c"), rounds.unexecuted().stream().map(ToolCall::id).toList());
        assertEquals(1, weatherCalls.get(), "the last round's call never ran");
        assertEquals(2, server.takeRequests().size());
        ToolLoopLimitException perTool = assertThrows(ToolLoopLimitException.class, () -> FakeClock.loop(kimi)
                .tool(weather).maxCallsPerTool(1).build().start(ChatRequest.of("x")).response());
        assertTrue(perTool.getMessage().contains("called 'get_weather' more than 1 times"), perTool.getMessage());
        ToolLoopLimitException all = assertThrows(ToolLoopLimitException.class, () -> FakeClock.loop(kimi)
                .tool(weather).maxCalls(2).build().start(ChatRequest.of("x")).response());
        assertTrue(all.getMessage().contains("more than 2 tool calls (maxCalls)"), all.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(kimi).maxRounds(0));
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(kimi).tool(weather).tool(weather));
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
        server.enqueue(Reply.stream(ScriptedStream.ofToolCall("c1", "stuck", "{\"city\":\"x\"}")));
        ToolRun run = FakeClock.loop(kimi).tool(stuck).build().start(ChatRequest.of("x"));
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
        assertTrue(t.getMessage().contains("closed"), t.getMessage());
        assertTrue(run.executorTerminatedWithin(5, TimeUnit.SECONDS), "nothing keeps running");
        assertEquals(1, server.requestCount(), "no round after the close");
    }

    @Test
    void aToolThatThrowsGivesAnErrorResultScrubbedOfSecretsAndListenersHearIt() {
        String secret = "weather-api-secret-123456789";
        Tool<WeatherQuery> failing = Tool.of("get_weather", "x", WeatherQuery.class, q -> {
            throw new IllegalStateException("service refused key " + secret + " and sk-abcdefghijklmnopqrstuvwx");
        });
        List<ToolExecution> heard = Collections.synchronizedList(new ArrayList<>());
        LlmProvider listened = kimi.withListeners(new LlmListener() {
            @Override
            public void onToolExecuted(ToolExecution execution) {
                heard.add(execution);
            }
        });
        server.enqueue(Reply.stream(ScriptedStream.ofToolCall("c1", "get_weather", "{\"city\":\"x\"}")))
                .enqueue(Reply.stream("sorry"));
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
    void builtinCallsAreEchoedBack() {
        server.enqueue(Reply.stream(ScriptedStream.ofToolCall("s1", "$web_search", "{\"search_result\":{\"id\":\"q\"}}")))
                .enqueue(Reply.stream("found"));
        try (ToolRun run = FakeClock.loop(kimi).build().start(ChatRequest.builder().user("news?")
                .tools(ToolDefinition.builtin("$web_search")).build())) {
            assertEquals("found", run.response().content());
        }
        JsonNode messages = server.takeRequests().get(1).json().path("messages");
        assertEquals("{\"search_result\":{\"id\":\"q\"}}", messages.get(2).path("content").asString());
        assertEquals("$web_search", messages.get(2).path("name").asString());
    }

    @Test
    void aToolNeedsAGoodNameAndADescription() {
        assertThrows(IllegalArgumentException.class, () -> Tool.of("9lives", "x", WeatherQuery.class, q -> ""));
        assertThrows(IllegalArgumentException.class, () -> Tool.of("ok", " ", WeatherQuery.class, q -> ""));
        assertFalse(weather.toString().isEmpty());
    }
}
