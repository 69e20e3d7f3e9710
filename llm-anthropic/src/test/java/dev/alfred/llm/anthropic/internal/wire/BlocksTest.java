package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Citation;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ServerToolUse;
import dev.alfred.llm.ToolCall;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocks by index: their parts, citations and server tools, the fields kept, the calls judged, and the
 * state to send back.
 */
class BlocksTest {

    private final Recorder sink = new Recorder();
    private final Blocks blocks = new Blocks(sink);
    private final EventDecoder.Streaming decoder = EventDecoder.streaming();

    /** A content_block_start's block, decoded from its JSON. */
    private EventDecoder.Block block(String json) {
        return event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":" + json + "}").block();
    }

    private Event event(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(b, b.length);
    }

    private void start(long index, String json) {
        blocks.start(index, block(json));
    }

    private boolean delta(long index, String type, String valueField, String valueJson) {
        return blocks.delta(index, event("{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":\""
                + type + "\",\"" + valueField + "\":" + valueJson + "}}"));
    }

    private static ChatDelta.ToolCallEnd end(int call, String id, String name, String args, ToolCall.Status status) {
        return new ChatDelta.ToolCallEnd(call, new ToolCall(id, name, args, status));
    }

    @Test
    void textAndThinkingBecomeTheirPartsAndASignatureIsAppendedToItsThinking() {
        start(0, "{\"type\":\"thinking\",\"thinking\":\"a\",\"signature\":\"s1\"}");
        assertFalse(delta(0, "thinking_delta", "thinking", "\"b\""));
        assertFalse(delta(0, "signature_delta", "signature", "\"s2\""));
        blocks.stop(0);
        start(1, "{\"type\":\"text\",\"text\":\"\"}");
        assertFalse(delta(1, "text_delta", "text", "\"T\""));
        assertFalse(delta(1, "text_delta", "text", "\"\""));
        blocks.stop(1);
        assertEquals(List.of(ChatDelta.reasoning("a"), ChatDelta.reasoning("b"), ChatDelta.text("T")), sink.parts);
        assertEquals(new ProviderState("anthropic", Map.of("content", "[{\"type\":\"thinking\",\"thinking\":\"ab\",\"signature\":"
                + "\"s1s2\"},{\"type\":\"text\",\"text\":\"T\"}]")), blocks.state("anthropic", false));
        assertEquals(List.of(), sink.warnings);
        assertEquals(Map.of(), sink.fields);
    }

    @Test
    void aThinkingBlockWithoutSignatureIsSentBackWithAnEmptyOneAndRedactedThinkingWhole() {
        start(0, "{\"type\":\"thinking\",\"thinking\":\"\"}");
        start(1, "{\"type\":\"redacted_thinking\",\"data\":\"D\"}");
        start(2, "{\"type\":\"redacted_thinking\"}");
        assertEquals("[{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"},{\"type\":\"redacted_thinking\",\"data\":\"D\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"\"}]", blocks.state("p", false).values().get("content"));
        assertEquals(List.of(), sink.parts);
    }

    @Test
    void plainTextAndToolCallsNeedNoStateButAPausedTurnKeepsItAndEmptyTextBlocksAreLeftOut() {
        start(0, "{\"type\":\"text\",\"text\":\"Hi\"}");
        start(1, "{\"type\":\"text\",\"text\":\"\"}");
        start(2, "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}");
        assertEquals(ProviderState.NONE, blocks.state("anthropic", false));
        assertEquals("[{\"type\":\"text\",\"text\":\"Hi\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\"}]",
                blocks.state("anthropic", true).values().get("content"));
    }

    @Test
    void aToolCallWhoseIdTheApiWouldRefuseKeepsStateSoItsIdGoesBackAsItCame() {
        start(0, "{\"type\":\"tool_use\",\"id\":\"functions.f:0\",\"name\":\"f\",\"input\":{}}");
        assertEquals("[{\"type\":\"tool_use\",\"id\":\"functions.f:0\",\"name\":\"f\"}]",
                blocks.state("anthropic", false).values().get("content"));
    }

    @Test
    void toolCallsAreNumberedInOrderTheirInputContinuedByTheirFragmentsAndJudgedAtTheEnd() {
        start(0, "{\"type\":\"text\",\"text\":\"Hi\"}");
        start(1, "{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"input\":{}}");
        delta(1, "input_json_delta", "partial_json", "\"\"");
        delta(1, "input_json_delta", "partial_json", "\"{}\"");
        blocks.stop(1);
        start(2, "{\"type\":\"tool_use\",\"id\":\"b\",\"name\":\"g\",\"input\":{\"x\":1}}");
        blocks.stop(2);
        start(3, "{\"type\":\"tool_use\",\"id\":\"c\",\"name\":\"h\"}");
        blocks.stop(3);
        start(4, "{\"type\":\"tool_use\",\"id\":\"d\",\"name\":\"k\",\"input\":{}}");
        delta(4, "input_json_delta", "partial_json", "\"{\\\"y\\\":\"");
        blocks.stop(4);
        start(5, "{\"type\":\"tool_use\",\"id\":\"e\",\"name\":\"m\",\"input\":{}}");
        delta(5, "input_json_delta", "partial_json", "\"{\\\"y\\\": z}\"");
        blocks.stop(5);
        start(6, "{\"type\":\"tool_use\",\"id\":\"n\",\"name\":\"o\",\"input\":{}}");
        delta(6, "input_json_delta", "partial_json", "\"{}\"");
        assertEquals(List.of(ChatDelta.text("Hi"), new ChatDelta.ToolCallStart(0, "a", "f"), new ChatDelta.ToolCallArguments(0, "{}"),
                new ChatDelta.ToolCallStart(1, "b", "g"), new ChatDelta.ToolCallArguments(1, "{\"x\":1}"),
                new ChatDelta.ToolCallStart(2, "c", "h"), new ChatDelta.ToolCallStart(3, "d", "k"),
                new ChatDelta.ToolCallArguments(3, "{\"y\":"), new ChatDelta.ToolCallStart(4, "e", "m"),
                new ChatDelta.ToolCallArguments(4, "{\"y\": z}"), new ChatDelta.ToolCallStart(5, "n", "o"),
                new ChatDelta.ToolCallArguments(5, "{}")), sink.parts);
        assertEquals(List.of(end(0, "a", "f", "{}", ToolCall.Status.COMPLETE), end(1, "b", "g", "{\"x\":1}", ToolCall.Status.COMPLETE),
                end(2, "c", "h", "{}", ToolCall.Status.COMPLETE), end(3, "d", "k", "{\"y\":", ToolCall.Status.TRUNCATED),
                end(4, "e", "m", "{\"y\": z}", ToolCall.Status.INVALID_JSON),
                end(5, "n", "o", "{}", ToolCall.Status.TRUNCATED)), blocks.endCalls(FinishReason.TOOL_CALLS),
                "a block that never stopped is TRUNCATED whatever its arguments");
        assertEquals(List.of(), blocks.endCalls(FinishReason.TOOL_CALLS), "the calls end once");
    }

    @Test
    void theLengthLimitOrARefusalCutsEveryCallAndOtherReasonsJudgeThem() {
        for (FinishReason reason : FinishReason.values()) {
            Blocks b = new Blocks(new Recorder());
            b.start(0, block("{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"input\":{\"x\":1}}"));
            b.stop(0);
            boolean cut = reason == FinishReason.LENGTH || reason == FinishReason.REFUSAL;
            assertEquals(List.of(end(0, "a", "f", "{\"x\":1}", cut ? ToolCall.Status.TRUNCATED : ToolCall.Status.COMPLETE)),
                    b.endCalls(reason), reason.name());
        }
        assertEquals(ToolCall.Status.COMPLETE, blocksWithOneCall().endCalls(null).get(0).call().status());
    }

    private Blocks blocksWithOneCall() {
        Blocks b = new Blocks(new Recorder());
        b.start(0, block("{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"input\":{}}"));
        b.stop(0);
        return b;
    }

    @Test
    void anInputThatIsNotAnObjectOrAFragmentThatIsNotAStringMakesTheCallInvalidWithAWarning() {
        start(0, "{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"input\":\"{\\\"x\\\":1}\"}");
        blocks.stop(0);
        start(1, "{\"type\":\"tool_use\",\"id\":\"b\",\"name\":\"g\",\"input\":{}}");
        assertFalse(delta(1, "input_json_delta", "partial_json", "{\"x\":1}"));
        assertFalse(delta(1, "input_json_delta", "partial_json", "2"));
        blocks.stop(1);
        assertEquals(List.of(end(0, "a", "f", "\"{\\\"x\\\":1}\"", ToolCall.Status.INVALID_JSON),
                end(1, "b", "g", "{\"x\":1}2", ToolCall.Status.INVALID_JSON)), blocks.endCalls(FinishReason.TOOL_CALLS));
        assertEquals(List.of("tool_use block 0 (f) has an input that is not a JSON object: \"{\\\"x\\\":1}\"",
                "tool_use block 1 (g) got an input_json_delta whose partial_json is not a string: {\"x\":1}"), sink.warnings,
                "warned once per call");
    }

    @Test
    void aLongValueIsCutInAWarning() {
        String longInput = "\"" + "x".repeat(100) + "\"";
        start(0, "{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"input\":" + longInput + "}");
        assertEquals("tool_use block 0 (f) has an input that is not a JSON object: " + longInput.substring(0, 80) + "…",
                sink.warnings.get(0));
        start(1, "{\"type\":\"tool_use\",\"id\":\"b\",\"name\":\"f\",\"input\":\"" + "y".repeat(78) + "\"}");
        assertTrue(sink.warnings.get(1).endsWith("\"" + "y".repeat(78) + "\""), sink.warnings.get(1));
    }

    @Test
    void textThatIsNotAStringIsAMalformedStream() {
        start(0, "{\"type\":\"text\",\"text\":\"\"}");
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> delta(0, "text_delta", "text", "5"));
        assertEquals("text_delta for block 0 is not a string: 5", e.getMessage());
        start(1, "{\"type\":\"thinking\",\"thinking\":\"\"}");
        assertThrows(MalformedEventException.class, () -> delta(1, "thinking_delta", "thinking", "[1]"));
        assertThrows(MalformedEventException.class, () -> delta(1, "signature_delta", "signature", "{}"));
        assertEquals(List.of(), sink.parts);
    }

    @Test
    void citationsBeforeTheTextSpanTheBlocksTextInTheFoldedContent() {
        start(0, "{\"type\":\"text\",\"text\":\"Intro. \"}");
        blocks.stop(0);
        start(1, "{\"type\":\"text\",\"text\":\"\",\"citations\":[]}");
        String web = "{\"type\":\"web_search_result_location\",\"cited_text\":\"66F\",\"url\":\"https://w\",\"title\":\"W\","
                + "\"encrypted_index\":\"Eo8B\"}";
        assertFalse(delta(1, "citations_delta", "citation", web));
        String doc = "{\"type\":\"char_location\",\"cited_text\":\"c\",\"document_title\":\"D\",\"start_char_index\":0}";
        delta(1, "citations_delta", "citation", doc);
        delta(1, "text_delta", "text", "\"Temp \"");
        delta(1, "text_delta", "text", "\"66F\"");
        assertEquals(List.of(), sink.citations, "a citation is reported when its block ends");
        blocks.stop(1);
        start(2, "{\"type\":\"text\",\"text\":\"x\",\"citations\":[{\"cited_text\":\"q\"}]}");
        blocks.stop(2);
        assertEquals(List.of(new Citation(7, 15, "web_search_result_location", "66F", "https://w", "W", web),
                new Citation(7, 15, "char_location", "c", null, "D", doc),
                new Citation(15, 16, "unknown", "q", null, null, "{\"cited_text\":\"q\"}")), sink.citations);
        assertEquals("[{\"type\":\"text\",\"text\":\"Intro. \"},{\"type\":\"text\",\"text\":\"Temp 66F\",\"citations\":[" + web + ","
                + doc + "]},{\"type\":\"text\",\"text\":\"x\",\"citations\":[{\"cited_text\":\"q\"}]}]",
                blocks.state("anthropic", false).values().get("content"), "cited blocks go back with their citations");
    }

    @Test
    void aCitedBlockThatNeverStoppedIsFinishedAtTheEnd() {
        start(0, "{\"type\":\"text\",\"text\":\"A\",\"citations\":[{\"type\":\"t\",\"url\":\"u\"}]}");
        blocks.endCalls(FinishReason.STOP);
        assertEquals(List.of(new Citation(0, 1, "t", null, "u", null, "{\"type\":\"t\",\"url\":\"u\"}")), sink.citations);
        blocks.endCalls(FinishReason.STOP);
        assertEquals(1, sink.citations.size(), "finished once");
        blocks.stop(0);
        assertEquals(1, sink.citations.size(), "a late stop finishes nothing again");
    }

    @Test
    void aServerToolAndItsResultBecomeOneUseAndGoBackWhole() {
        start(0, "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{},\"caller\":{\"type\":\"direct\"}}");
        delta(0, "input_json_delta", "partial_json", "\"\"");
        delta(0, "input_json_delta", "partial_json", "\"{\\\"query\\\":\\\"sf\\\"}\"");
        blocks.stop(0);
        assertEquals(Map.of("srvtoolu_1", new ServerToolUse("srvtoolu_1", "web_search", "{\"query\":\"sf\"}", null, null)), sink.tools);
        String results = "[{\"type\":\"web_search_result\",\"url\":\"u\",\"encrypted_content\":\"EqgB\"}]";
        start(1, "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":" + results + "}");
        assertEquals(1, sink.tools.size());
        blocks.stop(1);
        assertEquals(new ServerToolUse("srvtoolu_1", "web_search", "{\"query\":\"sf\"}", "web_search_tool_result", results),
                sink.tools.get("srvtoolu_1"));
        start(2, "{\"type\":\"mcp_tool_use\",\"id\":\"mcptoolu_1\",\"name\":\"ask\",\"server_name\":\"wiki\",\"input\":{\"q\":1}}");
        blocks.stop(2);
        start(3, "{\"type\":\"mcp_tool_result\",\"tool_use_id\":\"mcptoolu_1\",\"is_error\":false,\"content\":[{\"type\":\"text\",\"text\":\"A\"}]}");
        blocks.stop(3);
        assertEquals(new ServerToolUse("mcptoolu_1", "ask", "{\"q\":1}", "mcp_tool_result", "[{\"type\":\"text\",\"text\":\"A\"}]"),
                sink.tools.get("mcptoolu_1"));
        assertEquals(Map.of("content[0].caller", "{\"type\":\"direct\"}", "content[2].server_name", "\"wiki\"",
                "content[3].is_error", "false"), sink.fields);
        assertEquals(List.of(), sink.parts, "nothing for the caller to run");
        assertEquals(List.of(), blocks.endCalls(FinishReason.STOP));
        assertEquals("[{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"sf\"},"
                + "\"caller\":{\"type\":\"direct\"}},{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":"
                + results + "},{\"type\":\"mcp_tool_use\",\"id\":\"mcptoolu_1\",\"name\":\"ask\",\"input\":{\"q\":1},\"server_name\":"
                + "\"wiki\"},{\"type\":\"mcp_tool_result\",\"tool_use_id\":\"mcptoolu_1\",\"content\":[{\"type\":\"text\",\"text\":\"A\"}],"
                + "\"is_error\":false}]", blocks.state("anthropic", false).values().get("content"));
    }

    @Test
    void aServerToolWithoutInputOrWithABrokenOneGoesBackWithAnEmptyObject() {
        start(0, "{\"type\":\"server_tool_use\",\"id\":\"s1\",\"name\":\"web_fetch\"}");
        blocks.stop(0);
        start(1, "{\"type\":\"server_tool_use\",\"id\":\"s2\",\"name\":\"web_fetch\",\"input\":{}}");
        delta(1, "input_json_delta", "partial_json", "\"{\\\"url\\\":\"");
        blocks.stop(1);
        start(2, "{\"type\":\"server_tool_use\",\"id\":\"s3\",\"name\":\"web_fetch\",\"input\":\"{}\"}");
        blocks.stop(2);
        assertEquals(List.of(new ServerToolUse("s1", "web_fetch", "{}", null, null),
                new ServerToolUse("s2", "web_fetch", "{\"url\":", null, null),
                new ServerToolUse("s3", "web_fetch", "\"{}\"", null, null)), List.copyOf(sink.tools.values()));
        assertEquals("[{\"type\":\"server_tool_use\",\"id\":\"s1\",\"name\":\"web_fetch\",\"input\":{}},"
                + "{\"type\":\"server_tool_use\",\"id\":\"s2\",\"name\":\"web_fetch\",\"input\":{}},"
                + "{\"type\":\"server_tool_use\",\"id\":\"s3\",\"name\":\"web_fetch\",\"input\":{}}]",
                blocks.state("anthropic", false).values().get("content"));
        assertEquals(1, sink.warnings.size(), sink.warnings.toString());
    }

    @Test
    void aResultForAUseThisAnswerDidNotCarryIsKeptUnderItsToolsNameWithAWarning() {
        start(0, "{\"type\":\"web_fetch_tool_result\",\"tool_use_id\":\"srvtoolu_9\",\"content\":{\"type\":\"web_fetch_tool_result_error\","
                + "\"error_code\":\"unavailable\"}}");
        start(1, "{\"type\":\"_tool_result\",\"tool_use_id\":\"srvtoolu_8\"}");
        blocks.endCalls(FinishReason.STOP);
        assertEquals(List.of(new ServerToolUse("srvtoolu_9", "web_fetch", "{}", "web_fetch_tool_result",
                "{\"type\":\"web_fetch_tool_result_error\",\"error_code\":\"unavailable\"}"),
                new ServerToolUse("srvtoolu_8", "_tool_result", "{}", "_tool_result", "null")), List.copyOf(sink.tools.values()));
        assertEquals(List.of("web_fetch_tool_result block 0 answers server tool use srvtoolu_9, which this answer did not carry",
                "_tool_result block 1 answers server tool use srvtoolu_8, which this answer did not carry"), sink.warnings);
    }

    @Test
    void aFallbackBlockReportsTheServedModelAndKeepsTheRest() {
        start(0, "{\"type\":\"fallback\",\"from\":{\"model\":\"claude-a\"},\"to\":{\"model\":\"claude-b\"},\"trigger\":{\"type\":\"refusal\"}}");
        blocks.stop(0);
        assertEquals(List.of("claude-b"), sink.models);
        assertEquals(Map.of("content[0].from", "{\"model\":\"claude-a\"}", "content[0].trigger", "{\"type\":\"refusal\"}"), sink.fields);
        assertEquals("[{\"type\":\"fallback\",\"to\":{\"model\":\"claude-b\"},\"from\":{\"model\":\"claude-a\"},\"trigger\":"
                + "{\"type\":\"refusal\"}}]", blocks.state("anthropic", false).values().get("content"));
        start(1, "{\"type\":\"fallback\",\"to\":{\"model\":\" \"}}");
        start(2, "{\"type\":\"fallback\"}");
        assertEquals(List.of("claude-b"), sink.models);
        assertEquals(List.of("fallback block 1 names no model it fell back to", "fallback block 2 names no model it fell back to"),
                sink.warnings);
    }

    @Test
    void aBlockOfAnUnknownTypeIsKeptWholeAsAFieldAndInTheStateAndItsDeltasInOrder() {
        start(0, "{\"type\":\"compaction\",\"text\":\"t\",\"thinking\":\"h\",\"signature\":\"s\",\"data\":\"d\",\"id\":\"i\","
                + "\"name\":\"n\",\"tool_use_id\":\"u\",\"input\":{\"a\":1},\"content\":[1]}");
        assertEquals(Map.of(), sink.fields, "kept whole when it ends");
        assertTrue(delta(0, "compaction_delta", "content", "\"more\""));
        assertTrue(delta(0, "text_delta", "text", "\"T\""));
        assertTrue(blocks.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\","
                + "\"citation\":{\"a\":1}}}")));
        assertTrue(blocks.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"partial_json\":5}}")));
        assertTrue(blocks.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"x\":1}}")));
        blocks.stop(0);
        String whole = "{\"type\":\"compaction\",\"text\":\"t\",\"thinking\":\"h\",\"signature\":\"s\",\"data\":\"d\",\"id\":\"i\","
                + "\"name\":\"n\",\"tool_use_id\":\"u\",\"input\":{\"a\":1},\"content\":[1]}";
        assertEquals(Map.of("content[0]", whole, "content[0].deltas", "[{\"type\":\"compaction_delta\",\"content\":\"more\"},"
                + "{\"type\":\"text_delta\",\"value\":\"T\"},{\"type\":\"citations_delta\",\"value\":{\"a\":1}},{\"value\":5},"
                + "{\"x\":1}]"), sink.fields);
        assertEquals("[" + whole + "]", blocks.state("anthropic", false).values().get("content"));
        start(1, "{}");
        blocks.stop(1);
        assertEquals("{}", sink.fields.get("content[1]"), "a block without a type");
        assertEquals(List.of(), sink.parts);
        assertEquals(List.of(), sink.warnings);
    }

    @Test
    void aDeltaOfATypeTheBlockDoesNotTakeIsKeptAndAKnownDeltaWithoutItsValueIsNothing() {
        start(0, "{\"type\":\"text\",\"text\":\"\"}");
        assertTrue(delta(0, "input_json_delta", "partial_json", "\"{}\""));
        assertTrue(delta(0, "thinking_delta", "thinking", "\"x\""));
        assertTrue(delta(0, "signature_delta", "signature", "\"x\""));
        start(1, "{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"input\":{}}");
        assertTrue(delta(1, "citations_delta", "citation", "{}"));
        assertTrue(delta(1, "text_delta", "text", "\"x\""));
        for (String type : new String[] {"text_delta", "thinking_delta", "signature_delta", "input_json_delta", "citations_delta"}) {
            assertFalse(blocks.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"" + type + "\"}}")),
                    type);
        }
        assertTrue(blocks.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"later_delta\"}}")));
        assertTrue(blocks.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"x\":1}}")),
                "a known delta without its value but with other fields keeps them");
        blocks.endCalls(FinishReason.STOP);
        assertEquals("[{\"type\":\"input_json_delta\",\"value\":\"{}\"},{\"type\":\"thinking_delta\",\"value\":\"x\"},"
                + "{\"type\":\"signature_delta\",\"value\":\"x\"},{\"type\":\"later_delta\"},{\"type\":\"text_delta\",\"x\":1}]",
                sink.fields.get("content[0].deltas"));
        assertEquals("[{\"type\":\"citations_delta\",\"value\":{}},{\"type\":\"text_delta\",\"value\":\"x\"}]",
                sink.fields.get("content[1].deltas"));
    }

    @Test
    void unknownDeltasPastTheBoundAreCountedInAWarning() {
        start(0, "{\"type\":\"later\"}");
        String big = "\"" + "x".repeat(AnswerFolder.MAX_UNKNOWN_CHARS / 2) + "\"";
        delta(0, "later_delta", "v", big);
        delta(0, "later_delta", "v", big);
        delta(0, "later_delta", "v", big);
        delta(0, "later_delta", "v", "1");
        blocks.stop(0);
        String kept = sink.fields.get("content[0].deltas");
        assertEquals("[{\"type\":\"later_delta\",\"v\":" + big + "},{\"type\":\"later_delta\",\"v\":1}]", kept,
                "what fits is kept, in order");
        assertEquals(List.of("2 deltas of block 0 that this version does not know were dropped past 1048576 characters of them"),
                sink.warnings);
        Blocks exact = new Blocks(sink);
        exact.start(0, block("{\"type\":\"later\"}"));
        String entry = "{\"type\":\"a\",\"v\":\"" + "y".repeat(AnswerFolder.MAX_UNKNOWN_CHARS / 2) + "\"}";
        exact.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":" + entry + "}"));
        String rest = "{\"type\":\"a\",\"v\":\"" + "z".repeat(AnswerFolder.MAX_UNKNOWN_CHARS - entry.length() - 1 - 19)
                + "\"}";
        exact.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":" + rest + "}"));
        exact.stop(0);
        assertEquals(AnswerFolder.MAX_UNKNOWN_CHARS + 2, sink.fields.get("content[0].deltas").length(),
                "kept up to exactly the bound (the opening bracket and the entries), then a comma and the closing bracket");
        assertEquals(1, sink.warnings.size());
    }

    @Test
    void fieldsAKindDoesNotModelAreKeptUnderTheBlocksIndexAndGoBackWithIt() {
        start(0, "{\"type\":\"text\",\"text\":\"Hi\",\"id\":\"x\",\"cache_control\":{\"type\":\"ephemeral\"}}");
        start(1, "{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"s\",\"text\":\"odd\",\"data\":\"d\"}");
        start(2, "{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"input\":{},\"caller\":{\"type\":\"direct\"},\"signature\":\"s\","
                + "\"tool_use_id\":\"u\"}");
        start(3, "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"u\",\"name\":\"n\",\"input\":{\"q\":1},\"content\":[]}");
        start(4, "{\"type\":\"redacted_thinking\",\"data\":\"d\",\"thinking\":\"t\"}");
        assertEquals(Map.of("content[0].id", "\"x\"", "content[0].cache_control", "{\"type\":\"ephemeral\"}",
                "content[1].text", "\"odd\"", "content[1].data", "\"d\"", "content[2].signature", "\"s\"",
                "content[2].tool_use_id", "\"u\"", "content[2].caller", "{\"type\":\"direct\"}", "content[3].name", "\"n\"",
                "content[3].input", "{\"q\":1}", "content[4].thinking", "\"t\""), sink.fields);
        assertEquals("[{\"type\":\"text\",\"text\":\"Hi\",\"id\":\"x\",\"cache_control\":{\"type\":\"ephemeral\"}},"
                + "{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"s\",\"text\":\"odd\",\"data\":\"d\"},"
                + "{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"signature\":\"s\",\"tool_use_id\":\"u\",\"caller\":{\"type\":\"direct\"}},"
                + "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"u\",\"content\":[],\"name\":\"n\",\"input\":{\"q\":1}},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"d\",\"thinking\":\"t\"}]",
                blocks.state("anthropic", false).values().get("content"));
    }

    @Test
    void aTextBlockWithOnlyKeptFieldsGoesBack() {
        start(0, "{\"type\":\"text\",\"text\":\"\",\"cache_control\":{}}");
        assertEquals("[{\"type\":\"text\",\"text\":\"\",\"cache_control\":{}}]", blocks.state("p", false).values().get("content"));
        Blocks cited = new Blocks(new Recorder());
        cited.start(0, block("{\"type\":\"text\",\"text\":\"\"}"));
        cited.delta(0, event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\",\"citation\":{}}}"));
        assertEquals("[{\"type\":\"text\",\"text\":\"\",\"citations\":[{}]}]", cited.state("p", false).values().get("content"));
    }

    @Test
    void deltasFindTheirBlockWhenBlocksInterleave() {
        start(0, "{\"type\":\"text\",\"text\":\"\"}");
        start(1, "{\"type\":\"thinking\",\"thinking\":\"\"}");
        delta(0, "text_delta", "text", "\"A\"");
        delta(1, "thinking_delta", "thinking", "\"B\"");
        delta(0, "text_delta", "text", "\"C\"");
        assertEquals(List.of(ChatDelta.text("A"), ChatDelta.reasoning("B"), ChatDelta.text("C")), sink.parts);
    }

    @Test
    void whatTheGrammarForbidsIsMalformed() {
        assertThrows(MalformedEventException.class, () -> start(-1, "{\"type\":\"text\"}"));
        start(0, "{\"type\":\"text\",\"text\":\"\"}");
        MalformedEventException again = assertThrows(MalformedEventException.class, () -> start(0, "{\"type\":\"text\"}"));
        assertEquals("content_block_start for block 0, which already started", again.getMessage());
        assertEquals("content_block_start for block -1 (no index)",
                assertThrows(MalformedEventException.class, () -> start(-1, "{\"type\":\"text\"}")).getMessage());
        assertEquals("tool_use block 1 without an id or a name", assertThrows(MalformedEventException.class,
                () -> start(1, "{\"type\":\"tool_use\",\"name\":\"f\"}")).getMessage());
        assertThrows(MalformedEventException.class, () -> start(2, "{\"type\":\"tool_use\",\"id\":\"i\",\"name\":\"\"}"));
        assertThrows(MalformedEventException.class, () -> start(2, "{\"type\":\"tool_use\",\"id\":\"\",\"name\":\"f\"}"));
        assertThrows(MalformedEventException.class, () -> start(2, "{\"type\":\"tool_use\",\"id\":\"i\"}"));
        assertThrows(MalformedEventException.class, () -> start(2, "{\"type\":\"server_tool_use\",\"name\":\"web_search\"}"));
        assertThrows(MalformedEventException.class, () -> start(2, "{\"type\":\"server_tool_use\",\"id\":\" \",\"name\":\"w\"}"));
        assertThrows(MalformedEventException.class, () -> start(2, "{\"type\":\"mcp_tool_use\",\"id\":\"i\",\"name\":\" \"}"));
        assertEquals("web_search_tool_result block 2 without a tool_use_id", assertThrows(MalformedEventException.class,
                () -> start(2, "{\"type\":\"web_search_tool_result\",\"content\":[]}")).getMessage());
        assertThrows(MalformedEventException.class, () -> start(2, "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"\"}"));
        assertThrows(MalformedEventException.class, () -> start(2, "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\" \"}"));
        assertEquals("content_block_delta for block 5, which never started",
                assertThrows(MalformedEventException.class, () -> delta(5, "text_delta", "text", "\"x\"")).getMessage());
        assertEquals("content_block_stop for block 5, which never started",
                assertThrows(MalformedEventException.class, () -> blocks.stop(5)).getMessage());
        blocks.stop(0);
        MalformedEventException late = assertThrows(MalformedEventException.class, () -> delta(0, "text_delta", "text", "\"x\""));
        assertEquals("content_block_delta for block 0, which already stopped", late.getMessage());
        assertEquals(List.of(), sink.warnings);
    }
}
