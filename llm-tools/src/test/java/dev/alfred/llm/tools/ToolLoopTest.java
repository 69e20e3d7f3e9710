package dev.alfred.llm.tools;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.Description;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.Usage;
import dev.alfred.llm.kimi.KimiProvider;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tool loop over the real Kimi provider and real HTTP to the fake server: what goes back on the wire
 * (reasoning, ids, results in call order, builtin echoes). The loop's own logic is tested on plain objects.
 */
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

}
