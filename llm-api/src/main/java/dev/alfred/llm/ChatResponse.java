package dev.alfred.llm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete answer: text, reasoning, a refusal, tool calls, the sources it cited and the tools the
 * server ran, what it cost and why it ended — and whatever else the server said that this library does
 * not model, kept as raw JSON in {@link #providerFields()} (and named in a warning) rather than dropped.
 * Build one with a {@link ResponseAccumulator}; replay it in the next turn with
 * {@link ChatMessage#of(ChatResponse)}.
 *
 * @param content         the answer's text, never null (empty when the model produced none)
 * @param reasoning       the model's reasoning, never null (empty when there was none)
 * @param refusal         the model's refusal to answer, never null (empty when it did not refuse); the
 *                        finish reason is then {@link FinishReason#REFUSAL}
 * @param toolCalls       the tool calls the model asked for, in order, never null
 * @param citations       the sources cited for spans of {@code content}, in order, never null
 * @param serverTools     the tools the server ran itself (web search, fetch, code execution), never null
 * @param id              the provider's id of the response, or null if not reported
 * @param model           the model that answered, as the provider named it, or null if not reported
 * @param usage           the tokens used, or null if the provider did not report them
 * @param finishReason    why the output ended, or null if not reported
 * @param rawFinishReason the provider's own word for it (such as {@code end_turn}), or null
 * @param state           provider state to pass back on the next turn, never null
 * @param providerFields  what the server sent that the library does not model: a path such as
 *                        {@code choices[0].message.annotations} to its raw JSON, never null
 * @param warnings        what the provider ignored or repaired (unsupported settings, odd streams, fields
 *                        kept unmodelled), never null
 */
public record ChatResponse(String content, String reasoning, String refusal, List<ToolCall> toolCalls,
                           List<Citation> citations, List<ServerToolUse> serverTools, String id, String model,
                           Usage usage, FinishReason finishReason, String rawFinishReason, ProviderState state,
                           Map<String, String> providerFields, List<String> warnings) {

    /**
     * Validates and copies the response.
     *
     * @param content the text, never null
     * @param reasoning the reasoning, never null
     * @param refusal the refusal, never null
     * @param toolCalls the calls, never null
     * @param citations the citations, never null
     * @param serverTools the server's tools, never null
     * @param id the id, or null
     * @param model the model, or null
     * @param usage the usage, or null
     * @param finishReason the reason, or null
     * @param rawFinishReason the provider's reason, or null
     * @param state the state, never null
     * @param providerFields the unmodelled fields, never null
     * @param warnings the warnings, never null
     * @throws IllegalArgumentException naming the component that is null where it must not be, or blank
     */
    public ChatResponse {
        if (content == null) {
            throw new IllegalArgumentException("content must not be null");
        }
        if (reasoning == null) {
            throw new IllegalArgumentException("reasoning must not be null");
        }
        if (refusal == null) {
            throw new IllegalArgumentException("refusal must not be null");
        }
        toolCalls = copy("toolCalls", toolCalls);
        citations = copy("citations", citations);
        serverTools = copy("serverTools", serverTools);
        if (providerFields == null) {
            throw new IllegalArgumentException("providerFields must not be null");
        }
        Map<String, String> fields = new LinkedHashMap<>(providerFields);
        if (fields.containsKey(null) || fields.containsValue(null)) {
            throw new IllegalArgumentException("providerFields must not hold null");
        }
        providerFields = Collections.unmodifiableMap(fields);
        if (model != null && model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (state == null) {
            throw new IllegalArgumentException("state must not be null (use ProviderState.NONE)");
        }
        warnings = copy("warnings", warnings);
    }

    private static <T> List<T> copy(String name, List<T> list) {
        if (list == null || list.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(name + " must not be or hold null");
        }
        return List.copyOf(list);
    }

    /**
     * A text-only answer with nothing else reported, for tests and hand-made histories.
     *
     * @param content the text
     * @return the response
     * @throws IllegalArgumentException if content is null
     */
    public static ChatResponse of(String content) {
        return new ChatResponse(content, "", "", List.of(), List.of(), List.of(), null, null, null, FinishReason.STOP,
                null, ProviderState.NONE, Map.of(), List.of());
    }

    /**
     * This answer with other usage, such as the total of every round of a tool loop.
     *
     * @param total the usage, or null
     * @return the answer
     */
    public ChatResponse withUsage(Usage total) {
        return new ChatResponse(content, reasoning, refusal, toolCalls, citations, serverTools, id, model, total,
                finishReason, rawFinishReason, state, providerFields, warnings);
    }

    /**
     * Whether the model refused to answer.
     *
     * @return true when there is a refusal text or the finish reason says so
     */
    public boolean isRefusal() {
        return !refusal.isEmpty() || finishReason == FinishReason.REFUSAL;
    }

    /**
     * Whether the model asked for tool calls.
     *
     * @return true when there is at least one
     */
    public boolean hasToolCalls() {
        return !toolCalls.isEmpty();
    }
}
