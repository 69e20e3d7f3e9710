package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ToolCall;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Blocks by index: their parts, the calls that never stopped, and the state to send back. */
class BlocksTest {

    private final List<ChatDelta> parts = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Blocks blocks = new Blocks(parts::add, warnings::add);

    @Test
    void toolBlocksAreNumberedInOrderAndOnlyTheirNonEmptyFragmentsGoOut() {
        blocks.start(0, "text", null, null, "Hi", null, null);
        blocks.start(1, "tool_use", "a", "f", null, null, null);
        blocks.delta(1, "input_json_delta", "");
        blocks.delta(1, "input_json_delta", "{}");
        blocks.stop(1);
        blocks.start(2, "tool_use", "b", "g", null, null, null);
        blocks.delta(2, "citations_delta", "x");
        blocks.delta(2, null, "x");
        blocks.delta(2, "input_json_delta", null);
        assertEquals(List.of(ChatDelta.text("Hi"), new ChatDelta.ToolCallStart(0, "a", "f"), new ChatDelta.ToolCallArguments(0, "{}"),
                new ChatDelta.ToolCallStart(1, "b", "g")), parts);
        assertEquals(List.of(new ChatDelta.ToolCallEnd(1, new ToolCall("b", "g", "", ToolCall.Status.TRUNCATED))),
                blocks.unfinishedCalls());
        assertEquals(ProviderState.NONE, blocks.state("anthropic"), "no thinking, no state");
    }

    @Test
    void thinkingMakesStateOfEveryBlockInOrderEvenWhenTextFollows() {
        blocks.start(0, "thinking", null, null, "a", "s1", null);
        blocks.delta(0, "thinking_delta", "b");
        blocks.delta(0, "signature_delta", "s2");
        blocks.stop(0);
        blocks.start(1, "text", null, null, "", null, null);
        blocks.delta(1, "text_delta", "T");
        blocks.start(2, "tool_use", "u", "f", null, null, null);
        blocks.start(3, "server_tool_use", null, null, null, null, null);
        assertEquals(List.of(ChatDelta.reasoning("a"), ChatDelta.reasoning("b"), ChatDelta.text("T"),
                new ChatDelta.ToolCallStart(0, "u", "f")), parts);
        assertEquals(List.of("content block of type 'server_tool_use' was ignored"), warnings);
        assertEquals(new ProviderState("anthropic", Map.of("content", "[{\"type\":\"thinking\",\"thinking\":\"ab\",\"signature\":"
                + "\"s1s2\"},{\"type\":\"text\",\"text\":\"T\"},{\"type\":\"tool_use\",\"id\":\"u\",\"name\":\"f\"}]")),
                blocks.state("anthropic"));
    }

    @Test
    void redactedThinkingAloneIsStateAndATextBlockTakesNoSignature() {
        blocks.start(0, "redacted_thinking", null, null, null, null, "D");
        blocks.start(1, "redacted_thinking", null, null, null, null, null);
        blocks.start(2, "text", null, null, "x", null, null);
        assertEquals("[{\"type\":\"redacted_thinking\",\"data\":\"D\"},{\"type\":\"redacted_thinking\",\"data\":\"\"},"
                + "{\"type\":\"text\",\"text\":\"x\"}]", blocks.state("p").values().get("content"));
    }

    @Test
    void whatTheGrammarForbidsIsMalformed() {
        assertThrows(MalformedEventException.class, () -> blocks.start(-1, "text", null, null, "", null, null));
        blocks.start(0, "text", null, null, "", null, null);
        MalformedEventException again = assertThrows(MalformedEventException.class,
                () -> blocks.start(0, "text", null, null, "", null, null));
        assertTrue(again.getMessage().contains("already started"), again.getMessage());
        assertThrows(MalformedEventException.class, () -> blocks.start(1, "tool_use", null, "f", null, null, null));
        assertThrows(MalformedEventException.class, () -> blocks.start(2, "tool_use", "id", "", null, null, null));
        assertThrows(MalformedEventException.class, () -> blocks.delta(5, "text_delta", "x"));
        assertThrows(MalformedEventException.class, () -> blocks.stop(5));
        blocks.stop(0);
        MalformedEventException late = assertThrows(MalformedEventException.class, () -> blocks.delta(0, "text_delta", "x"));
        assertTrue(late.getMessage().contains("already stopped"), late.getMessage());
        blocks.start(3, null, null, null, null, null, null);
        assertEquals(List.of("content block of type '?' was ignored"), warnings);
    }
}
