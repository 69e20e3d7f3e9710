package dev.alfred.llm.anthropic;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.Citation;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.ResponseLimits;
import dev.alfred.llm.ServerToolUse;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.Usage;
import dev.alfred.llm.anthropic.internal.wire.AnswerFolder;
import dev.alfred.llm.anthropic.internal.wire.AnswerSink;
import dev.alfred.llm.anthropic.internal.wire.EventDecoder;
import dev.alfred.llm.http.sse.SseParser;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.StreamRecording;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Anthropic exchange of the recorded corpus (llm-testkit's {@code recordings/index.json}) folds
 * to what the index expects: bodies through the provider's decoding, streams event by event (framed by
 * llm-http's {@link SseParser}) through the stream's folding, and both again over real HTTP, served
 * byte for byte by the fake server. Text, reasoning, tool calls, usage as recorded, the finish reason,
 * citations with their spans, the server's tools with their results, refusals and errors typed; and
 * nothing dropped: every notable field of the recording is either typed or kept in
 * {@link ChatResponse#providerFields()} with a warning (or null wherever it appears). Synthetic
 * recordings (kept for shape by the corpus) are folded too.
 */
class RecordedExchangesTest {

    private static final String ROOT = "dev/alfred/llm/testkit/recordings/";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode INDEX = read("index.json");

    private final FakeServer server = FakeServer.start(WireDialect.anthropic());

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode read(String file) {
        return JSON.readTree(new String(bytes(file), StandardCharsets.UTF_8));
    }

    private static byte[] bytes(String file) {
        try (InputStream in = RecordedExchangesTest.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            assertNotNull(in, file);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<String> anthropic(String kind) {
        List<String> files = new ArrayList<>();
        for (JsonNode r : INDEX.path("recordings")) {
            if (r.path("server").asString().equals("anthropic") && r.path("kind").asString().equals(kind)
                    && r.path("endpoint").isMissingNode()) { // chat exchanges; the others are replayed below
                files.add(r.path("file").asString());
            }
        }
        return files.stream();
    }

    static Stream<String> bodies() {
        return anthropic("body");
    }

    static Stream<String> streams() {
        return anthropic("stream");
    }

    static Stream<String> errors() {
        return anthropic("error");
    }

    private static JsonNode entry(String file) {
        for (JsonNode r : INDEX.path("recordings")) {
            if (r.path("file").asString().equals(file)) {
                return r;
            }
        }
        throw new AssertionError("no index entry for " + file);
    }

    @Test
    void theCorpusHoldsTheAnthropicExchangesThisTestReplays() {
        assertEquals(31, bodies().count() + streams().count() + errors().count());
        assertEquals(27, Stream.of(bodies(), streams(), errors()).flatMap(s -> s)
                .filter(f -> !entry(f).path("synthetic").asBoolean()).count(), "not synthetic");
    }

    /** The corpus's count_tokens and models exchanges, through the token counter and the catalogue. */
    @Test
    void theRecordedCountAndModelListAreReadAsTheIndexExpects() {
        List<JsonNode> others = new ArrayList<>();
        INDEX.path("recordings").forEach(r -> {
            if (r.path("server").asString().equals("anthropic") && !r.path("endpoint").isMissingNode()) {
                others.add(r);
            }
        });
        assertEquals(2, others.size(), "count_tokens and models: " + others);
        for (JsonNode r : others) {
            server.enqueue(Reply.raw(200, "application/json", new String(bytes(r.path("file").asString()),
                    StandardCharsets.UTF_8)));
            try (AnthropicProvider p = provider()) {
                if (r.path("endpoint").asString().equals("count_tokens")) {
                    assertEquals(r.path("expect").path("input_tokens").asLong(),
                            p.tokenCounter().count(ChatRequest.builder().user("x").build()).tokens());
                } else {
                    assertEquals("models", r.path("endpoint").asString());
                    assertTrue(r.path("expect").path("has_more").asBoolean());
                    server.enqueue(Reply.raw(200, "application/json", "{\"data\":[],\"has_more\":false}"));
                    List<dev.alfred.llm.ModelInfo> models = p.models();
                    List<String> expected = new ArrayList<>();
                    r.path("expect").path("ids").forEach(id -> expected.add(id.asString()));
                    assertEquals(expected, models.stream().map(dev.alfred.llm.ModelInfo::id).toList());
                    assertEquals(r.path("expect").path("max_input_tokens").asInt(), models.get(0).contextWindow());
                    List<RecordedRequest> pages = server.takeRequests();
                    assertEquals("/v1/models?limit=1000&after_id=" + expected.get(1), pages.get(pages.size() - 1).path());
                }
            }
        }
    }

    /** A body through the provider's own decoding, then over HTTP: the same answer, as the index expects. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void aRecordedBodyFoldsToWhatTheIndexExpects(String file) {
        ResponseAccumulator answer = new ResponseAccumulator(AnthropicProvider.ID, ResponseLimits.DEFAULT);
        byte[] body = bytes(file);
        new AnswerFolder(AnswerSink.of(answer), AnthropicProvider.ID).message(new EventDecoder().decodeMessage(body, body.length));
        ChatResponse folded = answer.response();
        check(entry(file), folded, List.of(read(file)));
        server.enqueue(Reply.raw(200, "application/json", new String(body, StandardCharsets.UTF_8)));
        try (AnthropicProvider p = provider()) {
            assertEquals(folded, p.chat(ChatRequest.builder().user("x").build()), "over HTTP");
        }
    }

    /** A stream event by event through the stream's folding, then over HTTP: the same answer. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void aRecordedStreamFoldsToWhatTheIndexExpects(String file) {
        JsonNode entry = entry(file);
        byte[] body = bytes(file);
        ResponseAccumulator answer = new ResponseAccumulator(AnthropicProvider.ID, ResponseLimits.DEFAULT);
        AnswerFolder folder = new AnswerFolder(AnswerSink.of(answer), AnthropicProvider.ID);
        EventDecoder.Streaming decoder = EventDecoder.streaming();
        List<JsonNode> events = new ArrayList<>();
        List<AnswerFolder.Step> steps = new ArrayList<>();
        SseParser sse = new SseParser();
        sse.feed(body, 0, body.length, (type, data, length, lastId) -> {
            events.add(JSON.readTree(new String(data, 0, length, StandardCharsets.UTF_8)));
            steps.add(folder.event(type, decoder.decode(data, length), data, length));
        });
        sse.finish();
        server.enqueue(Reply.raw(200, "text/event-stream", new String(body, StandardCharsets.UTF_8)));
        StreamRecording overHttp;
        try (AnthropicProvider p = provider()) {
            overHttp = StreamRecording.of(p.stream(ChatRequest.builder().user("x").build()));
        }
        JsonNode expect = entry.path("expect");
        if (expect.has("stream_errors") && !expect.path("stream_errors").isEmpty()) {
            assertEquals(AnswerFolder.Step.FAILED, steps.get(steps.size() - 1));
            JsonNode error = expect.path("stream_errors").get(0);
            LlmException e = overHttp.failure();
            assertEquals("overloaded_error", error.path("type").asString());
            assertInstanceOf(RateLimitException.class, e, "overloaded_error in a stream is a retryable rate limit");
            assertTrue(e.isRetryable());
            assertTrue(e.getMessage().contains(error.path("message").asString()), e.getMessage());
            assertTrue(error.path("details").isNull(), "details are null in the recording: nothing to keep");
            return;
        }
        assertEquals(AnswerFolder.Step.ENDED, steps.get(steps.size() - 1), "ends at message_stop");
        assertEquals(expect.path("events").asInt(), events.size(), "every event read");
        ChatResponse folded = answer.response();
        check(entry, folded, events);
        assertEquals(folded, overHttp.assertCompleted(), "over HTTP");
    }

    /** An error body over HTTP, with its recorded status and headers: typed as the server meant it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void aRecordedErrorIsTypedAsTheServerMeantIt(String file) {
        JsonNode entry = entry(file);
        JsonNode expect = entry.path("expect");
        int status = expect.path("status").asInt();
        Reply reply = Reply.raw(status, "application/json", new String(bytes(file), StandardCharsets.UTF_8));
        for (Map.Entry<String, JsonNode> h : entry.path("headers").properties()) {
            if (h.getKey().equals("request-id") || h.getKey().equals("x-should-retry")) {
                reply = reply.withHeader(h.getKey(), h.getValue().asString());
            }
        }
        String message = expect.path("error_message").asString();
        Class<? extends LlmException> type = message.contains("credit balance is too low") ? QuotaExceededException.class
                : status == 529 ? RateLimitException.class : InvalidRequestException.class;
        for (boolean stream : new boolean[] {false, true}) {
            server.enqueue(reply);
            try (AnthropicProvider p = provider()) {
                ChatRequest ask = ChatRequest.builder().user("x").build();
                LlmException e = stream ? StreamRecording.of(p.stream(ask)).failure()
                        : org.junit.jupiter.api.Assertions.assertThrows(LlmException.class, () -> p.chat(ask));
                assertInstanceOf(type, e, file);
                assertEquals(type == RateLimitException.class, e.isRetryable(), "retryable");
                assertEquals(Optional.of(expect.path("error_type").asString()), e.errorType());
                assertTrue(e.getMessage().contains(message), e.getMessage());
                String requestId = expect.has("header_request-id") ? expect.path("header_request-id").asString()
                        : expect.path("request_id").asString(null);
                assertEquals(Optional.ofNullable(requestId), e.traceId());
                if (expect.has("header_x-should-retry")) {
                    assertEquals(Optional.of(Boolean.parseBoolean(expect.path("header_x-should-retry").asString())),
                            e.retryDirective());
                }
            }
        }
    }

    private AnthropicProvider provider() {
        return AnthropicProvider.builder().apiKey("sk-ant-corpus-0123456789abcdef").baseUrl(server.baseUri()).build();
    }

    /** The folded answer against the index's expectations and the recording's own values. */
    private static void check(JsonNode entry, ChatResponse r, List<JsonNode> recorded) {
        JsonNode expect = entry.path("expect");
        String file = entry.path("file").asString();
        assertEquals(expect.path("id").asString(), r.id(), "id");
        assertEquals(expect.path("model").asString(), r.model(), "model");
        assertEquals(expect.path("text").asString(""), r.content(), "text");
        String stopReason = expect.path("stop_reason").asString();
        assertEquals(stopReason, r.rawFinishReason(), "stop reason as recorded");
        assertEquals(Map.of("end_turn", FinishReason.STOP, "tool_use", FinishReason.TOOL_CALLS, "refusal",
                FinishReason.REFUSAL, "pause_turn", FinishReason.OTHER).get(stopReason), r.finishReason(), "finish reason");
        usage(expect.path("usage"), r);
        toolCalls(expect.path("tool_calls"), r);
        blocks(expect.path("blocks"), r);
        assertEquals(expect.path("citations").asInt(), r.citations().size(), "citations");
        if (expect.has("container")) {
            assertJson(expect.path("container"), r.providerFields().get("container"), "container");
        }
        if (stopReason.equals("refusal")) {
            assertTrue(r.isRefusal());
            JsonNode details = expect.path("stop_details");
            String explanation = details.path("explanation").asString(null);
            assertEquals(explanation != null ? explanation : "declined to answer (stop_reason refusal)", r.refusal());
            if (expect.has("stop_details")) {
                assertJson(details, r.providerFields().get("stop_details"), "stop_details");
            }
        } else {
            assertFalse(r.isRefusal());
        }
        if (stopReason.equals("pause_turn")) {
            assertFalse(r.state().isEmpty(), "a paused turn is kept to be sent back");
        }
        for (String path : r.providerFields().keySet()) {
            assertTrue(named(r, path), path + " named in a warning: " + r.warnings());
        }
        for (JsonNode notable : entry.path("notable_fields")) {
            notable(file, notable.asString(), r, recorded);
        }
    }

    /** Whether a warning names a kept field's path (in a list of them, or alone). */
    static boolean named(ChatResponse r, String path) {
        return r.warnings().stream().anyMatch(w -> w.contains(" " + path + ",") || w.endsWith(" " + path));
    }

    private static void usage(JsonNode u, ChatResponse r) {
        long input = u.path("input_tokens").asLong();
        long write = u.path("cache_creation_input_tokens").asLong();
        long read = u.path("cache_read_input_tokens").asLong();
        long output = u.path("output_tokens").asLong();
        assertEquals(new Usage(input + write + read, output, input + write + read + output, read, write, 0), r.usage(),
                "usage as reported: the prompt counts the cache too");
        for (Map.Entry<String, JsonNode> f : u.properties()) {
            if (!List.of("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
                    .contains(f.getKey())) {
                assertJson(f.getValue(), r.providerFields().get("usage." + f.getKey()), "usage." + f.getKey());
            }
        }
    }

    private static void toolCalls(JsonNode expected, ChatResponse r) {
        assertEquals(expected.size(), r.toolCalls().size(), "tool calls");
        for (int i = 0; i < expected.size(); i++) {
            ToolCall c = r.toolCalls().get(i);
            assertEquals(expected.get(i).path("id").asString(), c.id());
            assertEquals(expected.get(i).path("name").asString(), c.name());
            assertJson(expected.get(i).path("input"), c.arguments(), "arguments");
            assertEquals(ToolCall.Status.COMPLETE, c.status());
        }
    }

    /** Reasoning, the server's tools in order with their results, and each citation's span. */
    private static void blocks(JsonNode blocks, ChatResponse r) {
        StringBuilder reasoning = new StringBuilder();
        List<String> uses = new ArrayList<>();
        List<String> cited = new ArrayList<>();
        boolean signed = false;
        boolean redacted = false;
        for (JsonNode b : blocks) {
            String type = b.path("type").asString();
            if (type.equals("thinking")) {
                JsonNode t = b.path("thinking");
                reasoning.append(t.isString() ? t.asString() : "");
                signed |= b.path("signature_present").asBoolean();
                if (!t.isString()) {
                    assertTrue(r.reasoning().contains(t.path("starts_with").asString()));
                    assertTrue(r.reasoning().contains(t.path("ends_with").asString()));
                }
            } else if (type.equals("redacted_thinking")) {
                redacted = true;
            } else if (type.endsWith("_tool_use")) {
                uses.add(b.path("id").asString());
                ServerToolUse use = serverTool(r, b.path("id").asString());
                assertEquals(b.path("name").asString(), use.name());
                assertJson(b.path("input"), use.input(), "server tool input");
            } else if (type.endsWith("_tool_result")) {
                ServerToolUse use = serverTool(r, b.path("tool_use_id").asString());
                assertEquals(type, use.resultType(), "the result arrived");
                JsonNode result = JSON.readTree(use.result());
                if (b.has("content_type")) {
                    assertEquals(b.path("content_type").asString(), result.path("type").asString());
                }
                if (b.has("error_code")) {
                    assertEquals(b.path("error_code").asString(), result.path("error_code").asString(),
                            "an error in a 200 reaches the caller");
                }
                if (b.has("return_code")) {
                    assertEquals(b.path("return_code").asInt(), result.path("return_code").asInt());
                }
                if (b.has("content_items")) {
                    assertEquals(b.path("content_items").asInt(), result.size());
                }
            } else if (type.equals("text") && b.path("citations").asInt() > 0) {
                for (int i = 0; i < b.path("citations").asInt(); i++) {
                    cited.add(b.path("text").asString());
                }
            }
        }
        if (blocks.size() > 0 && reasoning.length() > 0) {
            assertEquals(reasoning.toString(), r.reasoning(), "reasoning");
        }
        assertEquals(uses, r.serverTools().stream().map(ServerToolUse::id).toList(), "server tools, in order");
        List<String> spans = new ArrayList<>();
        for (Citation c : r.citations()) {
            spans.add(r.content().substring(c.start(), c.end()));
            assertNotNull(c.json());
        }
        assertEquals(cited, spans, "each citation spans its cited text block in the folded content");
        String state = r.state().values().getOrDefault("content", "");
        if (signed) {
            assertTrue(state.contains("\"signature\""), "the thinking is kept signed, to be sent back");
        }
        if (redacted) {
            assertTrue(state.contains("\"redacted_thinking\""));
        }
        if (!uses.isEmpty()) {
            assertTrue(state.contains("\"server_tool_use\"") || state.contains("\"mcp_tool_use\""), "server tools kept to replay");
        }
    }

    private static ServerToolUse serverTool(ChatResponse r, String id) {
        return r.serverTools().stream().filter(u -> u.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no server tool " + id + " in " + r.serverTools()));
    }

    /**
     * A notable field is typed, or kept in providerFields, or null wherever the recording has it: never
     * dropped.
     */
    private static void notable(String file, String path, ChatResponse r, List<JsonNode> recorded) {
        String p = messagePath(path);
        if (p == null || allNull(path, recorded)) {
            return;
        }
        String field = p.startsWith("content[].") ? p.substring("content[].".length()) : null;
        if (field != null) {
            String top = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
            String head = top.replace("[]", "");
            switch (head) {
                case "thinking":
                case "signature":
                    assertFalse(r.reasoning().isEmpty(), file + ": " + path);
                    return;
                case "data":
                    assertTrue(r.state().values().get("content").contains("redacted_thinking"), file + ": " + path);
                    return;
                case "citations":
                case "citation":
                    assertFalse(r.citations().isEmpty(), file + ": " + path);
                    return;
                case "content":
                case "tool_use_id":
                    assertTrue(r.serverTools().stream().anyMatch(ServerToolUse::hasResult), file + ": " + path);
                    return;
                case "to":
                    return; // the served model, checked as the model
                default:
                    assertTrue(r.providerFields().keySet().stream().anyMatch(k -> k.matches("content\\[\\d+]\\." + head)),
                            file + ": " + path + " kept as content[i]." + head + " in " + r.providerFields().keySet());
                    return;
            }
        }
        String top = p.contains(".") ? p.substring(0, p.indexOf('.')) : p;
        if (top.equals("usage")) {
            String rest = p.substring("usage.".length());
            String key = (rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest).replace("[]", "");
            if (key.equals("cache_creation_input_tokens") || key.equals("cache_read_input_tokens")) {
                assertNotNull(r.usage(), file + ": " + path);
                return;
            }
            assertTrue(r.providerFields().containsKey("usage." + key), file + ": " + path + " in " + r.providerFields().keySet());
            return;
        }
        if (top.equals("request_id")) {
            return; // an error's request id, checked as the exception's trace id
        }
        assertTrue(r.providerFields().containsKey(top), file + ": " + path + " in " + r.providerFields().keySet());
    }

    /** A recording's path (a stream event's or a body's) as the path in the message it folds into. */
    private static String messagePath(String path) {
        if (path.startsWith("message.")) {
            return path.substring("message.".length());
        }
        if (path.startsWith("content_block.")) {
            return "content[]." + path.substring("content_block.".length());
        }
        if (path.startsWith("delta.")) {
            String rest = path.substring("delta.".length());
            return rest.startsWith("thinking") || rest.startsWith("signature") || rest.startsWith("citation")
                    ? "content[]." + rest : rest;
        }
        if (path.startsWith("error.")) {
            return null; // stream errors are checked as the failure
        }
        return path;
    }

    private static boolean allNull(String path, List<JsonNode> recorded) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode n : recorded) {
            collect(n, List.of(path.split("\\.")), 0, found);
        }
        return !found.isEmpty() && found.stream().allMatch(JsonNode::isNull);
    }

    private static void collect(JsonNode node, List<String> path, int at, List<JsonNode> found) {
        if (at == path.size()) {
            found.add(node);
            return;
        }
        String step = path.get(at);
        boolean each = step.endsWith("[]");
        JsonNode child = node.get(each ? step.substring(0, step.length() - 2) : step);
        if (child == null) {
            return;
        }
        if (each) {
            for (JsonNode c : child) {
                collect(c, path, at + 1, found);
            }
        } else {
            collect(child, path, at + 1, found);
        }
    }

    private static void assertJson(JsonNode expected, String actual, String what) {
        assertNotNull(actual, what + " is missing");
        assertEquals(expected, JSON.readTree(actual), what);
    }
}
