package dev.alfred.llm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordsTest {

    private static final JsonSchema OBJECT = JsonSchema.of("{\"type\":\"object\",\"properties\":{}}");

    private static void assertRejects(String field, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(field), "message should name " + field + ": " + e.getMessage());
    }

    private static ChatRequest request(List<ChatMessage> messages, List<String> stop) {
        return new ChatRequest(messages, null, null, null, null, stop, null, null, null, null, null, null);
    }

    @Test
    void requestWithNullOrEmptyMessagesIsRejectedNamingTheField() {
        assertRejects("messages", () -> request(null, null));
        assertRejects("messages", () -> request(List.of(), null));
        assertRejects("messages", () -> ChatRequest.builder().build());
        assertRejects("messages[1]", () -> request(Arrays.asList(ChatMessage.user("a"), null), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankModelIsRejected(String model) {
        assertRejects("model", () -> ChatRequest.builder().user("hi").model(model).build());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, Integer.MIN_VALUE})
    void nonPositiveMaxTokensIsRejected(int maxTokens) {
        assertRejects("maxTokens", () -> ChatRequest.builder().user("hi").maxTokens(maxTokens).build());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 2.01, Double.NaN, Double.POSITIVE_INFINITY})
    void temperatureOutsideZeroToTwoIsRejected(double temperature) {
        assertRejects("temperature", () -> ChatRequest.builder().user("hi").temperature(temperature).build());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0, 2.0})
    void temperatureBoundsAreAccepted(double temperature) {
        assertEquals(temperature, ChatRequest.builder().user("hi").temperature(temperature).build().temperature());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.5, 1.0001, Double.NaN})
    void topPOutsideItsRangeIsRejected(double topP) {
        assertRejects("topP", () -> ChatRequest.builder().user("hi").topP(topP).build());
    }

    @Test
    void emptyStopSequenceIsRejected() {
        assertRejects("stop[1]", () -> ChatRequest.builder().user("hi").stop(List.of("x", "")).build());
    }

    @Test
    void unsetOptionsStayAbsentNotDefaulted() {
        ChatRequest r = ChatRequest.of("hi");
        assertNull(r.model());
        assertNull(r.temperature());
        assertNull(r.topP());
        assertNull(r.maxTokens());
        assertNull(r.toolChoice());
        assertNull(r.parallelToolCalls());
        assertNull(r.responseFormat());
        assertEquals(List.of(), r.stop());
        assertEquals(List.of(), r.tools());
        assertEquals(List.of(), r.options());
    }

    @Test
    void requestCopiesItsListsDefensively() {
        List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.user("a")));
        List<String> stop = new ArrayList<>(List.of("END"));
        ChatRequest r = request(messages, stop);
        messages.add(ChatMessage.user("b"));
        stop.clear();
        assertEquals(1, r.messages().size());
        assertEquals(List.of("END"), r.stop());
        assertThrows(UnsupportedOperationException.class, () -> r.messages().add(ChatMessage.user("c")));
    }

    @Test
    void toBuilderKeepsEverySetting() {
        ChatRequest r = ChatRequest.builder().system("s").user("u").model("m").temperature(0.5).topP(0.9)
                .maxTokens(10).stop(List.of("x")).tools(ToolDefinition.function("f", "d", OBJECT))
                .toolChoice(ToolChoice.tool("f")).parallelToolCalls(false).responseFormat(ResponseFormat.JSON_OBJECT)
                .options(new Opts("a")).build();
        assertEquals(r, r.toBuilder().build());
        assertEquals(3, r.toBuilder().assistant("a").build().messages().size());
    }

    record Opts(String v) implements ProviderOptions {
        @Override
        public String providerId() {
            return "x";
        }
    }

    @Test
    void providerOptionsAreFoundByTypeAndALaterOneOfATypeReplacesTheEarlier() {
        ChatRequest r = ChatRequest.builder().user("u").options(new Opts("a")).options(new Opts("b")).build();
        assertEquals("b", r.options(Opts.class).orElseThrow().v());
        assertRejects("two Opts", () -> new ChatRequest(List.of(ChatMessage.user("u")), null, null, null, null, null,
                null, null, null, null, List.of(new Opts("a"), new Opts("b")), null));
    }

    @Test
    void messagesAreValidated() {
        assertRejects("text part", () -> ChatMessage.user(""));
        assertRejects("content", () -> ChatMessage.system(""));
        assertRejects("at least one part", () -> ChatMessage.user(new ContentPart[0]));
        assertRejects("reasoning", () -> new AssistantMessage("", null, List.of(), ProviderState.NONE));
        assertRejects("toolCallId", () -> new ToolMessage("", "f", "r", false));
        assertEquals("", ChatMessage.assistant("").content(), "an assistant turn may be empty");
        assertEquals(Role.TOOL, new ToolMessage("c", "f", "r", false).role());
    }

    @Test
    void aUserMessageJoinsItsTextAndKnowsItsImages() {
        UserMessage m = ChatMessage.user(ContentPart.text("What is "), ContentPart.image(new byte[] {1, 2}, "IMAGE/PNG"),
                ContentPart.text("this?"));
        assertEquals("What is this?", m.text());
        assertTrue(m.hasImage());
        assertFalse(ChatMessage.user("x").hasImage());
    }

    @Test
    void imageBytesAreCopiedComparedByValueAndNotPrinted() {
        byte[] data = {1, 2, 3};
        ContentPart.ImageBytes img = ContentPart.image(data, "image/png");
        data[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, img.data());
        img.data()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, img.data());
        assertEquals(img, ContentPart.image(new byte[] {1, 2, 3}, "image/png"));
        assertEquals(img.hashCode(), ContentPart.image(new byte[] {1, 2, 3}, "image/png").hashCode());
        assertNotEquals(img, ContentPart.image(new byte[] {1, 2, 4}, "image/png"));
        assertEquals("ImageBytes[image/png, 3 bytes]", img.toString());
        assertRejects("media type", () -> ContentPart.image(data, "text/plain"));
        assertRejects("image data", () -> ContentPart.image(new byte[0], "image/png"));
        assertRejects("absolute", () -> ContentPart.imageUrl(URI.create("cat.png")));
        assertRejects("file id", () -> ContentPart.imageFile(" "));
    }

    @Test
    void responseReplaysAsAnAssistantMessageWithReasoningToolCallsAndState() {
        ToolCall call = new ToolCall("functions.get_weather:0", "get_weather", "{\"city\":\"Paris\"}",
                ToolCall.Status.COMPLETE);
        ProviderState state = new ProviderState("p", Map.of("sig", "abc"));
        ChatResponse r = new ChatResponse("", "think", "", List.of(call), List.of(), List.of(), "id-1", "m", null,
                FinishReason.TOOL_CALLS, "tool_calls", state, java.util.Map.of(), List.of());
        assertEquals(new AssistantMessage("", "think", List.of(call), state), ChatMessage.of(r));
        ToolMessage result = ChatMessage.toolResult(call, "18C");
        assertEquals(new ToolMessage("functions.get_weather:0", "get_weather", "18C", false), result);
        assertTrue(ChatMessage.toolError(call, "no such city").error());
    }

    @Test
    void aToolResultMustAnswerACallAnEarlierAssistantMessageMade() {
        ToolCall call = new ToolCall("c1", "f", "{}", ToolCall.Status.COMPLETE);
        AssistantMessage asked = new AssistantMessage("", "", List.of(call), ProviderState.NONE);
        ChatRequest ok = ChatRequest.builder().user("u").message(asked).message(ChatMessage.toolResult(call, "r")).build();
        assertEquals(3, ok.messages().size());
        assertRejects("messages[1] is a result for tool call id 'c2'", () -> ChatRequest.builder().user("u")
                .message(new ToolMessage("c2", "f", "r", false)).message(asked).build());
    }

    @Test
    void toolsAndToolChoiceAreCheckedTogether() {
        ToolDefinition f = ToolDefinition.function("f", "", OBJECT);
        assertRejects("declared twice", () -> ChatRequest.builder().user("u").tools(f, f).build());
        assertRejects("toolChoice names tool 'g'", () -> ChatRequest.builder().user("u").tools(f)
                .toolChoice(ToolChoice.tool("g")).build());
        assertRejects("REQUIRED needs at least one tool", () -> ChatRequest.builder().user("u")
                .toolChoice(ToolChoice.REQUIRED).build());
        assertRejects("needs a parameters schema", () -> ToolDefinition.function("f", "", null));
        assertRejects("takes no schema", () -> ToolDefinition.builtin("$web_search").withStrict(true));
        assertRejects("mode TOOL", () -> new ToolChoice(ToolChoice.Mode.AUTO, "f"));
    }

    @Test
    void schemasAndFormatsAreValidated() {
        assertRejects("JSON object", () -> JsonSchema.of("[1]"));
        assertRejects("JSON object", () -> JsonSchema.of("{\"a\":}"));
        assertRejects("name", () -> ResponseFormat.jsonSchema("has space", OBJECT, true));
        assertRejects("only a JSON_SCHEMA", () -> new ResponseFormat(ResponseFormat.Type.TEXT, "n", null, false));
    }

    @Test
    void usageRejectsNegativeCountsNamingThemAndAddsUpSaturating() {
        assertRejects("promptTokens", () -> new Usage(-1, 0, 0, 0, 0, 0));
        assertRejects("completionTokens", () -> new Usage(0, -1, 0, 0, 0, 0));
        assertRejects("totalTokens", () -> new Usage(0, 0, -1, 0, 0, 0));
        assertRejects("cachedTokens", () -> new Usage(0, 0, 0, -1, 0, 0));
        assertRejects("cacheWriteTokens", () -> new Usage(0, 0, 0, 0, -1, 0));
        assertRejects("reasoningTokens", () -> new Usage(0, 0, 0, 0, 0, -1));
        assertEquals(new Usage(11, 22, 33, 4, 5, 6), new Usage(10, 20, 30, 4, 0, 6).plus(new Usage(1, 2, 3, 0, 5, 0)));
        assertEquals(Long.MAX_VALUE, new Usage(Long.MAX_VALUE, 0, 0, 0, 0, 0).plus(Usage.of(1, 0, 0)).promptTokens());
        assertEquals(Usage.ZERO, Usage.ZERO.plus(null));
    }

    @Test
    void responseAndDeltasRejectNulls() {
        assertRejects("content", () -> new ChatResponse(null, "", "", List.of(), List.of(), List.of(), null, null, null,
                null, null, ProviderState.NONE, java.util.Map.of(), List.of()));
        assertRejects("reasoning", () -> new ChatResponse("", null, "", List.of(), List.of(), List.of(), null, null, null,
                null, null, ProviderState.NONE, java.util.Map.of(), List.of()));
        assertRejects("model", () -> new ChatResponse("", "", "", List.of(), List.of(), List.of(), null, " ", null,
                null, null, ProviderState.NONE, java.util.Map.of(), List.of()));
        assertRejects("state", () -> new ChatResponse("", "", "", List.of(), List.of(), List.of(), null, null, null, null, null, null,
                java.util.Map.of(), List.of()));
        assertRejects("text", () -> ChatDelta.text(null));
        assertRejects("index", () -> new ChatDelta.ToolCallArguments(-1, "x"));
        assertRejects("id", () -> new ChatDelta.ToolCallStart(0, "", "f"));
        assertEquals(ChatDelta.Kind.REASONING, ChatDelta.reasoning("x").kind());
        assertEquals(ChatDelta.Kind.TOOL_CALL_END,
                new ChatDelta.ToolCallEnd(0, new ToolCall("c", "f", "{}", ToolCall.Status.COMPLETE)).kind());
    }

    @Test
    void providerStateIsCopiedAndNeverPrintsItsValues() {
        Map<String, String> values = new java.util.LinkedHashMap<>(Map.of("signature", "secret-ish"));
        ProviderState s = new ProviderState("anthropic", values);
        values.clear();
        assertEquals("secret-ish", s.values().get("signature"));
        assertFalse(s.toString().contains("secret-ish"), s.toString());
        assertTrue(ProviderState.NONE.isEmpty());
    }

    @Test
    void withMessagesReplacesTheMessagesAndKeepsEverySetting() {
        ChatRequest r = ChatRequest.builder().user("a").model("m").temperature(0.5).topP(0.9).maxTokens(10)
                .stop(List.of("x")).tools(ToolDefinition.builtin("$web_search")).toolChoice(ToolChoice.AUTO)
                .parallelToolCalls(false).responseFormat(ResponseFormat.JSON_OBJECT).build();
        ChatRequest next = r.withMessages(List.of(ChatMessage.system("s"), ChatMessage.user("b")));
        assertEquals(List.of(ChatMessage.system("s"), ChatMessage.user("b")), next.messages());
        assertEquals(r, next.withMessages(r.messages()), "every other component is kept");
        assertThrows(IllegalArgumentException.class, () -> r.withMessages(List.of(ChatMessage.toolResult(
                new ToolCall("c1", "f", "{}", ToolCall.Status.COMPLETE), "x"))), "the request's rules still hold");
    }

    @Test
    void citationsAndServerToolsAreValidated() {
        assertRejects("span", () -> new Citation(-1, 0, "t", null, null, null, "{}"));
        assertRejects("span", () -> new Citation(3, 2, "t", null, null, null, "{}"));
        assertRejects("type", () -> new Citation(0, 0, " ", null, null, null, "{}"));
        assertRejects("json", () -> new Citation(0, 0, "t", null, null, null, ""));
        assertRejects("json", () -> new Citation(0, 0, "t", null, null, null, null));
        assertRejects("type", () -> new Citation(0, 0, null, null, null, null, "{}"));
        new Citation(2, 2, "t", null, null, null, "{}");
        assertRejects("id", () -> new ServerToolUse(" ", "n", "{}", null, null));
        assertRejects("id", () -> new ServerToolUse(null, "n", "{}", null, null));
        assertRejects("name", () -> new ServerToolUse("i", "", "{}", null, null));
        assertRejects("name", () -> new ServerToolUse("i", null, "{}", null, null));
        assertRejects("input", () -> new ServerToolUse("i", "n", "", null, null));
        assertRejects("input", () -> new ServerToolUse("i", "n", null, null, null));
        assertRejects("result", () -> new ServerToolUse("i", "n", "{}", "t", null));
        assertRejects("result", () -> new ServerToolUse("i", "n", "{}", null, "[]"));
        assertRejects("refusal", () -> new ChatResponse("", "", null, List.of(), List.of(), List.of(), null, null, null,
                null, null, ProviderState.NONE, java.util.Map.of(), List.of()));
        assertRejects("citations", () -> new ChatResponse("", "", "", List.of(), null, List.of(), null, null, null,
                null, null, ProviderState.NONE, java.util.Map.of(), List.of()));
        assertRejects("providerFields", () -> new ChatResponse("", "", "", List.of(), List.of(), List.of(), null, null,
                null, null, null, ProviderState.NONE, null, List.of()));
        assertRejects("text", () -> new ChatDelta.Refusal(null));
        assertEquals(ChatDelta.Kind.REFUSAL, new ChatDelta.Refusal("no").kind());
        assertEquals(Usage.of(1, 2, 3), ChatResponse.of("x").withUsage(Usage.of(1, 2, 3)).usage());
    }
}
