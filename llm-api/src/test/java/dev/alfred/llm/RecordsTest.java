package dev.alfred.llm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordsTest {

    private static void assertRejects(String field, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(field), "message should name " + field + ": " + e.getMessage());
    }

    @Test
    void requestWithNullOrEmptyMessagesIsRejectedNamingTheField() {
        assertRejects("messages", () -> new ChatRequest(null, null, null, null, null, null));
        assertRejects("messages", () -> new ChatRequest(List.of(), null, null, null, null, null));
        assertRejects("messages", () -> ChatRequest.builder().build());
        assertRejects("messages[1]", () -> new ChatRequest(Arrays.asList(ChatMessage.user("a"), null), null, null, null, null, null));
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
        assertEquals(List.of(), r.stop());
    }

    @Test
    void requestCopiesItsListsDefensively() {
        List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.user("a")));
        List<String> stop = new ArrayList<>(List.of("END"));
        ChatRequest r = new ChatRequest(messages, null, null, null, null, stop);
        messages.add(ChatMessage.user("b"));
        stop.clear();
        assertEquals(1, r.messages().size());
        assertEquals(List.of("END"), r.stop());
        assertThrows(UnsupportedOperationException.class, () -> r.messages().add(ChatMessage.user("c")));
    }

    @Test
    void toBuilderKeepsEverySetting() {
        ChatRequest r = ChatRequest.builder().system("s").user("u").model("m").temperature(0.5).topP(0.9)
                .maxTokens(10).stop(List.of("x")).build();
        assertEquals(r, r.toBuilder().build());
        assertEquals(3, r.toBuilder().assistant("a").build().messages().size());
    }

    @Test
    void messagesAreValidated() {
        assertRejects("role", () -> new ChatMessage(null, "x"));
        assertRejects("content", () -> new ChatMessage(Role.USER, null));
        assertRejects("content", () -> ChatMessage.user(""));
        assertRejects("content", () -> ChatMessage.system(""));
        assertRejects("reasoning", () -> new ChatMessage(Role.USER, "x", "why"));
        assertEquals("", ChatMessage.assistant("").content(), "an assistant turn may be empty");
    }

    @Test
    void responseReplaysAsAnAssistantMessageWithItsReasoning() {
        ChatResponse r = new ChatResponse("42", "think", "m", null, FinishReason.STOP);
        assertEquals(ChatMessage.assistant("42", "think"), ChatMessage.of(r));
        assertNull(ChatMessage.of(new ChatResponse("42", "", null, null, null)).reasoning());
    }

    @Test
    void usageRejectsNegativeCountsNamingThem() {
        assertRejects("promptTokens", () -> new Usage(-1, 0, 0, 0, 0));
        assertRejects("completionTokens", () -> new Usage(0, -1, 0, 0, 0));
        assertRejects("totalTokens", () -> new Usage(0, 0, -1, 0, 0));
        assertRejects("cachedTokens", () -> new Usage(0, 0, 0, -1, 0));
        assertRejects("reasoningTokens", () -> new Usage(0, 0, 0, 0, -1));
    }

    @Test
    void responseAndDeltaRejectNulls() {
        assertRejects("content", () -> new ChatResponse(null, "", null, null, null));
        assertRejects("reasoning", () -> new ChatResponse("", null, null, null, null));
        assertRejects("model", () -> new ChatResponse("", "", " ", null, null));
        assertRejects("kind", () -> new ChatDelta(null, ""));
        assertRejects("text", () -> ChatDelta.text(null));
        assertTrue(ChatDelta.reasoning("x").isReasoning());
        assertTrue(ChatDelta.text("x").isText());
    }
}
