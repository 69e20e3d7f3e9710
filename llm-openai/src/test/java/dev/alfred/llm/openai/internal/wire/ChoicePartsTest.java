package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.ChatDelta;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How choice 0 of a chunk becomes stream parts, tool-call entries above all; plain objects, no HTTP. */
class ChoicePartsTest {

    private final ChoiceParts parts = new ChoiceParts();
    private final List<ChatDelta> out = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private static Chunk.ToolFragment entry(long index, String id, String name, String arguments) {
        Chunk.ToolFragment f = new Chunk.ToolFragment();
        f.index = index;
        f.id = id;
        f.name = name;
        f.arguments = arguments;
        return f;
    }

    private void feed(Chunk.ToolFragment... entries) {
        Chunk c = new Chunk();
        for (Chunk.ToolFragment e : entries) {
            Chunk.ToolFragment f = c.nextTool();
            f.index = e.index;
            f.id = e.id;
            f.name = e.name;
            f.arguments = e.arguments;
            f.extraContent = e.extraContent;
        }
        parts.accept(c, out::add, warnings::add);
    }

    private static ChatDelta start(int index, String id, String name) {
        return new ChatDelta.ToolCallStart(index, id, name);
    }

    private static ChatDelta args(int index, String fragment) {
        return new ChatDelta.ToolCallArguments(index, fragment);
    }

    private static final long NONE = Chunk.ToolFragment.NO_INDEX;

    @Test
    void reasoningThenTextThenToolParts() {
        Chunk c = new Chunk();
        c.reasoning = "r";
        c.content = "t";
        Chunk.ToolFragment f = c.nextTool();
        f.index = 0;
        f.id = "a";
        f.name = "f";
        f.arguments = "{}";
        c.nextTool().index = 0; // an entry with nothing in it
        parts.accept(c, out::add, warnings::add);
        assertEquals(List.of(ChatDelta.reasoning("r"), ChatDelta.text("t"), start(0, "a", "f"), args(0, "{}")), out);
        Chunk empty = new Chunk();
        empty.content = "";
        empty.reasoning = "";
        parts.accept(empty, out::add, warnings::add);
        assertEquals(4, out.size(), "empty text and reasoning make no parts");
    }

    @Test
    void aStartedIndexIsNotStartedAgainAndItsFragmentsFollowIt() {
        feed(entry(1, "b", "g", ""));
        feed(entry(1, "b", "g", "{\"x\""));
        feed(entry(1, null, null, ":1}"));
        assertEquals(List.of(start(1, "b", "g"), args(1, "{\"x\""), args(1, ":1}")), out);
        assertEquals(List.of(), warnings);
    }

    @Test
    void indexlessEntriesWithANewIdStartCallsAndOthersContinueTheLatest() {
        feed(entry(NONE, "a", "f", "{"));
        feed(entry(NONE, null, null, "}"));
        feed(entry(NONE, "a", null, ""));
        feed(entry(NONE, "b", "g", "{}"));
        feed(entry(NONE, "", "", "x"));
        assertEquals(List.of(start(0, "a", "f"), args(0, "{"), args(0, "}"), start(1, "b", "g"), args(1, "{}"),
                args(1, "x")), out);
    }

    @Test
    void anIndexlessCallSkipsIndicesTheWireAlreadyUses() {
        feed(entry(0, "a", "f", ""));
        feed(entry(NONE, "b", "g", ""));
        feed(entry(2, "c", "h", ""));
        feed(entry(1, "d", "k", ""));
        assertEquals(List.of(start(0, "a", "f"), start(1, "b", "g"), start(2, "c", "h"), start(3, "d", "k")), out);
    }

    @Test
    void aFirstIndexlessEntryWithANameButNoIdStartsACallWithAGivenId() {
        feed(entry(NONE, null, "now", "{}"));
        assertEquals(List.of(start(0, "call_0", "now"), args(0, "{}")), out);
        assertEquals(List.of("tool call 0 (now) came without an id; it was given call_0"), warnings);
    }

    @Test
    void aCallWithoutANameIsNamedUnknownAndSaidSo() {
        feed(entry(4, "z", null, "{}"));
        assertEquals(List.of(start(4, "z", "unknown"), args(4, "{}")), out);
        assertEquals(List.of("tool call z came without a name"), warnings);
    }

    @Test
    void aFragmentForAnIndexNeverStartedKeepsItsIndexForTheAccumulatorToFold() {
        feed(entry(0, "a", "f", ""));
        feed(entry(5, null, null, "{}"));
        assertEquals(List.of(start(0, "a", "f"), args(5, "{}")), out);
    }

    @Test
    void anIndexBeyondIntIsTreatedAsNoIndex() {
        feed(entry(1L << 40, "a", "f", "{}"));
        assertEquals(List.of(start(0, "a", "f"), args(0, "{}")), out);
    }

    @Test
    void fragmentsBeforeAnyCallGoToIndexZero() {
        feed(entry(NONE, null, null, "{}"));
        assertEquals(List.of(args(0, "{}")), out);
    }

    @Test
    void reasoningDetailsAndExtraContentBecomeStateByCallId() {
        assertEquals(dev.alfred.llm.ProviderState.NONE, parts.state("openai"));
        Chunk first = new Chunk();
        first.reasoningDetails = "{\"a\":1}";
        parts.accept(first, out::add, warnings::add);
        Chunk.ToolFragment call = entry(0, "c1", "get_time", "{}");
        call.extraContent = "{\"g\":1}";
        feed(call);
        Chunk.ToolFragment unstarted = entry(5, null, null, "x");
        unstarted.extraContent = "{\"lost\":1}";
        feed(unstarted);
        Chunk second = new Chunk();
        second.reasoningDetails = "{\"b\":2}";
        parts.accept(second, out::add, warnings::add);
        assertEquals(new dev.alfred.llm.ProviderState("openai", java.util.Map.of("reasoning_details", "[{\"a\":1},{\"b\":2}]",
                "extra_content:c1", "{\"g\":1}")), parts.state("openai"));
        ChoiceParts onlyCall = new ChoiceParts();
        Chunk.ToolFragment c = entry(0, "c9", "f", null);
        c.extraContent = "{}";
        onlyCall.accept(c, d -> { }, w -> { });
        assertEquals(java.util.Map.of("extra_content:c9", "{}"), onlyCall.state("p").values());
    }

    @Test
    void anIndexlessEntryWithOnlyANameContinuesTheFirstCall() {
        feed(entry(NONE, "a", "f", "{\"x\":"), entry(NONE, null, "f", "1}"));
        assertEquals(List.of(start(0, "a", "f"), args(0, "{\"x\":"), args(0, "1}")), out);
    }

    @Test
    void theLargestIntIndexIsStillAnIndex() {
        feed(entry(Integer.MAX_VALUE, "big", "f", null));
        assertEquals(List.of(start(Integer.MAX_VALUE, "big", "f")), out);
    }
}
