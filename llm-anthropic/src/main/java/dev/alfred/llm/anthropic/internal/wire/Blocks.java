package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ToolCall;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The content blocks of one answer, kept by their index (anthropic-api.md §8, rule 2): text and
 * thinking become text and reasoning parts as they come; a {@code tool_use} block becomes a tool-call
 * start, then one argument fragment per {@code input_json_delta} (its input is judged only when the
 * answer ends, so a call cut off by {@code max_tokens} is {@code TRUNCATED}, and an empty input is
 * {@code {}}); a signature is appended to its thinking block; a {@code redacted_thinking} block comes
 * whole. Unknown block and delta types are ignored. The blocks, thinking with their signatures and in
 * their order, are kept as the answer's provider state, to be sent back unmodified. Not thread-safe.
 */
public final class Blocks {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final class Block {
        final String type;
        final int call;
        final String id;
        final String name;
        final StringBuilder text = new StringBuilder();
        final StringBuilder signature = new StringBuilder();
        String data;
        boolean stopped;

        Block(String type, int call, String id, String name) {
            this.type = type;
            this.call = call;
            this.id = id;
            this.name = name;
        }
    }

    private final Consumer<ChatDelta> parts;
    private final Consumer<String> warn;
    private final Map<Long, Block> blocks = new LinkedHashMap<>();
    private int calls;
    private boolean thinking;

    /**
     * Blocks whose parts go to a consumer.
     *
     * @param parts where parts go, in order
     * @param warn  where warnings go
     */
    public Blocks(Consumer<ChatDelta> parts, Consumer<String> warn) {
        this.parts = parts;
        this.warn = warn;
    }

    /**
     * A block starts.
     *
     * @param index     its index
     * @param type      its type
     * @param id        a tool_use block's id
     * @param name      a tool_use block's name
     * @param text      the text or thinking it starts with
     * @param signature the signature it starts with
     * @param data      a redacted_thinking block's data
     * @throws MalformedEventException for an index already started, or a tool_use without id or name
     */
    public void start(long index, String type, String id, String name, String text, String signature, String data) {
        if (index < 0 || blocks.containsKey(index)) {
            throw new MalformedEventException("content_block_start for block " + index + (index < 0 ? " (no index)"
                    : ", which already started"));
        }
        String t = type == null ? "?" : type;
        Block b;
        if (t.equals("tool_use")) {
            if (id == null || id.isEmpty() || name == null || name.isEmpty()) {
                throw new MalformedEventException("tool_use block " + index + " without an id or a name");
            }
            b = new Block(t, calls++, id, name);
            parts.accept(new ChatDelta.ToolCallStart(b.call, id, name));
        } else {
            b = new Block(t, -1, null, null);
        }
        blocks.put(index, b);
        switch (t) {
            case "text":
            case "thinking":
                append(b, text);
                if (signature != null) {
                    b.signature.append(signature);
                }
                thinking |= t.equals("thinking");
                break;
            case "redacted_thinking":
                b.data = data == null ? "" : data;
                thinking = true;
                break;
            case "tool_use":
                break;
            default:
                warn.accept("content block of type '" + t + "' was ignored");
        }
    }

    /**
     * A block grows.
     *
     * @param index     its index
     * @param deltaType the delta's type
     * @param value     the delta's text, partial JSON, thinking or signature
     * @throws MalformedEventException for a block that never started or already stopped
     */
    public void delta(long index, String deltaType, String value) {
        Block b = blocks.get(index);
        if (b == null || b.stopped) {
            throw new MalformedEventException("content_block_delta for block " + index
                    + (b == null ? ", which never started" : ", which already stopped"));
        }
        if (deltaType == null || value == null) {
            return;
        }
        switch (deltaType) {
            case "text_delta":
            case "thinking_delta":
                append(b, value);
                break;
            case "signature_delta":
                b.signature.append(value);
                break;
            case "input_json_delta":
                if (b.call >= 0 && !value.isEmpty()) {
                    b.text.append(value);
                    parts.accept(new ChatDelta.ToolCallArguments(b.call, value));
                }
                break;
            default:
                break; // citations and deltas of types added later carry nothing the port keeps
        }
    }

    private void append(Block b, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        b.text.append(text);
        if (b.type.equals("text")) {
            parts.accept(ChatDelta.text(text));
        } else if (b.type.equals("thinking")) {
            parts.accept(ChatDelta.reasoning(text));
        }
    }

    /**
     * A block is complete.
     *
     * @param index its index
     * @throws MalformedEventException for a block that never started
     */
    public void stop(long index) {
        Block b = blocks.get(index);
        if (b == null) {
            throw new MalformedEventException("content_block_stop for block " + index + ", which never started");
        }
        b.stopped = true;
    }

    /**
     * The ends of the tool calls whose block never stopped, {@code TRUNCATED}: never run a tool on
     * input that did not reach {@code content_block_stop}.
     *
     * @return their end parts
     */
    public List<ChatDelta.ToolCallEnd> unfinishedCalls() {
        List<ChatDelta.ToolCallEnd> ends = new ArrayList<>();
        for (Block b : blocks.values()) {
            if (b.call >= 0 && !b.stopped) {
                ends.add(new ChatDelta.ToolCallEnd(b.call, new ToolCall(b.id, b.name, b.text.toString(),
                        ToolCall.Status.TRUNCATED)));
            }
        }
        return ends;
    }

    /**
     * The blocks as the next turn must send them back, when the answer had thinking: thinking with
     * its signature and redacted thinking verbatim, text verbatim, tool_use by id.
     *
     * @param providerId the provider that owns the state
     * @return the state, or {@link ProviderState#NONE} when there was no thinking
     */
    public ProviderState state(String providerId) {
        if (!thinking) {
            return ProviderState.NONE;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartArray();
            for (Block b : blocks.values()) {
                switch (b.type) {
                    case "thinking":
                        g.writeStartObject();
                        g.writeStringProperty("type", "thinking");
                        g.writeStringProperty("thinking", b.text.toString());
                        g.writeStringProperty("signature", b.signature.toString());
                        g.writeEndObject();
                        break;
                    case "redacted_thinking":
                        g.writeStartObject();
                        g.writeStringProperty("type", "redacted_thinking");
                        g.writeStringProperty("data", b.data);
                        g.writeEndObject();
                        break;
                    case "text":
                        g.writeStartObject();
                        g.writeStringProperty("type", "text");
                        g.writeStringProperty("text", b.text.toString());
                        g.writeEndObject();
                        break;
                    case "tool_use":
                        g.writeStartObject();
                        g.writeStringProperty("type", "tool_use");
                        g.writeStringProperty("id", b.id);
                        g.writeStringProperty("name", b.name);
                        g.writeEndObject();
                        break;
                    default:
                        break;
                }
            }
            g.writeEndArray();
        }
        return new ProviderState(providerId, Map.of(RequestEncoder.CONTENT_KEY, out.toString()));
    }
}
