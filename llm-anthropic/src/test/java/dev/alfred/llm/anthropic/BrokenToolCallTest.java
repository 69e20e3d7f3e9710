package dev.alfred.llm.anthropic;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.StreamRecording;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 27: a tool call whose arguments are not a JSON object never comes back {@code COMPLETE} with
 * {@code {}}. Each shape a hostile or compatible server sends, through chat and stream alike, over
 * real HTTP: an input that is a string (cut or whole) or another non-object, a {@code partial_json}
 * that is not a string, a block that stops with its JSON cut, and an input given whole at the start.
 */
class BrokenToolCallTest {

    private static final String KEY = "sk-ant-test-0123456789abcdefghij";
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "The weather.",
            JsonSchema.of("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));
    private static final ChatRequest ASK = ChatRequest.builder().user("Weather in Paris?").tools(WEATHER).build();
    private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,"
            + "\"usage\":{\"input_tokens\":20,\"output_tokens\":1}}}";
    private static final String END = "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            + "\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":9}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}";

    private final FakeServer server = FakeServer.start(WireDialect.anthropic());

    @AfterEach
    void stop() {
        server.close();
    }

    private AnthropicProvider provider() {
        return AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build();
    }

    private static Reply body(String input) {
        return Reply.raw(200, "application/json", "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-x\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
                + "\"input\":" + input + "}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
                + "\"usage\":{\"input_tokens\":20,\"output_tokens\":9}}");
    }

    /** A stream of one tool_use block: its start's input, then its partial_json values (raw JSON each). */
    private static Reply stream(String startInput, String... partialJson) {
        StringBuilder b = new StringBuilder(START).append("\n\n");
        b.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":").append(startInput)
                .append("}}\n\n");
        for (String p : partialJson) {
            b.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":").append(p).append("}}\n\n");
        }
        b.append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n").append(END)
                .append("\n\n");
        return Reply.raw(200, "text/event-stream", b.toString());
    }

    private ChatResponse chat(Reply reply) {
        server.enqueue(reply);
        try (AnthropicProvider p = provider()) {
            return p.chat(ASK);
        }
    }

    private StreamRecording stream(Reply reply) {
        server.enqueue(reply);
        try (AnthropicProvider p = provider()) {
            return StreamRecording.of(p.stream(ASK));
        }
    }

    private static ToolCall call(String arguments, ToolCall.Status status) {
        return new ToolCall("toolu_1", "get_weather", arguments, status);
    }

    @ParameterizedTest(name = "input {0}")
    @ValueSource(strings = {"\"{\\\"city\\\":\\\"Par\"", "\"{\\\"city\\\":\\\"Paris\\\"}\"", "5", "[1]", "null", "true"})
    void anInputThatIsNotAnObjectIsInvalidJsonInABodyAndAtAStreamsStart(String input) {
        ToolCall expected = call(input, ToolCall.Status.INVALID_JSON);
        ChatResponse chat = chat(body(input));
        assertEquals(List.of(expected), chat.toolCalls(), "chat");
        assertTrue(chat.warnings().stream().anyMatch(w -> w.contains("not a JSON object")), chat.warnings().toString());
        StreamRecording rec = stream(stream(input));
        assertEquals(List.of(expected), rec.assertCompleted().toolCalls(), "stream");
        assertTrue(rec.deltas().contains(new ChatDelta.ToolCallEnd(0, expected)), rec.deltas().toString());
    }

    @ParameterizedTest(name = "partial_json {0}")
    @ValueSource(strings = {"5", "{\"city\":\"Paris\"}", "[\"{}\"]", "true"})
    void aPartialJsonThatIsNotAStringMakesTheCallInvalidJsonNeverAnEmptyObject(String partial) {
        ChatResponse r = stream(stream("{}", "\"\"", partial)).assertCompleted();
        assertEquals(List.of(call(partial, ToolCall.Status.INVALID_JSON)), r.toolCalls());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("partial_json is not a string")), r.warnings().toString());
    }

    @Test
    void aFragmentThatIsNotAStringAmongStringsStillMakesTheCallInvalid() {
        ChatResponse r = stream(stream("{}", "\"{\\\"city\\\":\"", "{\"x\":1}", "\"}\"")).assertCompleted();
        assertEquals(ToolCall.Status.INVALID_JSON, r.toolCalls().get(0).status());
        assertEquals("{\"city\":{\"x\":1}}", r.toolCalls().get(0).arguments(), "kept as it came, even where it parses");
    }

    @ParameterizedTest(name = "arguments {0}")
    @ValueSource(strings = {"{\\\"city\\\":\\\"Par", "{\\\"city\\\":", "{", "{\\\"city\\\":\\\"Paris\\\"", "{\\\"ok\\\":tru"})
    void aBlockThatStopsWithItsJsonCutIsTruncated(String cut) {
        StreamRecording rec = stream(stream("{}", "\"\"", "\"" + cut + "\""));
        ChatResponse r = rec.assertCompleted();
        String arguments = cut.replace("\\\"", "\"");
        assertEquals(List.of(call(arguments, ToolCall.Status.TRUNCATED)), r.toolCalls());
    }

    @ParameterizedTest(name = "arguments {0}")
    @ValueSource(strings = {"{\\\"city\\\": Paris}", "{} {}", "{\\\"a\\\":1}x", "[]", "\\\"Paris\\\""})
    void aBlockThatStopsWithArgumentsThatAreNoObjectIsInvalidJson(String bad) {
        ChatResponse r = stream(stream("{}", "\"" + bad + "\"")).assertCompleted();
        assertEquals(List.of(call(bad.replace("\\\"", "\""), ToolCall.Status.INVALID_JSON)), r.toolCalls());
    }

    @Test
    void anInputGivenWholeAtTheStartIsKeptAndDeltasContinueIt() {
        ToolCall paris = call("{\"city\":\"Paris\"}", ToolCall.Status.COMPLETE);
        assertEquals(List.of(paris), stream(stream("{\"city\":\"Paris\"}")).assertCompleted().toolCalls(), "no deltas");
        assertEquals(List.of(paris), stream(stream("{\"city\":\"Paris\"}", "\"\"")).assertCompleted().toolCalls(),
                "an empty delta adds nothing");
        assertEquals(List.of(paris), chat(body("{\"city\":\"Paris\"}")).toolCalls(), "chat folds alike");
        StreamRecording rec = stream(stream("{\"city\":\"Paris\"}", "\"x\""));
        assertEquals(List.of(call("{\"city\":\"Paris\"}x", ToolCall.Status.INVALID_JSON)), rec.assertCompleted().toolCalls(),
                "a delta continues the input given at the start");
        assertEquals(List.of(new ChatDelta.ToolCallStart(0, "toolu_1", "get_weather"),
                new ChatDelta.ToolCallArguments(0, "{\"city\":\"Paris\"}"), new ChatDelta.ToolCallArguments(0, "x"),
                new ChatDelta.ToolCallEnd(0, call("{\"city\":\"Paris\"}x", ToolCall.Status.INVALID_JSON))), rec.deltas());
    }

    @Test
    void anEmptyObjectStandsOnlyForACallGivenNoArguments() {
        ToolCall none = call("{}", ToolCall.Status.COMPLETE);
        assertEquals(List.of(none), stream(stream("{}")).assertCompleted().toolCalls());
        assertEquals(List.of(none), stream(stream("{}", "\"\"")).assertCompleted().toolCalls());
        assertEquals(List.of(none), stream(stream("{}", "\"\"", "\"{}\"")).assertCompleted().toolCalls());
        assertEquals(List.of(none), chat(body("{}")).toolCalls());
    }
}
