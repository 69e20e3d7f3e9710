package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Citation;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ServerToolUse;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.http.ToolCallIds;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content blocks of one answer, kept by their index (anthropic-api.md §8, rule 2), whether they
 * come whole in a body or as a stream's start, deltas and stop:
 *
 * <ul>
 *   <li>{@code text} and {@code thinking} become text and reasoning parts as they come; a thinking
 *       block's signature is appended to it; a text block's {@code citations} (whole, or as
 *       {@code citations_delta} before its text) become {@link Citation}s spanning the block's text in
 *       the folded content, once the block stops;</li>
 *   <li>a {@code tool_use} block becomes a tool-call start and one argument fragment per
 *       {@code input_json_delta}, its input given at the start continued by the deltas (Anthropic
 *       starts with {@code {}}, which counts as nothing). Its status is judged only when the answer
 *       ends ({@link #endCalls}): {@code TRUNCATED} when its block never stopped, the output hit its
 *       limit or was refused, or its arguments are an object cut off; {@code INVALID_JSON} when they are
 *       not a JSON object (an input that is a string, a fragment that is not a string); {@code {}}
 *       only for a call given no arguments;</li>
 *   <li>a server's own tool ({@code server_tool_use}, {@code mcp_tool_use}) and its result (any
 *       {@code *_tool_result}) become one {@link ServerToolUse}; a {@code fallback} block reports the
 *       model that served the turn;</li>
 *   <li>every field the port does not model ({@code caller}, a result's {@code is_error}) is kept as
 *       a provider field {@code content[i].<name>}, and a block of a type it does not know whole as
 *       {@code content[i]} (each named in a warning by the sink).</li>
 * </ul>
 *
 * The blocks are also kept, in their order, as the answer's provider state whenever a plain text and
 * tool-call replay would lose any of them (thinking and its signature, redacted thinking, server tools
 * and their encrypted results, citations, unknown blocks and fields) or a tool call's id is one the API
 * would refuse from another provider, so that the next turn sends them back as received. Not
 * thread-safe.
 */
public final class Blocks {

    private enum Kind { TEXT, THINKING, REDACTED, CALL, SERVER_USE, SERVER_RESULT, FALLBACK, OTHER }

    private static final class Block {
        final long index;
        final String type;
        final Kind kind;
        final int call;
        final String id;
        final String name;
        final String toolUseId;
        final StringBuilder text = new StringBuilder();
        final RawFields kept;
        StringBuilder signature;
        String data;
        String result;
        String to;
        List<String> citations;
        boolean citationsKey;
        int start;
        boolean broken;
        boolean stopped;
        StringBuilder deltas;
        int droppedDeltas;

        Block(long index, String type, Kind kind, int call, EventDecoder.Block b, RawFields kept) {
            this.index = index;
            this.type = type;
            this.kind = kind;
            this.call = call;
            this.id = b.id;
            this.name = b.name;
            this.toolUseId = b.toolUseId;
            this.kept = kept;
        }
    }

    /** Anthropic's rule for tool-call ids; an answer with an id outside it keeps state, which says whose it is. */
    private static final ToolCallIds IDS = ToolCallIds.wordCharacters();

    private final AnswerSink sink;
    private final Map<Long, Block> blocks = new LinkedHashMap<>();
    private Block last;
    private int calls;
    private int textLength;
    private boolean ended;

    /**
     * Blocks whose parts and findings go to a sink.
     *
     * @param sink where they go
     */
    public Blocks(AnswerSink sink) {
        this.sink = sink;
    }

    private static Kind kind(String type) {
        switch (type) {
            case "text": return Kind.TEXT;
            case "thinking": return Kind.THINKING;
            case "redacted_thinking": return Kind.REDACTED;
            case "tool_use": return Kind.CALL;
            case "fallback": return Kind.FALLBACK;
            default:
                if (type.endsWith("_tool_use")) {
                    return Kind.SERVER_USE;
                }
                return type.endsWith("_tool_result") ? Kind.SERVER_RESULT : Kind.OTHER;
        }
    }

    /**
     * A block starts (a body's block starts and stops at once).
     *
     * @param index its index
     * @param b     the block as it starts
     * @throws MalformedEventException for an index already started or negative, a tool use without id or
     *                                 name, a tool result without {@code tool_use_id}
     */
    public void start(long index, EventDecoder.Block b) {
        if (index < 0 || blocks.containsKey(index)) {
            throw new MalformedEventException("content_block_start for block " + index + (index < 0 ? " (no index)"
                    : ", which already started"));
        }
        String type = b.type == null ? "?" : b.type;
        Kind kind = kind(type);
        if ((kind == Kind.CALL || kind == Kind.SERVER_USE) && (isBlank(b.id) || isBlank(b.name))) {
            throw new MalformedEventException(type + " block " + index + " without an id or a name");
        }
        if (kind == Kind.SERVER_RESULT && isBlank(b.toolUseId)) {
            throw new MalformedEventException(type + " block " + index + " without a tool_use_id");
        }
        Block block = new Block(index, type, kind, kind == Kind.CALL ? calls++ : -1, b, kept(kind, b));
        blocks.put(index, block);
        last = block;
        if (kind != Kind.OTHER && block.kept != null) {
            for (int i = 0; i < block.kept.size(); i++) {
                sink.providerField("content[" + index + "]." + block.kept.name(i), block.kept.value(i));
            }
        }
        switch (kind) {
            case TEXT:
                block.start = textLength;
                String citations = b.extra("citations");
                if (citations != null) {
                    block.citationsKey = true;
                    for (String c : RawJson.elements(citations)) {
                        citation(block, c);
                    }
                }
                append(block, b.text);
                break;
            case THINKING:
                append(block, b.thinking);
                if (b.signature != null) {
                    signature(block).append(b.signature);
                }
                break;
            case REDACTED:
                block.data = b.data == null ? "" : b.data;
                break;
            case CALL:
                sink.part(new ChatDelta.ToolCallStart(block.call, block.id, block.name));
                input(block, b.input);
                break;
            case SERVER_USE:
                input(block, b.input);
                break;
            case SERVER_RESULT:
                block.result = b.extra("content") == null ? "null" : b.extra("content");
                break;
            case FALLBACK:
                block.to = b.extra("to");
                String model = RawJson.string(block.to, "model");
                if (model != null && !model.isBlank()) {
                    sink.model(model);
                } else {
                    sink.warn("fallback block " + index + " names no model it fell back to");
                }
                break;
            default:
                break;
        }
    }

    /** The fields of a block the port does not model, or null when there are none. */
    private static RawFields kept(Kind kind, EventDecoder.Block b) {
        boolean use = kind == Kind.CALL || kind == Kind.SERVER_USE;
        RawFields kept = scalar(null, "text", b.text, kind == Kind.TEXT);
        kept = scalar(kept, "thinking", b.thinking, kind == Kind.THINKING);
        kept = scalar(kept, "signature", b.signature, kind == Kind.THINKING);
        kept = scalar(kept, "data", b.data, kind == Kind.REDACTED);
        kept = scalar(kept, "id", b.id, use);
        kept = scalar(kept, "name", b.name, use);
        kept = scalar(kept, "tool_use_id", b.toolUseId, kind == Kind.SERVER_RESULT);
        if (b.input != null && !use) {
            kept = add(kept, "input", b.input);
        }
        for (int i = 0; i < b.extraCount(); i++) {
            String name = b.extras.name(i);
            boolean modelled = kind == Kind.TEXT && name.equals("citations")
                    || kind == Kind.SERVER_RESULT && name.equals("content")
                    || kind == Kind.FALLBACK && name.equals("to");
            if (!modelled) {
                kept = add(kept, name, b.extras.value(i));
            }
        }
        return kept;
    }

    /** A scalar of the block, kept as a JSON string unless its kind models it. */
    private static RawFields scalar(RawFields kept, String name, String value, boolean modelled) {
        return value == null || modelled ? kept : add(kept, name, RawJson.quote(value));
    }

    private static RawFields add(RawFields kept, String name, String json) {
        RawFields k = kept == null ? new RawFields() : kept;
        k.add(name, json);
        return k;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** A tool use's input as it starts: {@code {}} is nothing yet, any other object the arguments so far. */
    private void input(Block b, String input) {
        if (input == null || input.equals(RawJson.EMPTY_OBJECT)) {
            return;
        }
        if (input.charAt(0) != '{') {
            b.broken = true;
            sink.warn(b.type + " block " + b.index + " (" + b.name + ") has an input that is not a JSON object: "
                    + snippet(input));
        }
        arguments(b, input);
    }

    private void arguments(Block b, String fragment) {
        if (fragment.isEmpty()) {
            return;
        }
        b.text.append(fragment);
        if (b.kind == Kind.CALL) {
            sink.part(new ChatDelta.ToolCallArguments(b.call, fragment));
        }
    }

    /**
     * A block grows.
     *
     * @param index its index
     * @param e     the {@code content_block_delta} event
     * @return whether the event's fields that the port does not model were taken into the block (an
     *         unknown delta kept whole), so the caller must not keep them again
     * @throws MalformedEventException for a block that never started or already stopped, or text,
     *                                 thinking or a signature that is not a string
     */
    public boolean delta(long index, Event e) {
        Block b = last != null && last.index == index ? last : blocks.get(index);
        if (b == null || b.stopped) {
            throw new MalformedEventException("content_block_delta for block " + index
                    + (b == null ? ", which never started" : ", which already stopped"));
        }
        last = b;
        String type = e.deltaType;
        String value = e.deltaValue;
        if (type != null && value != null) {
            switch (type) {
                case "text_delta":
                case "thinking_delta":
                    if (b.kind == (type.equals("text_delta") ? Kind.TEXT : Kind.THINKING)) {
                        notString(e, b);
                        append(b, value);
                        return false;
                    }
                    break;
                case "signature_delta":
                    if (b.kind == Kind.THINKING) {
                        notString(e, b);
                        signature(b).append(value);
                        return false;
                    }
                    break;
                case "input_json_delta":
                    if (b.kind == Kind.CALL || b.kind == Kind.SERVER_USE) {
                        if (e.deltaNotString && !b.broken) {
                            b.broken = true;
                            sink.warn(b.type + " block " + index + " (" + b.name + ") got an input_json_delta whose"
                                    + " partial_json is not a string: " + snippet(value));
                        }
                        arguments(b, value);
                        return false;
                    }
                    break;
                case "citations_delta":
                    if (b.kind == Kind.TEXT) {
                        b.citationsKey = true;
                        citation(b, value);
                        return false;
                    }
                    break;
                default:
                    break;
            }
        } else if (type != null && value == null && e.extraCount() == 0 && isKnownDelta(type)) {
            return false; // a known delta without its value carries nothing
        }
        unknownDelta(b, e);
        return true;
    }

    private static boolean isKnownDelta(String type) {
        return type.equals("text_delta") || type.equals("thinking_delta") || type.equals("signature_delta")
                || type.equals("input_json_delta") || type.equals("citations_delta");
    }

    private static void notString(Event e, Block b) {
        if (e.deltaNotString) {
            throw new MalformedEventException(e.deltaType + " for block " + b.index + " is not a string: "
                    + snippet(e.deltaValue));
        }
    }

    /**
     * A delta of a type the block does not take, kept whole: {@code content[i].deltas}, in order, once
     * the block ends.
     */
    private void unknownDelta(Block b, Event e) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = RawJson.JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            if (e.deltaType != null) {
                g.writeStringProperty("type", e.deltaType);
            }
            if (e.deltaValue != null) {
                g.writeName("value");
                if (e.deltaNotString || e.deltaType != null && e.deltaType.equals("citations_delta")) {
                    g.writeRawValue(e.deltaValue);
                } else {
                    g.writeString(e.deltaValue);
                }
            }
            for (int i = 0; i < e.extraCount(); i++) {
                g.writeName(e.extras().name(i));
                g.writeRawValue(e.extras().value(i));
            }
            g.writeEndObject();
        }
        if (b.deltas == null) {
            b.deltas = new StringBuilder("[");
        } else if (b.deltas.length() + out.getBuffer().length() > AnswerFolder.MAX_UNKNOWN_CHARS) {
            b.droppedDeltas++;
            return;
        } else {
            b.deltas.append(',');
        }
        b.deltas.append(out.getBuffer());
    }

    private static StringBuilder signature(Block b) {
        if (b.signature == null) {
            b.signature = new StringBuilder();
        }
        return b.signature;
    }

    private void citation(Block b, String json) {
        if (b.citations == null) {
            b.citations = new ArrayList<>();
        }
        b.citations.add(json);
    }

    private void append(Block b, String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        b.text.append(text);
        if (b.kind == Kind.TEXT) {
            textLength += text.length();
            sink.part(ChatDelta.text(text));
        } else {
            sink.part(ChatDelta.reasoning(text));
        }
    }

    /**
     * A block is complete: a text block's citations and a server tool (or its result) are reported, an
     * unknown block kept whole.
     *
     * @param index its index
     * @throws MalformedEventException for a block that never started
     */
    public void stop(long index) {
        Block b = blocks.get(index);
        if (b == null) {
            throw new MalformedEventException("content_block_stop for block " + index + ", which never started");
        }
        if (!b.stopped) {
            b.stopped = true;
            finish(b);
        }
    }

    private void finish(Block b) {
        if (b.deltas != null) {
            sink.providerField("content[" + b.index + "].deltas", b.deltas + "]");
            if (b.droppedDeltas > 0) {
                sink.warn(b.droppedDeltas + " deltas of block " + b.index + " that this version does not know were"
                        + " dropped past " + AnswerFolder.MAX_UNKNOWN_CHARS + " characters of them");
            }
        }
        switch (b.kind) {
            case TEXT:
                if (b.citations != null) {
                    for (String c : b.citations) {
                        String type = RawJson.string(c, "type");
                        String title = RawJson.string(c, "title");
                        sink.citation(new Citation(b.start, textLength, type == null || type.isBlank() ? "unknown" : type,
                                RawJson.string(c, "cited_text"), RawJson.string(c, "url"),
                                title != null ? title : RawJson.string(c, "document_title"), c));
                    }
                }
                break;
            case SERVER_USE:
                sink.serverTool(new ServerToolUse(b.id, b.name, b.text.length() == 0 ? RawJson.EMPTY_OBJECT
                        : b.text.toString(), null, null));
                break;
            case SERVER_RESULT:
                ServerToolUse use = sink.serverTool(b.toolUseId);
                if (use == null) {
                    sink.warn(b.type + " block " + b.index + " answers server tool use " + b.toolUseId
                            + ", which this answer did not carry");
                    String name = b.type.substring(0, b.type.length() - "_tool_result".length());
                    use = new ServerToolUse(b.toolUseId, name.isEmpty() ? b.type : name, RawJson.EMPTY_OBJECT, null, null);
                }
                sink.serverTool(use.withResult(b.type, b.result));
                break;
            case OTHER:
                sink.providerField("content[" + b.index + "]", json(b));
                break;
            default:
                break;
        }
    }

    /**
     * Ends the answer's blocks: a block that never stopped is finished as if it had (its citations,
     * server tool or unknown content kept), and each tool call is judged, in the order the calls
     * started. Once: a second call ends nothing.
     *
     * @param reason why the output ended, or null
     * @return the end parts of the tool calls
     */
    public List<ChatDelta.ToolCallEnd> endCalls(FinishReason reason) {
        if (ended) {
            return List.of();
        }
        ended = true;
        List<ChatDelta.ToolCallEnd> ends = new ArrayList<>(calls);
        boolean cut = reason == FinishReason.LENGTH || reason == FinishReason.REFUSAL;
        for (Block b : blocks.values()) {
            boolean stopped = b.stopped;
            if (!stopped) {
                b.stopped = true;
                finish(b);
            }
            if (b.kind != Kind.CALL) {
                continue;
            }
            String args = b.text.toString();
            ToolCall.Status status;
            if (!stopped || cut) {
                status = ToolCall.Status.TRUNCATED;
            } else if (b.broken) {
                status = ToolCall.Status.INVALID_JSON;
            } else if (args.isBlank()) {
                args = RawJson.EMPTY_OBJECT;
                status = ToolCall.Status.COMPLETE;
            } else {
                RawJson.Shape shape = RawJson.shape(args);
                status = shape == RawJson.Shape.OBJECT ? ToolCall.Status.COMPLETE
                        : shape == RawJson.Shape.CUT ? ToolCall.Status.TRUNCATED : ToolCall.Status.INVALID_JSON;
            }
            ends.add(new ChatDelta.ToolCallEnd(b.call, new ToolCall(b.id, b.name, args, status)));
        }
        return ends;
    }

    /**
     * The blocks as the next turn must send them back, when a replay of the text and the tool calls
     * alone would lose something: thinking with its signature, redacted thinking, server tools and their
     * results, citations, unknown blocks and fields, all in their order; a tool_use block by its id (its
     * input comes from the replayed message). Empty text blocks are left out (the API refuses them).
     *
     * @param providerId the provider that owns the state
     * @param always     whether to keep the blocks even when nothing would be lost ({@code pause_turn})
     * @return the state, or {@link ProviderState#NONE}
     */
    public ProviderState state(String providerId, boolean always) {
        boolean needed = always;
        for (Block b : blocks.values()) {
            needed |= b.kept != null || b.citations != null || b.kind != Kind.TEXT && b.kind != Kind.CALL
                    || b.kind == Kind.CALL && !IDS.accepts(b.id);
        }
        if (!needed) {
            return ProviderState.NONE;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = RawJson.JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartArray();
            for (Block b : blocks.values()) {
                if (b.kind == Kind.TEXT && b.text.length() == 0 && b.citations == null && b.kept == null) {
                    continue;
                }
                g.writeRawValue(json(b));
            }
            g.writeEndArray();
        }
        return new ProviderState(providerId, Map.of(RequestEncoder.CONTENT_KEY, out.toString()));
    }

    /** A block as JSON: its type, what the port modelled of it, and every field kept. */
    private static String json(Block b) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = RawJson.JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            if (!b.type.equals("?")) {
                g.writeStringProperty("type", b.type);
            }
            switch (b.kind) {
                case TEXT:
                    g.writeStringProperty("text", b.text.toString());
                    if (b.citationsKey) {
                        g.writeName("citations");
                        g.writeStartArray();
                        if (b.citations != null) {
                            for (String c : b.citations) {
                                g.writeRawValue(c);
                            }
                        }
                        g.writeEndArray();
                    }
                    break;
                case THINKING:
                    g.writeStringProperty("thinking", b.text.toString());
                    g.writeStringProperty("signature", b.signature == null ? "" : b.signature.toString());
                    break;
                case REDACTED:
                    g.writeStringProperty("data", b.data);
                    break;
                case CALL:
                    g.writeStringProperty("id", b.id);
                    g.writeStringProperty("name", b.name);
                    break;
                case SERVER_USE:
                    g.writeStringProperty("id", b.id);
                    g.writeStringProperty("name", b.name);
                    g.writeName("input");
                    String input = b.text.toString();
                    g.writeRawValue(!b.broken && RawJson.shape(input) == RawJson.Shape.OBJECT ? input : RawJson.EMPTY_OBJECT);
                    break;
                case SERVER_RESULT:
                    g.writeStringProperty("tool_use_id", b.toolUseId);
                    g.writeName("content");
                    g.writeRawValue(b.result);
                    break;
                case FALLBACK:
                    if (b.to != null) {
                        g.writeName("to");
                        g.writeRawValue(b.to);
                    }
                    break;
                default:
                    break;
            }
            if (b.kept != null) {
                for (int i = 0; i < b.kept.size(); i++) {
                    g.writeName(b.kept.name(i));
                    g.writeRawValue(b.kept.value(i));
                }
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    private static String snippet(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
