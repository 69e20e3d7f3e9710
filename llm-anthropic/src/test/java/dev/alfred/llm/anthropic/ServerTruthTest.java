package dev.alfred.llm.anthropic;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.Citation;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.ServerToolUse;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.StreamRecording;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21 on the Anthropic provider, over real HTTP: refusals, server tools and citations reach the
 * caller and go back verbatim, the served model, pause_turn, web search as a builtin tool, the errors as
 * the server meant them, and requests the API accepts.
 */
class ServerTruthTest {

    private static final String KEY = "sk-ant-test-0123456789abcdefghij";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "The weather.",
            JsonSchema.of("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));
    private static final ChatRequest HELLO = ChatRequest.of("hello");
    private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-asked\",\"content\":[],\"stop_reason\":null,"
            + "\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}";
    private static final String STOP = "event: message_stop\ndata: {\"type\":\"message_stop\"}";

    private final FakeServer server = FakeServer.start(WireDialect.anthropic());

    @AfterEach
    void stop() {
        server.close();
    }

    private AnthropicProvider provider() {
        return AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build();
    }

    private static Reply sse(String... events) {
        StringBuilder body = new StringBuilder();
        for (String e : events) {
            body.append(e).append("\n\n");
        }
        return Reply.raw(200, "text/event-stream", body.toString());
    }

    private static String event(String json) {
        String type = json.substring(json.indexOf("\"type\":\"") + 8);
        return "event: " + type.substring(0, type.indexOf('"')) + "\ndata: " + json;
    }

    private static String blockStart(int index, String block) {
        return event("{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + block + "}");
    }

    private static String delta(int index, String delta) {
        return event("{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
    }

    private static String blockStop(int index) {
        return event("{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    private static String messageDelta(String delta) {
        return event("{\"type\":\"message_delta\",\"delta\":" + delta + ",\"usage\":{\"output_tokens\":9}}");
    }

    @Test
    void aStreamedRefusalIsAPartAndAFinishReasonAndTheTextBeforeItStays() {
        server.enqueue(sse(START, blockStart(0, "{\"type\":\"text\",\"text\":\"\"}"),
                delta(0, "{\"type\":\"text_delta\",\"text\":\"Here is how\"}"), blockStop(0),
                messageDelta("{\"stop_reason\":\"refusal\",\"stop_sequence\":null,\"stop_details\":{\"type\":\"refusal\","
                        + "\"category\":\"cyber\",\"explanation\":\"Blocked under the usage policy.\"}}"), STOP));
        try (AnthropicProvider p = provider()) {
            StreamRecording rec = StreamRecording.of(p.stream(HELLO));
            ChatResponse r = rec.assertCompleted();
            assertEquals(List.of(ChatDelta.text("Here is how"), new ChatDelta.Refusal("Blocked under the usage policy.")),
                    rec.deltas(), "a chat UI sees the refusal as it arrives");
            assertEquals("Here is how", r.content());
            assertEquals("Blocked under the usage policy.", r.refusal());
            assertEquals(FinishReason.REFUSAL, r.finishReason());
            assertTrue(r.isRefusal());
            assertEquals("{\"type\":\"refusal\",\"category\":\"cyber\",\"explanation\":\"Blocked under the usage policy.\"}",
                    r.providerFields().get("stop_details"));
        }
    }

    @Test
    void aToolCallOpenWhenTheAnswerIsRefusedIsNeverComplete() {
        server.enqueue(sse(START, blockStart(0, "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}"),
                delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}"), blockStop(0),
                messageDelta("{\"stop_reason\":\"refusal\"}"), STOP));
        try (AnthropicProvider p = provider()) {
            ChatResponse r = StreamRecording.of(p.stream(ChatRequest.builder().user("x").tools(WEATHER).build())).assertCompleted();
            assertEquals(ToolCall.Status.TRUNCATED, r.toolCalls().get(0).status());
            assertEquals("declined to answer (stop_reason refusal)", r.refusal());
        }
    }

    @Test
    void aWebSearchAnswerReachesTheCallerTypedAndGoesBackVerbatimOnTheNextTurn() {
        String results = "[{\"type\":\"web_search_result\",\"title\":\"SF\",\"url\":\"https://w\",\"encrypted_content\":\"EqgBCioIB\","
                + "\"page_age\":null}]";
        String citation = "{\"type\":\"web_search_result_location\",\"cited_text\":\"66F and clear\",\"url\":\"https://w\","
                + "\"title\":\"SF\",\"encrypted_index\":\"Eo8BCioIBxgC\"}";
        server.enqueue(sse(START,
                blockStart(0, "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}"),
                delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}"),
                delta(0, "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \\\"sf weather\\\"}\"}"), blockStop(0),
                blockStart(1, "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":" + results + "}"),
                blockStop(1),
                blockStart(2, "{\"type\":\"text\",\"text\":\"\"}"), delta(2, "{\"type\":\"text_delta\",\"text\":\"It is \"}"),
                blockStop(2),
                blockStart(3, "{\"citations\":[],\"type\":\"text\",\"text\":\"\"}"),
                delta(3, "{\"type\":\"citations_delta\",\"citation\":" + citation + "}"),
                delta(3, "{\"type\":\"text_delta\",\"text\":\"66F\"}"), blockStop(3),
                event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":9,"
                        + "\"server_tool_use\":{\"web_search_requests\":1}}}"), STOP));
        server.enqueue(Reply.chat("ok"));
        ChatRequest ask = ChatRequest.builder().user("Weather in SF?").tools(ToolDefinition.builtin("web_search")).build();
        try (AnthropicProvider p = provider()) {
            assertTrue(p.capabilities().supports(Capabilities.Feature.BUILTIN_TOOLS));
            ChatResponse r = StreamRecording.of(p.stream(ask)).assertCompleted();
            assertEquals("It is 66F", r.content());
            assertEquals(List.of(new ServerToolUse("srvtoolu_1", "web_search", "{\"query\": \"sf weather\"}", "web_search_tool_result",
                    results)), r.serverTools());
            assertEquals(List.of(new Citation(6, 9, "web_search_result_location", "66F and clear", "https://w", "SF", citation)),
                    r.citations());
            assertEquals("66F", r.content().substring(6, 9));
            assertEquals("{\"web_search_requests\":1}", r.providerFields().get("usage.server_tool_use"));
            assertTrue(RecordedExchangesTest.named(r, "usage.server_tool_use"), r.warnings().toString());
            p.chat(ask.toBuilder().message(ChatMessage.of(r)).user("And tomorrow?").build());
        }
        JsonNode first = server.takeRequest().json();
        assertEquals("[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]", first.path("tools").toString());
        JsonNode replayed = server.takeRequest().json().path("messages").get(1);
        assertEquals("assistant", replayed.path("role").asString());
        assertEquals(JSON.readTree("[{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":"
                + "\"sf weather\"}},{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":" + results + "},"
                + "{\"type\":\"text\",\"text\":\"It is \"},{\"type\":\"text\",\"text\":\"66F\",\"citations\":[" + citation + "]}]"),
                replayed.path("content"), "block by block, in order, encrypted content and index included");
    }

    @Test
    void aPausedTurnSentBackAsTheLastMessageLetsTheServerContinue() {
        String body = "{\"id\":\"msg_p\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"Searching.\"}],\"stop_reason\":\"pause_turn\",\"usage\":{\"input_tokens\":1,"
                + "\"output_tokens\":2}}";
        server.enqueue(Reply.raw(200, "application/json", body)).enqueue(Reply.chat("Done."));
        try (AnthropicProvider p = provider()) {
            ChatResponse paused = p.chat(HELLO);
            assertEquals(FinishReason.OTHER, paused.finishReason());
            assertEquals("pause_turn", paused.rawFinishReason());
            assertTrue(paused.warnings().get(0).contains("pause_turn"), paused.warnings().toString());
            p.chat(HELLO.toBuilder().message(ChatMessage.of(paused)).build());
        }
        server.takeRequest();
        JsonNode next = server.takeRequest().json().path("messages");
        assertEquals("[{\"role\":\"user\",\"content\":\"hello\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"Searching.\"}]}]", next.toString(), "the answer as it came, last");
    }

    @Test
    void aFallbackBlockNamesTheModelThatServedTheTurn() {
        server.enqueue(sse(START, blockStart(0, "{\"type\":\"fallback\",\"from\":{\"model\":\"claude-asked\"},\"to\":"
                        + "{\"model\":\"claude-served\"},\"trigger\":{\"type\":\"refusal\",\"category\":\"cyber\"}}"), blockStop(0),
                blockStart(1, "{\"type\":\"text\",\"text\":\"Hi\"}"), blockStop(1), messageDelta("{\"stop_reason\":\"end_turn\"}"),
                STOP));
        try (AnthropicProvider p = provider()) {
            ChatResponse r = StreamRecording.of(p.stream(HELLO)).assertCompleted();
            assertEquals("claude-served", r.model());
            assertEquals("{\"model\":\"claude-asked\"}", r.providerFields().get("content[0].from"));
            assertEquals("{\"type\":\"refusal\",\"category\":\"cyber\"}", r.providerFields().get("content[0].trigger"));
        }
    }

    @Test
    void blocksFieldsAndEventsOfLaterApiVersionsAreKeptAndNamedNeverDropped() {
        server.enqueue(sse(START, blockStart(0, "{\"type\":\"compaction\",\"content\":\"summary\"}"), blockStop(0),
                "event: agent.thought\ndata: {\"type\":\"agent.thought\",\"n\":1}",
                blockStart(1, "{\"type\":\"text\",\"text\":\"Hi\"}"), blockStop(1),
                messageDelta("{\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"context_management\":{\"applied\":[]}}"), STOP));
        try (AnthropicProvider p = provider()) {
            ChatResponse r = StreamRecording.of(p.stream(HELLO)).assertCompleted();
            assertEquals("Hi", r.content());
            assertEquals(Map.of("content[0]", "{\"type\":\"compaction\",\"content\":\"summary\"}",
                    "context_management", "{\"applied\":[]}", "events.agent.thought", "[{\"type\":\"agent.thought\",\"n\":1}]"),
                    r.providerFields());
            for (String path : r.providerFields().keySet()) {
                assertTrue(RecordedExchangesTest.named(r, path), path + " named in " + r.warnings());
            }
            assertEquals("[{\"type\":\"compaction\",\"content\":\"summary\"},{\"type\":\"text\",\"text\":\"Hi\"}]",
                    r.state().values().get("content"), "an unknown block goes back in its place");
        }
    }

    @Test
    void aLowCreditBalanceIsAQuotaErrorAsAStatusAndInAStream() {
        String message = "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade"
                + " or purchase credits.";
        server.enqueue(Reply.error(400, "invalid_request_error", message).withHeader("x-should-retry", "false"));
        server.enqueue(sse(START, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"" + message + "\"}}"));
        try (AnthropicProvider p = provider()) {
            QuotaExceededException e = assertThrows(QuotaExceededException.class, () -> p.chat(HELLO));
            assertFalse(e.isRetryable());
            assertEquals(Optional.of(false), e.retryDirective());
            assertInstanceOf(QuotaExceededException.class, StreamRecording.of(p.stream(HELLO)).failure());
        }
    }

    @Test
    void anErrorEventsDetailsAreNamedInTheFailure() {
        server.enqueue(sse(START, blockStart(0, "{\"type\":\"text\",\"text\":\"Par\"}"),
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal\","
                        + "\"details\":{\"reason\":\"upstream\"}},\"request_id\":\"req_9\"}"));
        server.enqueue(sse(START, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"details\":[1]}}"));
        try (AnthropicProvider p = provider()) {
            StreamInterruptedException e = StreamRecording.of(p.stream(HELLO)).assertFailed(StreamInterruptedException.class);
            assertEquals("Par", e.partialContent());
            assertTrue(e.getCause().getMessage().contains("Internal (details: {\"reason\":\"upstream\"})"), e.getCause().getMessage());
            assertEquals(Optional.of("req_9"), ((LlmException) e.getCause()).traceId());
            LlmException noMessage = StreamRecording.of(p.stream(HELLO)).failure();
            assertTrue(noMessage.getMessage().contains("(details: [1])"), noMessage.getMessage());
        }
    }

    @Test
    void aTwoHundredBodyThatIsNotAMessageIsMalformedAndNotRetried() {
        server.enqueue(Reply.raw(200, "application/json", "{\"type\":\"completion\",\"completion\":\"Hi\"}"));
        server.enqueue(Reply.raw(200, "application/json", "{\"id\":\"msg_1\",\"model\":\"m\"}"));
        try (AnthropicProvider p = provider()) {
            MalformedResponseException other = assertThrows(MalformedResponseException.class, () -> p.chat(HELLO));
            assertFalse(other.isRetryable());
            assertTrue(other.getMessage().contains("not a message but an object of type 'completion'"), other.getMessage());
            MalformedResponseException noContent = assertThrows(MalformedResponseException.class, () -> p.chat(HELLO));
            assertTrue(noContent.getMessage().contains("without a content array"), noContent.getMessage());
        }
    }

    @Test
    void aTranscriptFromAnotherProviderIsSentWithIdsTheApiAcceptsAndWithoutEmptyTurns() {
        server.enqueue(Reply.chat("Warm."));
        ToolCall kimi = new ToolCall("functions.get_weather:0", "get_weather", "{\"city\":\"Rome\"}", ToolCall.Status.COMPLETE);
        ChatRequest history = ChatRequest.builder().user("Hi").assistant("").user("Weather in Rome?").tools(WEATHER)
                .message(new AssistantMessage("", "", List.of(kimi), new ProviderState("kimi", Map.of("reasoning", "r"))))
                .message(ChatMessage.toolResult(kimi, "18C")).build();
        try (AnthropicProvider p = provider()) {
            ChatResponse r = p.chat(history);
            assertTrue(r.warnings().get(0).startsWith("the empty assistant message at position 2 was left out"), r.warnings().toString());
        }
        JsonNode messages = server.takeRequest().json().path("messages");
        assertEquals(3, messages.size(), "the user turns around the empty one join: " + messages);
        String id = messages.get(1).path("content").get(0).path("id").asString();
        assertTrue(id.matches("[a-zA-Z0-9_-]+"), id);
        assertEquals(id, messages.get(2).path("content").get(0).path("tool_use_id").asString(), "call and result stay paired");
        assertEquals("functions.get_weather:0", kimi.id(), "the caller's ids are untouched");
    }
}
