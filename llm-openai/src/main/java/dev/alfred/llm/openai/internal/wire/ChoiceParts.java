package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Citation;
import dev.alfred.llm.Usage;
import dev.alfred.llm.ProviderState;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns choice 0 of each chunk of an OpenAI-compatible answer into stream parts: reasoning first,
 * then text, then a refusal, then the {@code tool_calls} entries as tool-call parts; annotations
 * ({@code url_citation}) become citations, and every field the decoder kept unmodelled goes to the
 * response's provider fields. In a stream, tool-call entries are keyed by the wire's {@code index}:
 * <ul>
 *   <li>an entry for an index not seen yet, with an id or a name, starts a call: the first non-empty
 *       id and name win; a missing id becomes {@code call_<index>} (said in a warning);</li>
 *   <li>an entry without a usable index starts a new call when it carries an id different from the
 *       latest call's (servers that send whole calls without an index), and otherwise continues the
 *       latest call;</li>
 *   <li>argument text becomes a fragment of its call; a fragment for an index that never started is
 *       passed on as is, and the {@link dev.alfred.llm.ResponseAccumulator} folds it into the latest
 *       call with a warning.</li>
 * </ul>
 * In a whole message (a non-streamed answer) each {@code tool_calls} entry is its own call, whatever its
 * index or id: a message cannot continue a call. Calls are never finished here: that happens only at
 * the end of the answer. Not thread-safe.
 */
public final class ChoiceParts {

    /** Where the parts and the rest of an answer go: a stream, or the accumulator of a whole answer. */
    public interface Sink {
        /**
         * A part of the answer.
         *
         * @param part the part
         */
        void part(ChatDelta part);

        /**
         * A warning for the response.
         *
         * @param warning the text
         */
        void warn(String warning);

        /**
         * A source cited for a span of the answer.
         *
         * @param citation the citation
         */
        void citation(Citation citation);

        /**
         * A field nobody models, kept as raw JSON.
         *
         * @param path where it was
         * @param json its value
         */
        void field(String path, String json);
    }

    private final boolean wholeMessage;
    private final Map<Long, Integer> started = new HashMap<>();
    private final Map<Integer, String> ids = new HashMap<>();
    private final StringBuilder reasoningDetails = new StringBuilder();
    private final Map<String, String> extraContent = new LinkedHashMap<>();
    private int nextIndex;
    private int latest = -1;
    private String latestId;
    private int textLength;

    /**
     * Parts for a stream's chunks, or for a whole message.
     *
     * @param wholeMessage true for a non-streamed answer: each tool-call entry is its own call
     */
    public ChoiceParts(boolean wholeMessage) {
        this.wholeMessage = wholeMessage;
    }

    /**
     * Emits the parts of one chunk's choice 0, its citations and its unmodelled fields.
     *
     * @param chunk the chunk
     * @param sink  where they go
     */
    public void accept(Chunk chunk, Sink sink) {
        if (chunk.reasoning() != null && !chunk.reasoning().isEmpty()) {
            sink.part(ChatDelta.reasoning(chunk.reasoning()));
        }
        if (chunk.content() != null && !chunk.content().isEmpty()) {
            sink.part(ChatDelta.text(chunk.content()));
            textLength += chunk.content().length();
        }
        if (chunk.refusal() != null && !chunk.refusal().isEmpty()) {
            sink.part(new ChatDelta.Refusal(chunk.refusal()));
        }
        if (chunk.reasoningDetails() != null && !chunk.reasoningDetails().isEmpty()) {
            reasoningDetails.append(reasoningDetails.length() == 0 ? "" : ",").append(chunk.reasoningDetails());
        }
        for (int i = 0; i < chunk.toolCount(); i++) {
            accept(chunk.tool(i), sink);
        }
        for (int i = 0; i < chunk.annotationCount(); i++) {
            sink.citation(citation(chunk.annotation(i)));
        }
        for (int i = 0; i < chunk.extraCount(); i++) {
            sink.field(chunk.extraPath(i), chunk.extraJson(i));
        }
    }

    /** An annotation as a citation: its span as the server gave it, else the point the text has reached. */
    private Citation citation(Chunk.Annotation a) {
        boolean span = a.start() >= 0 && a.end() >= a.start();
        return new Citation(span ? a.start() : textLength, span ? a.end() : textLength, a.type(), a.content(), a.url(),
                a.title(), a.json());
    }

    /**
     * Usage as this library means it, from a server's counts: where the server's completion count leaves
     * the reasoning out (xAI), the reasoning is added to it. Nothing is clamped.
     *
     * @param usage                       the counts as the server sent them, or null
     * @param completionIncludesReasoning whether the server's completion count includes reasoning
     * @return the usage, or null
     */
    public static Usage usage(Usage usage, boolean completionIncludesReasoning) {
        if (usage == null || completionIncludesReasoning || usage.reasoningTokens() == 0) {
            return usage;
        }
        long completion = usage.completionTokens() + usage.reasoningTokens();
        return new Usage(usage.promptTokens(), completion < 0 ? Long.MAX_VALUE : completion, usage.totalTokens(),
                usage.cachedTokens(), usage.cacheWriteTokens(), usage.reasoningTokens());
    }

    /**
     * What the answer carried that the server needs back verbatim on the next turn: OpenRouter's
     * {@code reasoning_details} and each tool call's {@code extra_content} (Gemini's thought
     * signatures).
     *
     * @param providerId the provider that owns the state
     * @return the state, or {@link ProviderState#NONE}
     */
    public ProviderState state(String providerId) {
        if (reasoningDetails.length() == 0 && extraContent.isEmpty()) {
            return ProviderState.NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (reasoningDetails.length() > 0) {
            values.put(ChunkDecoder.REASONING_DETAILS_KEY, "[" + reasoningDetails + "]");
        }
        extraContent.forEach((id, json) -> values.put(ChunkDecoder.EXTRA_CONTENT_KEY + id, json));
        return new ProviderState(providerId, values);
    }

    /**
     * Emits the parts of one tool-call entry.
     *
     * @param f    the entry
     * @param sink where the parts and warnings go
     */
    void accept(Chunk.ToolFragment f, Sink sink) {
        long wire = f.index() > Integer.MAX_VALUE ? Chunk.ToolFragment.NO_INDEX : f.index();
        String id = f.id() == null || f.id().isEmpty() ? null : f.id();
        String name = f.name() == null || f.name().isEmpty() ? null : f.name();
        int index;
        if (wholeMessage) {
            index = start(Chunk.ToolFragment.NO_INDEX, id, name, sink);
        } else if (wire != Chunk.ToolFragment.NO_INDEX) {
            Integer known = started.get(wire);
            if (known != null) {
                index = known;
            } else if (id != null || name != null) {
                index = start(wire, id, name, sink);
            } else {
                index = (int) wire; // never started: the accumulator folds it into the latest call
            }
        } else if (id != null && !id.equals(latestId) || latest < 0 && name != null) {
            index = start(Chunk.ToolFragment.NO_INDEX, id, name, sink);
        } else {
            index = latest < 0 ? 0 : latest;
        }
        if (f.extraContent() != null && ids.containsKey(index)) {
            extraContent.put(ids.get(index), f.extraContent());
        }
        if (f.arguments() != null && !f.arguments().isEmpty()) {
            sink.part(new ChatDelta.ToolCallArguments(index, f.arguments()));
        }
    }

    private int start(long wire, String id, String name, Sink sink) {
        int index = wire != Chunk.ToolFragment.NO_INDEX ? (int) wire : nextIndex;
        while (started.containsValue(index)) {
            index++;
        }
        if (wire != Chunk.ToolFragment.NO_INDEX) {
            started.put(wire, index);
        } else {
            started.put(Long.MIN_VALUE + index, index);
        }
        nextIndex = Math.max(nextIndex, index + 1);
        latest = index;
        latestId = id;
        if (name == null) {
            sink.warn("tool call " + (id != null ? id : String.valueOf(index)) + " came without a name");
            name = "unknown";
        }
        if (id == null) {
            id = "call_" + index;
            sink.warn("tool call " + index + " (" + name + ") came without an id; it was given " + id);
        }
        ids.put(index, id);
        sink.part(new ChatDelta.ToolCallStart(index, id, name));
        return index;
    }
}
