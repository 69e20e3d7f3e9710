package dev.alfred.llm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseAccumulatorTest {

    private static ChatDelta.ToolCallStart start(int index, String id, String name) {
        return new ChatDelta.ToolCallStart(index, id, name);
    }

    private static ChatDelta.ToolCallArguments args(int index, String fragment) {
        return new ChatDelta.ToolCallArguments(index, fragment);
    }

    @Test
    void textReasoningAndMetadataFoldIntoTheResponse() {
        ResponseAccumulator acc = new ResponseAccumulator();
        assertFalse(acc.hasOutput());
        acc.accept(ChatDelta.reasoning("think"));
        acc.accept(ChatDelta.text("Hel"));
        acc.accept(ChatDelta.text("lo"));
        acc.id("r-1");
        acc.id("r-2");
        acc.model("m");
        acc.model(" ");
        acc.usage(Usage.of(1, 2, 3));
        acc.usage(Usage.of(4, 5, 9));
        acc.finishReason(FinishReason.STOP, "stop");
        acc.finishReason(null, "ignored");
        acc.state(new ProviderState("p", java.util.Map.of("k", "v")));
        acc.state(null);
        acc.warn("w");
        acc.warn("w");
        ChatResponse r = acc.response();
        assertTrue(acc.hasOutput());
        assertEquals(new ChatResponse("Hello", "think", "", List.of(), List.of(), List.of(), "r-1", "m", Usage.of(4, 5, 9),
                FinishReason.STOP, "stop", new ProviderState("p", java.util.Map.of("k", "v")), java.util.Map.of(), List.of("w")), r);
    }

    @Test
    void interleavedFragmentsOfParallelCallsNeverMix() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(start(0, "get_weather_0", "get_weather"));
        acc.accept(start(1, "get_time_1", "get_time"));
        acc.accept(args(0, "{\"city\""));
        acc.accept(args(1, "{\"tz\":"));
        acc.accept(args(0, ":\"Paris\"}"));
        acc.accept(args(1, "\"CET\"}"));
        acc.finishReason(FinishReason.TOOL_CALLS, "tool_calls");
        List<ChatDelta.ToolCallEnd> ends = acc.endToolCalls();
        assertEquals(List.of(
                new ChatDelta.ToolCallEnd(0, new ToolCall("get_weather_0", "get_weather", "{\"city\":\"Paris\"}",
                        ToolCall.Status.COMPLETE)),
                new ChatDelta.ToolCallEnd(1, new ToolCall("get_time_1", "get_time", "{\"tz\":\"CET\"}",
                        ToolCall.Status.COMPLETE))), ends);
        assertEquals(List.of(ends.get(0).call(), ends.get(1).call()), acc.response().toolCalls());
        assertEquals(List.of(), acc.endToolCalls(), "finished calls end once");
    }

    @Test
    void aCallIsJudgedOnlyAtTheEndNeverOnAPrefixThatParses() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(start(0, "c", "f"));
        acc.accept(args(0, "{\"a\":1}"));
        acc.accept(args(0, "garbage"));
        assertEquals(ToolCall.Status.INVALID_JSON, acc.response().toolCalls().get(0).status());
        assertEquals("{\"a\":1}garbage", acc.response().toolCalls().get(0).arguments());
    }

    @Test
    void lengthOrFilterMarksOpenCallsTruncatedEvenIfTheyParse() {
        for (FinishReason cut : List.of(FinishReason.LENGTH, FinishReason.CONTENT_FILTER)) {
            ResponseAccumulator acc = new ResponseAccumulator();
            acc.accept(start(0, "c", "f"));
            acc.accept(args(0, "{}"));
            acc.finishReason(cut, null);
            assertEquals(ToolCall.Status.TRUNCATED, acc.endToolCalls().get(0).call().status(), cut.name());
        }
    }

    @Test
    void emptyArgumentsCountAsAnEmptyObject() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(start(0, "c", "now"));
        assertEquals(new ToolCall("c", "now", "{}", ToolCall.Status.COMPLETE), acc.response().toolCalls().get(0));
    }

    @Test
    void aPartialResponseMarksOpenCallsTruncatedAndKeepsTheirArguments() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(ChatDelta.text("Let me check."));
        acc.accept(start(3, "c", "f"));
        acc.accept(args(3, "{\"city\": \"Par"));
        ChatResponse partial = acc.partialResponse();
        assertEquals("Let me check.", partial.content());
        assertEquals(List.of(new ToolCall("c", "f", "{\"city\": \"Par", ToolCall.Status.TRUNCATED)), partial.toolCalls());
    }

    @Test
    void aFragmentForAnIndexThatNeverStartedIsFoldedIntoTheLatestCallWithAWarning() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(start(0, "a", "f"));
        acc.accept(start(1, "b", "g"));
        acc.accept(args(7, "{}"));
        ChatResponse r = acc.response();
        assertEquals("{}", r.toolCalls().get(1).arguments());
        assertEquals("{}", r.toolCalls().get(0).arguments(), "empty arguments of call a count as {}");
        assertEquals(List.of("arguments for tool call 7, which never started, folded into call 1 (g)"), r.warnings());
    }

    @Test
    void aFragmentBeforeAnyCallIsAMalformedStream() {
        ResponseAccumulator acc = new ResponseAccumulator("p", new ResponseLimits(1000, 128, 100, 1000));
        ProviderUnavailableException e = assertThrows(ProviderUnavailableException.class, () -> acc.accept(args(0, "{")));
        assertEquals("p: malformed stream: arguments for tool call 0 before any call started", e.getMessage());
    }

    @Test
    void aRepeatedStartKeepsTheFirstAndWarnsOnlyWhenItDiffers() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(start(0, "a", "f"));
        acc.accept(start(0, "a", "f"));
        assertEquals(List.of(), acc.response().warnings());
        acc.accept(start(0, "b", "g"));
        assertEquals(List.of("tool call 0 started again as g (b); kept f (a)"), acc.response().warnings());
        assertEquals("a", acc.response().toolCalls().get(0).id());
    }

    @Test
    void boundsOnCallsAndArgumentsAreTypedErrorsNamingTheBound() {
        ResponseAccumulator calls = new ResponseAccumulator("p", new ResponseLimits(1000, 2, 100, 1000));
        calls.accept(start(0, "a", "f"));
        calls.accept(start(1, "b", "f"));
        ResponseTooLargeException tooMany = assertThrows(ResponseTooLargeException.class,
                () -> calls.accept(start(2, "c", "f")));
        assertEquals("p: the answer has more than 2 tool calls (the provider's maxToolCalls setting)", tooMany.getMessage());
        assertFalse(tooMany.isRetryable());

        ResponseAccumulator size = new ResponseAccumulator("p", new ResponseLimits(1000, 2, 10, 1000));
        size.accept(start(0, "a", "f"));
        size.accept(args(0, "12345"));
        size.accept(args(0, "67890"));
        ResponseTooLargeException tooLong = assertThrows(ResponseTooLargeException.class, () -> size.accept(args(0, "x")));
        assertEquals("p: the arguments of tool call 0 (f) exceed 10 characters (the provider's maxToolArgumentChars setting)", tooLong.getMessage());
        assertEquals("1234567890", tooLong.partialResponse().orElseThrow().toolCalls().get(0).arguments());
        assertThrows(IllegalArgumentException.class, () -> new ResponseAccumulator("p", new ResponseLimits(1000, 0, 1, 1000)));
        assertThrows(IllegalArgumentException.class, () -> new ResponseAccumulator("p", new ResponseLimits(1000, 1, 0, 1000)));
        ResponseAccumulator smallest = new ResponseAccumulator("p", new ResponseLimits(1000, 1, 1, 1000));
        smallest.accept(start(0, "a", "f"));
        smallest.accept(args(0, "x"));
        assertEquals("x", smallest.partialResponse().toolCalls().get(0).arguments());
    }

    @Test
    void textAndReasoningAreBoundedEachAndTheFailureKeepsTheAnswerSoFar() {
        ResponseAccumulator acc = new ResponseAccumulator("p", new ResponseLimits(6, 1, 1, 1));
        acc.accept(ChatDelta.text("abc"));
        acc.accept(ChatDelta.text("def"));
        acc.accept(ChatDelta.reasoning("123456"));
        ResponseTooLargeException text = assertThrows(ResponseTooLargeException.class, () -> acc.accept(ChatDelta.text("g")));
        assertEquals("p: the answer's text exceeds 6 characters (the provider's maxTextChars setting)", text.getMessage());
        assertEquals("abcdef", text.partialResponse().orElseThrow().content());
        assertEquals("123456", text.partialResponse().orElseThrow().reasoning());
        ResponseTooLargeException reasoning = assertThrows(ResponseTooLargeException.class,
                () -> acc.accept(ChatDelta.reasoning("7")));
        assertTrue(reasoning.getMessage().startsWith("p: the answer's reasoning exceeds 6 characters"), reasoning.getMessage());
        assertEquals(java.util.Optional.empty(), new ResponseTooLargeException("m", "p").partialResponse());
        assertThrows(IllegalArgumentException.class, () -> new ResponseLimits(0, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ResponseLimits(1, 1, 1, 0));
    }

    @Test
    void anEndPartFromTheProviderFinishesTheCallAsGiven() {
        ResponseAccumulator acc = new ResponseAccumulator();
        ToolCall given = new ToolCall("t", "f", "{\"x\":1}", ToolCall.Status.COMPLETE);
        acc.accept(new ChatDelta.ToolCallEnd(0, given));
        acc.accept(args(0, "ignored"));
        assertEquals(List.of(given), acc.response().toolCalls());
        assertEquals(List.of("arguments for tool call 0 after it ended were dropped"), acc.response().warnings());
    }

    @Test
    void manyFragmentsCostTheirSizeOnce() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(start(0, "c", "f"));
        acc.accept(args(0, "{\"s\":\""));
        for (int i = 0; i < 200_000; i++) {
            acc.accept(args(0, "ab"));
        }
        acc.accept(args(0, "\"}"));
        ToolCall call = acc.response().toolCalls().get(0);
        assertEquals(400_008, call.arguments().length());
        assertEquals(ToolCall.Status.COMPLETE, call.status());
    }

    @Test
    void aRefusalFoldsLikeTextAndMakesTheFinishReasonSaySo() {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(new ChatDelta.Refusal("I'm sorry, "));
        acc.accept(new ChatDelta.Refusal("I can't help with that."));
        assertTrue(acc.hasOutput(), "a refusal is output");
        acc.finishReason(FinishReason.STOP, "stop");
        ChatResponse r = acc.response();
        assertEquals("I'm sorry, I can't help with that.", r.refusal());
        assertEquals(FinishReason.REFUSAL, r.finishReason(), "OpenAI ends a refusal with stop");
        assertEquals("stop", r.rawFinishReason());
        assertTrue(r.isRefusal());
        ResponseAccumulator cut = new ResponseAccumulator();
        cut.accept(new ChatDelta.Refusal("no"));
        cut.finishReason(FinishReason.LENGTH, "length");
        assertEquals(FinishReason.LENGTH, cut.response().finishReason(), "a cut refusal stays cut");
        ResponseAccumulator none = new ResponseAccumulator();
        assertFalse(none.hasOutput());
        assertEquals(null, none.response().finishReason());
        assertFalse(ChatResponse.of("x").isRefusal());
        ResponseAccumulator anthropic = new ResponseAccumulator();
        anthropic.finishReason(FinishReason.REFUSAL, "refusal");
        assertTrue(anthropic.response().isRefusal(), "a refusal may come without text");
    }

    @Test
    void citationsServerToolsAndUnmodelledFieldsAreKept() {
        ResponseAccumulator acc = new ResponseAccumulator("p", ResponseLimits.DEFAULT);
        acc.accept(ChatDelta.text("The sky "));
        int start = acc.contentLength();
        acc.accept(ChatDelta.text("is blue"));
        acc.citation(new Citation(start, acc.contentLength(), "web_search_result_location", "blue sky", "https://s",
                "Sky", "{\"type\":\"web_search_result_location\"}"));
        acc.serverTool(new ServerToolUse("srv_1", "web_search", "{\"query\":\"sky\"}", null, null));
        acc.serverTool(new ServerToolUse("srv_2", "web_fetch", "{}", null, null));
        assertEquals("web_search", acc.serverTool("srv_1").name());
        assertEquals(null, acc.serverTool("nope"));
        acc.serverTool(acc.serverTool("srv_1").withResult("web_search_tool_result", "[]"));
        acc.providerField("system_fingerprint", "\"fp_1\"");
        acc.providerField("system_fingerprint", "\"fp_1\"");
        acc.providerField("system_fingerprint", "\"fp_2\"");
        acc.providerField("service_tier", "\"default\"");
        ChatResponse r = acc.response();
        assertEquals(8, r.citations().get(0).start());
        assertEquals(15, r.citations().get(0).end());
        assertEquals(List.of("srv_1", "srv_2"), r.serverTools().stream().map(ServerToolUse::id).toList(), "first order kept");
        assertTrue(r.serverTools().get(0).hasResult());
        assertFalse(r.serverTools().get(1).hasResult());
        assertEquals(java.util.Map.of("system_fingerprint", "[\"fp_1\",\"fp_2\"]", "service_tier", "\"default\""),
                r.providerFields(), "a value sent again is kept once; other values are kept in order");
        assertEquals(List.of("kept what p does not model in providerFields: system_fingerprint, service_tier"),
                r.warnings());
        assertEquals(List.of("kept what the provider does not model in providerFields: x"), accWith("x").warnings());
        assertThrows(NullPointerException.class, () -> acc.citation(null));
        assertThrows(NullPointerException.class, () -> acc.serverTool((ServerToolUse) null));
        assertThrows(NullPointerException.class, () -> acc.providerField("a", null));
    }

    private static ChatResponse accWith(String field) {
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.providerField(field, "1");
        return acc.response();
    }

    @Test
    void theCallsOfARefusedAnswerAreNeverComplete() {
        ResponseAccumulator byReason = new ResponseAccumulator();
        byReason.accept(new ChatDelta.ToolCallStart(0, "c", "pay"));
        byReason.accept(new ChatDelta.ToolCallArguments(0, "{}"));
        byReason.finishReason(FinishReason.REFUSAL, "refusal");
        assertEquals(ToolCall.Status.TRUNCATED, byReason.response().toolCalls().get(0).status());
        ResponseAccumulator byText = new ResponseAccumulator();
        byText.accept(new ChatDelta.ToolCallStart(0, "c", "pay"));
        byText.accept(new ChatDelta.ToolCallArguments(0, "{}"));
        byText.accept(new ChatDelta.Refusal("no"));
        byText.finishReason(FinishReason.TOOL_CALLS, "tool_calls");
        assertEquals(ToolCall.Status.TRUNCATED, byText.response().toolCalls().get(0).status());
    }
}
