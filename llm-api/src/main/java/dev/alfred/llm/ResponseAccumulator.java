package dev.alfred.llm;

import dev.alfred.llm.internal.JsonText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the parts of a streamed answer into a {@link ChatResponse}, the same way for every provider:
 * {@link dev.alfred.llm.spi.AbstractChatStream} uses one per stream, and an application that reads a
 * {@link LlmProvider#publisher publisher} can use one too.
 *
 * <p>Tool calls are kept by their index, so fragments of parallel calls never mix; their arguments
 * are appended once each (holding them costs their size, never a quadratic copy). A fragment for an
 * index that never started is folded into the latest call and said so in a warning, as the Vercel AI
 * SDK does. A call is judged only when the answer ends: {@link #endToolCalls()} marks each open call
 * {@code TRUNCATED} when the output hit its limit, was filtered or refused, {@code INVALID_JSON} when its arguments are not a
 * JSON object, else {@code COMPLETE}; empty arguments count as {@code {}}. {@link #partialResponse()}
 * gives what a failed stream had, its open calls {@code TRUNCATED}.
 *
 * <p>Bounded by {@link ResponseLimits}: text or reasoning past {@code maxTextChars}, more than
 * {@code maxToolCalls} calls, or one call's arguments past {@code maxArgumentChars} throw a
 * {@link ResponseTooLargeException} holding the answer up to there. Not thread-safe: one reader.
 */
public final class ResponseAccumulator {

    private final String providerId;
    private final int maxTextChars;
    private final int maxToolCalls;
    private final int maxArgumentChars;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final StringBuilder refusal = new StringBuilder();
    private List<Citation> citations;
    private Map<String, ServerToolUse> serverTools;
    private Map<String, List<String>> providerFields;
    private final Map<Integer, Slot> calls = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private Slot latest;
    private String id;
    private String model;
    private Usage usage;
    private FinishReason finishReason;
    private String rawFinishReason;
    private ProviderState state = ProviderState.NONE;

    /** An open or finished tool call. */
    private static final class Slot {
        final int index;
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();
        ToolCall finished;

        Slot(int index, String id, String name) {
            this.index = index;
            this.id = id;
            this.name = name;
        }
    }

    /** An accumulator with the {@linkplain ResponseLimits#DEFAULT default bounds} and no provider id in its exceptions. */
    public ResponseAccumulator() {
        this(null, ResponseLimits.DEFAULT);
    }

    /**
     * An accumulator with chosen bounds.
     *
     * @param providerId the provider, named in exceptions; may be null
     * @param limits     the bounds
     * @throws NullPointerException if limits is null
     */
    public ResponseAccumulator(String providerId, ResponseLimits limits) {
        this.providerId = providerId;
        this.maxTextChars = limits.maxTextChars();
        this.maxToolCalls = limits.maxToolCalls();
        this.maxArgumentChars = limits.maxArgumentChars();
    }

    /**
     * Folds in one part.
     *
     * @param delta the part
     * @throws ResponseTooLargeException   past a bound
     * @throws ProviderUnavailableException for an argument fragment when no call has started
     * @throws NullPointerException        if delta is null
     */
    public void accept(ChatDelta delta) {
        if (delta instanceof ChatDelta.Text t) {
            append(content, t.text(), "text");
        } else if (delta instanceof ChatDelta.Reasoning r) {
            append(reasoning, r.text(), "reasoning");
        } else if (delta instanceof ChatDelta.Refusal r) {
            append(refusal, r.text(), "refusal");
        } else if (delta instanceof ChatDelta.ToolCallStart s) {
            start(s);
        } else if (delta instanceof ChatDelta.ToolCallArguments a) {
            arguments(a);
        } else if (delta instanceof ChatDelta.ToolCallEnd e) {
            Slot slot = calls.get(e.index());
            if (slot == null) {
                start(new ChatDelta.ToolCallStart(e.index(), e.call().id(), e.call().name()));
                slot = calls.get(e.index());
            }
            slot.finished = e.call();
        } else {
            throw new NullPointerException("delta");
        }
    }

    private void append(StringBuilder to, String text, String what) {
        if (text.length() > maxTextChars - to.length()) {
            throw tooLarge("the answer's " + what + " exceeds " + maxTextChars + " characters", "maxTextChars");
        }
        to.append(text);
    }

    private ResponseTooLargeException tooLarge(String what, String setting) {
        return new ResponseTooLargeException(prefix() + what + " (the provider's " + setting + " setting)",
                providerId, partialResponse());
    }

    private void start(ChatDelta.ToolCallStart s) {
        Slot existing = calls.get(s.index());
        if (existing != null) {
            if (!existing.id.equals(s.id()) || !existing.name.equals(s.name())) {
                warn("tool call " + s.index() + " started again as " + s.name() + " (" + s.id() + "); kept "
                        + existing.name + " (" + existing.id + ")");
            }
            return;
        }
        if (calls.size() >= maxToolCalls) {
            throw tooLarge("the answer has more than " + maxToolCalls + " tool calls", "maxToolCalls");
        }
        latest = new Slot(s.index(), s.id(), s.name());
        calls.put(s.index(), latest);
    }

    private void arguments(ChatDelta.ToolCallArguments a) {
        Slot slot = calls.get(a.index());
        if (slot == null) {
            if (latest == null) {
                throw new ProviderUnavailableException(prefix() + "malformed stream: arguments for tool call "
                        + a.index() + " before any call started", providerId, -1, null, null, null);
            }
            slot = latest;
            warn("arguments for tool call " + a.index() + ", which never started, folded into call "
                    + slot.index + " (" + slot.name + ")");
        }
        if (slot.finished != null) {
            warn("arguments for tool call " + slot.index + " after it ended were dropped");
            return;
        }
        if (a.fragment().length() > maxArgumentChars - slot.arguments.length()) {
            throw tooLarge("the arguments of tool call " + slot.index + " (" + slot.name + ") exceed "
                    + maxArgumentChars + " characters", "maxToolArgumentChars");
        }
        slot.arguments.append(a.fragment());
    }

    /**
     * Records a source cited for a span of the text folded so far.
     *
     * @param citation the citation
     * @throws NullPointerException if citation is null
     */
    public void citation(Citation citation) {
        java.util.Objects.requireNonNull(citation, "citation");
        if (citations == null) {
            citations = new ArrayList<>();
        }
        citations.add(citation);
    }

    /**
     * The length of the text folded so far, where a citation of the next text begins.
     *
     * @return the count of characters
     */
    public int contentLength() {
        return content.length();
    }

    /**
     * Records a tool the server ran, or its result: a use with the id of an earlier one replaces it (its
     * result arrived), keeping the earlier order.
     *
     * @param use the use
     * @throws NullPointerException if use is null
     */
    public void serverTool(ServerToolUse use) {
        java.util.Objects.requireNonNull(use, "use");
        if (serverTools == null) {
            serverTools = new LinkedHashMap<>();
        }
        serverTools.put(use.id(), use);
    }

    /**
     * The server tool of an id recorded so far.
     *
     * @param id the tool use's id
     * @return the use, or null
     */
    public ServerToolUse serverTool(String id) {
        return serverTools == null ? null : serverTools.get(id);
    }

    /**
     * Keeps a field the server sent that the provider does not model, as raw JSON; the response names the
     * kept fields in one warning. A field a stream sends again with another value keeps every value, in
     * order (the same value sent again is kept once): the response then holds them as a JSON array.
     *
     * @param path where it was, such as {@code choices[0].message.annotations}
     * @param json its value as JSON text
     * @throws NullPointerException if an argument is null
     */
    public void providerField(String path, String json) {
        java.util.Objects.requireNonNull(path, "path");
        java.util.Objects.requireNonNull(json, "json");
        if (providerFields == null) {
            providerFields = new LinkedHashMap<>();
        }
        List<String> values = providerFields.computeIfAbsent(path, p -> new ArrayList<>(1));
        if (values.isEmpty() || !values.get(values.size() - 1).equals(json)) {
            values.add(json);
        }
    }

    /**
     * Records a warning for the response; the same text is kept once.
     *
     * @param warning what was ignored or repaired
     */
    public void warn(String warning) {
        if (warning != null && !warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    /**
     * Records the provider's id of the response; null is ignored, the first one stays.
     *
     * @param id the id
     */
    public void id(String id) {
        if (this.id == null && id != null && !id.isEmpty()) {
            this.id = id;
        }
    }

    /**
     * Records the model that answered; null or blank is ignored.
     *
     * @param model the model
     */
    public void model(String model) {
        if (model != null && !model.isBlank()) {
            this.model = model;
        }
    }

    /**
     * Records the usage; a later report replaces an earlier one (usage sent twice counts once).
     *
     * @param usage the usage; null is ignored
     */
    public void usage(Usage usage) {
        if (usage != null) {
            this.usage = usage;
        }
    }

    /**
     * Records why the output ended; null is ignored.
     *
     * @param reason the reason
     * @param raw    the provider's own word for it, or null
     */
    public void finishReason(FinishReason reason, String raw) {
        if (reason != null) {
            this.finishReason = reason;
            this.rawFinishReason = raw;
        }
    }

    /**
     * Records provider state to pass back on the next turn; null is ignored.
     *
     * @param state the state
     */
    public void state(ProviderState state) {
        if (state != null) {
            this.state = state;
        }
    }

    /**
     * Whether any text, reasoning or tool call has come.
     *
     * @return true once there is output
     */
    public boolean hasOutput() {
        return content.length() > 0 || reasoning.length() > 0 || refusal.length() > 0 || !calls.isEmpty();
    }

    /**
     * Finishes every open tool call, as the answer has ended, and returns their end parts in the order
     * the calls started. Calls already finished are left as they are.
     *
     * @return the end parts of the calls finished now
     */
    public List<ChatDelta.ToolCallEnd> endToolCalls() {
        List<ChatDelta.ToolCallEnd> ends = new ArrayList<>();
        boolean cut = finishReason == FinishReason.LENGTH || finishReason == FinishReason.CONTENT_FILTER
                || finishReason == FinishReason.REFUSAL || refusal.length() > 0; // a refused answer's calls are never run
        for (Slot s : calls.values()) {
            if (s.finished == null) {
                s.finished = finish(s, cut ? ToolCall.Status.TRUNCATED : null);
                ends.add(new ChatDelta.ToolCallEnd(s.index, s.finished));
            }
        }
        return ends;
    }

    private static ToolCall finish(Slot s, ToolCall.Status forced) {
        String args = s.arguments.toString();
        ToolCall.Status status = forced;
        if (status == null) {
            if (args.isBlank()) {
                args = "{}";
            }
            status = JsonText.isObject(args) ? ToolCall.Status.COMPLETE : ToolCall.Status.INVALID_JSON;
        }
        return new ToolCall(s.id, s.name, args, status);
    }

    /**
     * The whole answer, once it has ended: open tool calls are finished as by {@link #endToolCalls()}.
     *
     * @return the response
     */
    public ChatResponse response() {
        endToolCalls();
        return build(null);
    }

    /**
     * What a failed answer had so far: its text, reasoning and tool calls, the open ones
     * {@code TRUNCATED}.
     *
     * @return the partial response
     */
    public ChatResponse partialResponse() {
        return build(ToolCall.Status.TRUNCATED);
    }

    private ChatResponse build(ToolCall.Status openStatus) {
        List<ToolCall> toolCalls = new ArrayList<>(calls.size());
        for (Slot s : calls.values()) {
            toolCalls.add(s.finished != null ? s.finished : finish(s, openStatus));
        }
        FinishReason reason = refusal.length() > 0 && (finishReason == null || finishReason == FinishReason.STOP)
                ? FinishReason.REFUSAL : finishReason;
        Map<String, String> fields = Map.of();
        List<String> notes = warnings;
        if (providerFields != null) {
            fields = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> f : providerFields.entrySet()) {
                List<String> v = f.getValue();
                fields.put(f.getKey(), v.size() == 1 ? v.get(0) : "[" + String.join(",", v) + "]");
            }
            notes = new ArrayList<>(warnings);
            String kept = "kept what " + (providerId == null ? "the provider" : providerId) + " does not model in"
                    + " providerFields: " + String.join(", ", providerFields.keySet());
            if (!notes.contains(kept)) {
                notes.add(kept); // a decorator that re-folds an answer passes the same note on
            }
        }
        return new ChatResponse(content.toString(), reasoning.toString(), refusal.toString(), toolCalls,
                citations == null ? List.of() : citations,
                serverTools == null ? List.of() : new ArrayList<>(serverTools.values()), id, model, usage, reason,
                rawFinishReason, state, fields, notes);
    }

    private String prefix() {
        return providerId == null ? "" : providerId + ": ";
    }
}
