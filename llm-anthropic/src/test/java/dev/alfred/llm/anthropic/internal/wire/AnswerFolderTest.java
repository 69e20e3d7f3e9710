package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.Usage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One answer folded from its events, or from a whole body, the same way. */
class AnswerFolderTest {

    private final Recorder sink = new Recorder();
    private final AnswerFolder folder = new AnswerFolder(sink, "anthropic");
    private final EventDecoder.Streaming decoder = EventDecoder.streaming();

    private AnswerFolder.Step on(String json) {
        return on(null, json);
    }

    private AnswerFolder.Step on(String name, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(b, b.length + 3);
        return folder.event(name, decoder.decode(padded, b.length), padded, b.length);
    }

    @Test
    void aStreamFoldsItsMessageBlocksUsageAndFieldsAndEndsAtMessageStop() {
        assertEquals(AnswerFolder.Step.GOING, on("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\","
                + "\"content\":[],\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":5,\"output_tokens\":1,"
                + "\"service_tier\":\"standard\"}}}"));
        assertEquals(AnswerFolder.Step.GOING, on("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
                + "\"text\":\"\"},\"odd\":1}"));
        assertEquals(AnswerFolder.Step.GOING, on("ping", "{\"type\": \"ping\"}"));
        assertEquals(AnswerFolder.Step.GOING, on("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
                + "\"text_delta\",\"text\":\"Hi\",\"extra\":2}}"));
        assertEquals(AnswerFolder.Step.GOING, on("{\"type\":\"content_block_stop\",\"index\":0,\"late\":3}"));
        on("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\","
                + "\"input\":{}}}");
        on("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}");
        on("{\"type\":\"content_block_stop\",\"index\":1}");
        assertEquals(AnswerFolder.Step.GOING, on("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                + "\"stop_sequence\":null,\"container\":{\"id\":\"c\"}},\"usage\":{\"output_tokens\":9,\"server_tool_use\":"
                + "{\"web_search_requests\":0}}}"));
        assertEquals(AnswerFolder.Step.ENDED, on("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"n\":1}}"));
        assertEquals(List.of("msg_1"), sink.ids);
        assertEquals(List.of("claude-x"), sink.models);
        assertEquals(List.of(new Usage(25, 1, 26, 5, 0, 0), new Usage(25, 9, 34, 5, 0, 0)), sink.usages,
                "message_delta's counts replace message_start's, field by field");
        assertEquals(List.of(FinishReason.TOOL_CALLS), sink.reasons);
        assertEquals(List.of("tool_use"), sink.rawReasons);
        assertEquals(List.of(ChatDelta.text("Hi"), new ChatDelta.ToolCallStart(0, "toolu_1", "f"),
                new ChatDelta.ToolCallArguments(0, "{}"),
                new ChatDelta.ToolCallEnd(0, new ToolCall("toolu_1", "f", "{}", ToolCall.Status.COMPLETE))), sink.parts);
        assertEquals(Map.of("usage.service_tier", "\"standard\"", "content[0].odd", "1", "content[0].extra", "2",
                "content[0].late", "3", "container", "{\"id\":\"c\"}", "usage.server_tool_use", "{\"web_search_requests\":0}",
                "amazon-bedrock-invocationMetrics", "{\"n\":1}"), sink.fields);
        assertEquals(ProviderState.NONE, sink.state);
        assertEquals(List.of(), sink.warnings);
    }

    @Test
    void usageFieldsAreKeptAsLastReportedOnceWhenTheAnswerEnds() {
        on("{\"type\":\"message_start\",\"message\":{\"usage\":{\"output_tokens\":1,\"cache_creation\":{\"a\":1},"
                + "\"service_tier\":\"standard\"}}}");
        on("{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":2,\"cache_creation\":{\"a\":2}}}");
        assertEquals(List.of(), sink.fieldPaths, "not before the end");
        on("{\"type\":\"message_stop\"}");
        assertEquals(List.of("usage.cache_creation", "usage.service_tier"), sink.fieldPaths);
        assertEquals(Map.of("usage.cache_creation", "{\"a\":2}", "usage.service_tier", "\"standard\""), sink.fields);
    }

    @Test
    void theEventNameStandsInForAMissingTypeAndAnErrorFailsTheAnswer() {
        on("message_start", "{\"message\":{\"id\":\"m\"}}");
        assertEquals(List.of("m"), sink.ids);
        assertEquals(AnswerFolder.Step.FAILED, on("error", "{\"error\":{\"type\":\"overloaded_error\"}}"));
        assertEquals(AnswerFolder.Step.FAILED, on("x", "{\"type\":\"error\"}"));
        assertEquals(AnswerFolder.Step.GOING, on("message_delta", "{\"delta\":{}}"));
        assertEquals(List.of(), sink.reasons, "no stop reason, nothing recorded");
        assertEquals(List.of(), sink.usages, "no usage, nothing recorded");
    }

    @Test
    void eventsOfLaterApiVersionsAreKeptByTypeInOrder() {
        on("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"x\"}}");
        assertEquals(AnswerFolder.Step.GOING, on("{\"type\":\"future\",\"n\":1}"));
        on("future", "{\"n\":2}");
        on("{\"type\":\"other\",\"a\":[]}");
        on("{\"type\":\"content_block_stop\",\"index\":0}");
        assertEquals(Map.of(), sink.fields, "kept when the answer ends");
        on("{\"type\":\"message_stop\"}");
        assertEquals(Map.of("events.future", "[{\"type\":\"future\",\"n\":1},{\"n\":2}]", "events.other",
                "[{\"type\":\"other\",\"a\":[]}]"), sink.fields);
        assertEquals(List.of(), sink.warnings);
    }

    @Test
    void unknownEventsPastTheBoundAreCountedInAWarning() {
        String half = "{\"type\":\"future\",\"v\":\"" + "x".repeat(AnswerFolder.MAX_UNKNOWN_CHARS / 2 - 24) + "\"}";
        on(half);
        on(half);
        String more = "{\"type\":\"future\",\"v\":\"" + "y".repeat(40) + "\"}";
        on(more);
        on("{\"type\":\"message_stop\"}");
        assertEquals("[" + half + "," + half + "]", sink.fields.get("events.future"), "what fits, kept");
        assertEquals(List.of("1 events of types this version does not know were dropped past 1048576 characters of them"),
                sink.warnings);
        Recorder exact = new Recorder();
        AnswerFolder f = new AnswerFolder(exact, "anthropic");
        EventDecoder.Streaming d = EventDecoder.streaming();
        String all = "{\"type\":\"future\",\"v\":\"" + "z".repeat(AnswerFolder.MAX_UNKNOWN_CHARS - 24) + "\"}";
        byte[] b = all.getBytes(StandardCharsets.UTF_8);
        assertEquals(AnswerFolder.MAX_UNKNOWN_CHARS, b.length);
        f.event(null, d.decode(b, b.length), b, b.length);
        byte[] stop = "{\"type\":\"message_stop\"}".getBytes(StandardCharsets.UTF_8);
        f.event(null, d.decode(stop, stop.length), stop, stop.length);
        assertEquals("[" + all + "]", exact.fields.get("events.future"), "exactly the bound, kept");
        assertEquals(List.of(), exact.warnings);
    }

    @Test
    void aRefusalIsAFinishReasonAndAPartWithTheExplanationOrTheCategoryAndTheTextBeforeItStays() {
        on("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"Sure, \"}}");
        on("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\",\"stop_details\":{\"type\":\"refusal\","
                + "\"category\":\"cyber\",\"explanation\":\"Blocked.\"}}}");
        on("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\"}}");
        on("{\"type\":\"message_stop\"}");
        assertEquals(List.of(ChatDelta.text("Sure, "), new ChatDelta.Refusal("Blocked.")), sink.parts, "one refusal part");
        assertEquals(List.of(FinishReason.REFUSAL, FinishReason.REFUSAL), sink.reasons);
        assertEquals("{\"type\":\"refusal\",\"category\":\"cyber\",\"explanation\":\"Blocked.\"}", sink.fields.get("stop_details"));
        assertEquals("declined to answer (stop_reason refusal, category bio)",
                AnswerFolder.refusal("{\"category\":\"bio\",\"explanation\":\" \"}"));
        assertEquals("declined to answer (stop_reason refusal)", AnswerFolder.refusal(null));
        assertEquals("declined to answer (stop_reason refusal)", AnswerFolder.refusal("{\"explanation\":null}"));
    }

    @Test
    void aPausedTurnIsKeptWholeToBeSentBackAndSaysSo() {
        on("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"Searching\"}}");
        on("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"pause_turn\"}}");
        on("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"pause_turn\"}}");
        on("{\"type\":\"message_stop\"}");
        assertEquals(List.of(FinishReason.OTHER, FinishReason.OTHER), sink.reasons);
        assertEquals(1, sink.warnings.size(), sink.warnings.toString());
        assertTrue(sink.warnings.get(0).startsWith("the server paused a long-running turn (stop_reason pause_turn)"));
        assertEquals("[{\"type\":\"text\",\"text\":\"Searching\"}]", sink.content());
    }

    @Test
    void aWholeBodyFoldsAsItsStreamWould() {
        byte[] body = ("{\"id\":\"msg_9\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-y\",\"content\":["
                + "{\"type\":\"text\",\"text\":\"No.\"}],\"stop_reason\":\"refusal\",\"stop_details\":{\"category\":\"bio\"},"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"inference_geo\":\"us\"}}")
                .getBytes(StandardCharsets.UTF_8);
        ResponseAccumulator answer = new ResponseAccumulator();
        new AnswerFolder(AnswerSink.of(answer), "anthropic").message(new EventDecoder().decodeMessage(body, body.length));
        ChatResponse r = answer.response();
        assertEquals("No.", r.content());
        assertEquals("declined to answer (stop_reason refusal, category bio)", r.refusal());
        assertEquals(FinishReason.REFUSAL, r.finishReason());
        assertEquals("refusal", r.rawFinishReason());
        assertEquals("msg_9", r.id());
        assertEquals("claude-y", r.model());
        assertEquals(new Usage(3, 4, 7, 0, 0, 0), r.usage());
        assertEquals(Map.of("stop_details", "{\"category\":\"bio\"}", "usage.inference_geo", "\"us\""), r.providerFields());
        for (String path : List.of("stop_details", "usage.inference_geo")) {
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains(" " + path + ",") || w.endsWith(" " + path)),
                    path + " named in " + r.warnings());
        }
        assertEquals(ProviderState.NONE, r.state());
        assertTrue(r.serverTools().isEmpty());
        assertTrue(r.citations().isEmpty());
    }

    @Test
    void theSinkOfAnAccumulatorPassesEverythingOn() {
        ResponseAccumulator answer = new ResponseAccumulator("anthropic", dev.alfred.llm.ResponseLimits.DEFAULT);
        AnswerSink s = AnswerSink.of(answer);
        s.part(ChatDelta.text("T"));
        s.warn("w");
        s.citation(new dev.alfred.llm.Citation(0, 1, "t", null, null, null, "{}"));
        s.serverTool(new dev.alfred.llm.ServerToolUse("s", "web_search", "{}", null, null));
        assertEquals("web_search", s.serverTool("s").name());
        assertNull(s.serverTool("none"));
        s.providerField("container", "{}");
        s.id("i");
        s.model("m");
        s.usage(Usage.of(1, 2, 3));
        s.finishReason(FinishReason.STOP, "end_turn");
        s.state(new ProviderState("anthropic", Map.of("content", "[]")));
        ChatResponse r = answer.response();
        assertEquals(List.of("T", "w", "i", "m", "end_turn"), List.of(r.content(), r.warnings().get(0), r.id(), r.model(),
                r.rawFinishReason()));
        assertEquals(1, r.citations().size());
        assertEquals(1, r.serverTools().size());
        assertEquals(Map.of("container", "{}"), r.providerFields());
        assertEquals(Usage.of(1, 2, 3), r.usage());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertFalse(r.state().isEmpty());
    }
}
