package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ProviderState;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns choice 0 of each chunk of an OpenAI-compatible answer into stream parts: reasoning first,
 * then text, then the {@code tool_calls} entries as tool-call parts, keyed by the wire's
 * {@code index}:
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
 * Calls are never finished here: that happens only at the end of the answer. Not thread-safe.
 */
public final class ChoiceParts {

    private final Map<Long, Integer> started = new HashMap<>();
    private final Map<Integer, String> ids = new HashMap<>();
    private final StringBuilder reasoningDetails = new StringBuilder();
    private final Map<String, String> extraContent = new LinkedHashMap<>();
    private int nextIndex;
    private int latest = -1;
    private String latestId;

    /**
     * Emits the parts of one chunk's choice 0.
     *
     * @param chunk the chunk
     * @param parts where the parts go, in order
     * @param warn  where warnings go
     */
    public void accept(Chunk chunk, Consumer<ChatDelta> parts, Consumer<String> warn) {
        if (chunk.reasoning() != null && !chunk.reasoning().isEmpty()) {
            parts.accept(ChatDelta.reasoning(chunk.reasoning()));
        }
        if (chunk.content() != null && !chunk.content().isEmpty()) {
            parts.accept(ChatDelta.text(chunk.content()));
        }
        if (chunk.reasoningDetails() != null && !chunk.reasoningDetails().isEmpty()) {
            reasoningDetails.append(reasoningDetails.length() == 0 ? "" : ",").append(chunk.reasoningDetails());
        }
        for (int i = 0; i < chunk.toolCount(); i++) {
            accept(chunk.tool(i), parts, warn);
        }
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
     * @param f     the entry
     * @param parts where the parts go, in order
     * @param warn  where warnings go
     */
    void accept(Chunk.ToolFragment f, Consumer<ChatDelta> parts, Consumer<String> warn) {
        long wire = f.index() > Integer.MAX_VALUE ? Chunk.ToolFragment.NO_INDEX : f.index();
        String id = f.id() == null || f.id().isEmpty() ? null : f.id();
        String name = f.name() == null || f.name().isEmpty() ? null : f.name();
        int index;
        if (wire != Chunk.ToolFragment.NO_INDEX) {
            Integer known = started.get(wire);
            if (known != null) {
                index = known;
            } else if (id != null || name != null) {
                index = start(wire, id, name, parts, warn);
            } else {
                index = (int) wire; // never started: the accumulator folds it into the latest call
            }
        } else if (id != null && !id.equals(latestId) || latest < 0 && name != null) {
            index = start(Chunk.ToolFragment.NO_INDEX, id, name, parts, warn);
        } else {
            index = latest < 0 ? 0 : latest;
        }
        if (f.extraContent() != null && ids.containsKey(index)) {
            extraContent.put(ids.get(index), f.extraContent());
        }
        if (f.arguments() != null && !f.arguments().isEmpty()) {
            parts.accept(new ChatDelta.ToolCallArguments(index, f.arguments()));
        }
    }

    private int start(long wire, String id, String name, Consumer<ChatDelta> parts, Consumer<String> warn) {
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
            warn.accept("tool call " + (id != null ? id : String.valueOf(index)) + " came without a name");
            name = "unknown";
        }
        if (id == null) {
            id = "call_" + index;
            warn.accept("tool call " + index + " (" + name + ") came without an id; it was given " + id);
        }
        ids.put(index, id);
        parts.accept(new ChatDelta.ToolCallStart(index, id, name));
        return index;
    }
}
