package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.ChatDelta;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How choice 0 of a chunk becomes stream parts, tool-call entries above all; plain objects, no HTTP. */
class ChoicePartsTest {

    private final ChoiceParts parts = new ChoiceParts(false);
    private final List<ChatDelta> out = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<dev.alfred.llm.Citation> citations = new ArrayList<>();
    private final java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    private final ChoiceParts.Sink sink = new ChoiceParts.Sink() {
        @Override
        public void part(ChatDelta part) {
            out.add(part);
        }

        @Override
        public void warn(String warning) {
            warnings.add(warning);
        }

        @Override
        public void citation(dev.alfred.llm.Citation citation) {
            citations.add(citation);
        }

        @Override
        public void field(String path, String json) {
            fields.put(path, json);
        }
    };

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
        parts.accept(c, sink);
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
        parts.accept(c, sink);
        assertEquals(List.of(ChatDelta.reasoning("r"), ChatDelta.text("t"), start(0, "a", "f"), args(0, "{}")), out);
        Chunk empty = new Chunk();
        empty.content = "";
        empty.reasoning = "";
        parts.accept(empty, sink);
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
        parts.accept(first, sink);
        Chunk.ToolFragment call = entry(0, "c1", "get_time", "{}");
        call.extraContent = "{\"g\":1}";
        feed(call);
        Chunk.ToolFragment unstarted = entry(5, null, null, "x");
        unstarted.extraContent = "{\"lost\":1}";
        feed(unstarted);
        Chunk second = new Chunk();
        second.reasoningDetails = "{\"b\":2}";
        parts.accept(second, sink);
        assertEquals(new dev.alfred.llm.ProviderState("openai", java.util.Map.of("reasoning_details", "[{\"a\":1},{\"b\":2}]",
                "extra_content:c1", "{\"g\":1}")), parts.state("openai"));
        ChoiceParts onlyCall = new ChoiceParts(false);
        Chunk.ToolFragment c = entry(0, "c9", "f", null);
        c.extraContent = "{}";
        onlyCall.accept(c, sink);
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

    @Test
    void aRefusalAnnotationsAndKeptFieldsGoToTheSink() {
        Chunk c = new Chunk();
        c.content = "The sky is blue.";
        c.refusal = "I can't";
        c.addAnnotation(new Chunk.Annotation("url_citation", "https://s", "Sky", "blue", 4, 15, "{\"type\":\"url_citation\"}"));
        c.addAnnotation(new Chunk.Annotation("file_citation", null, null, null, -1, -1, "{\"type\":\"file_citation\"}"));
        c.addExtra("system_fingerprint", "\"fp\"");
        parts.accept(c, sink);
        assertEquals(List.of(ChatDelta.text("The sky is blue."), new ChatDelta.Refusal("I can't")), out);
        assertEquals(new dev.alfred.llm.Citation(4, 15, "url_citation", "blue", "https://s", "Sky",
                "{\"type\":\"url_citation\"}"), citations.get(0));
        assertEquals(16, citations.get(1).start(), "without a span, a citation points where the text has reached");
        assertEquals(16, citations.get(1).end());
        assertEquals(java.util.Map.of("system_fingerprint", "\"fp\""), fields);
    }

    @Test
    void inAWholeMessageEachEntryIsItsOwnCallWhateverItsIndexOrId() {
        ChoiceParts whole = new ChoiceParts(true);
        Chunk c = new Chunk();
        for (String args : new String[] {"{\"city\":\"Paris\"}", "{\"city\":\"Rome\"}"}) {
            Chunk.ToolFragment f = c.nextTool();
            f.name = "weather";
            f.arguments = args;
        }
        whole.accept(c, sink);
        assertEquals(List.of(start(0, "call_0", "weather"), args(0, "{\"city\":\"Paris\"}"), start(1, "call_1", "weather"),
                args(1, "{\"city\":\"Rome\"}")), out, "two id-less entries of a body are two calls, never one");
    }

    @Test
    void usageMeansTheSameForEveryServer() {
        dev.alfred.llm.Usage xai = new dev.alfred.llm.Usage(291, 26, 544, 0, 0, 227);
        assertEquals(new dev.alfred.llm.Usage(291, 253, 544, 0, 0, 227), ChoiceParts.usage(xai, false),
                "xAI's completion leaves reasoning out: it is added, never clamped");
        assertEquals(xai, ChoiceParts.usage(xai, true));
        dev.alfred.llm.Usage none = dev.alfred.llm.Usage.of(1, 2, 3);
        assertEquals(none, ChoiceParts.usage(none, false));
        assertEquals(null, ChoiceParts.usage(null, false));
    }

    @Test
    void anIndexlessCallComesAfterTheHighestIndexInUseNotInAGapTheWireMayStillFill() {
        feed(entry(3, "a", "f", ""));
        feed(entry(NONE, "b", "g", ""));
        feed(entry(1, "c", "h", ""));
        assertEquals(List.of(start(3, "a", "f"), start(4, "b", "g"), start(1, "c", "h")), out);
    }

    @Test
    void aSpanStartingAtZeroOrEmptyIsTheServersAndABackwardOneIsNot() {
        Chunk c = new Chunk();
        c.content = "The sky is blue.";
        c.addAnnotation(new Chunk.Annotation("url_citation", "https://a", null, null, 0, 3, "{}"));
        c.addAnnotation(new Chunk.Annotation("url_citation", "https://b", null, null, 5, 5, "{}"));
        c.addAnnotation(new Chunk.Annotation("url_citation", "https://c", null, null, 9, 4, "{}"));
        c.addAnnotation(new Chunk.Annotation("url_citation", "https://d", null, null, 2, -1, "{}"));
        parts.accept(c, sink);
        List<List<Integer>> spans = new ArrayList<>();
        for (dev.alfred.llm.Citation citation : citations) {
            spans.add(List.of(citation.start(), citation.end()));
        }
        assertEquals(List.of(List.of(0, 3), List.of(5, 5), List.of(16, 16), List.of(16, 16)), spans);
    }
}
