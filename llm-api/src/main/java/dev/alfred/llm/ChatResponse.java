package dev.alfred.llm;

import java.util.List;

/**
 * A complete answer: text, reasoning, tool calls, what it cost and why it ended. Build one with a
 * {@link ResponseAccumulator}; replay it in the next turn with {@link ChatMessage#of(ChatResponse)}.
 *
 * @param content         the answer's text, never null (empty when the model produced none)
 * @param reasoning       the model's reasoning, never null (empty when there was none)
 * @param toolCalls       the tool calls the model asked for, in order, never null
 * @param id              the provider's id of the response, or null if not reported
 * @param model           the model that answered, as the provider named it, or null if not reported
 * @param usage           the tokens used, or null if the provider did not report them
 * @param finishReason    why the output ended, or null if not reported
 * @param rawFinishReason the provider's own word for it (such as {@code end_turn}), or null
 * @param state           provider state to pass back on the next turn, never null
 * @param warnings        what the provider ignored or repaired (unsupported settings, odd streams), never null
 */
public record ChatResponse(String content, String reasoning, List<ToolCall> toolCalls, String id, String model,
                           Usage usage, FinishReason finishReason, String rawFinishReason, ProviderState state,
                           List<String> warnings) {

    /**
     * Validates and copies the response.
     *
     * @param content the text, never null
     * @param reasoning the reasoning, never null
     * @param toolCalls the calls, never null
     * @param id the id, or null
     * @param model the model, or null
     * @param usage the usage, or null
     * @param finishReason the reason, or null
     * @param rawFinishReason the provider's reason, or null
     * @param state the state, never null
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
        if (toolCalls == null || toolCalls.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("toolCalls must not be or hold null");
        }
        if (model != null && model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (state == null) {
            throw new IllegalArgumentException("state must not be null (use ProviderState.NONE)");
        }
        if (warnings == null || warnings.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("warnings must not be or hold null");
        }
        toolCalls = List.copyOf(toolCalls);
        warnings = List.copyOf(warnings);
    }

    /**
     * A text-only answer with nothing else reported, for tests and hand-made histories.
     *
     * @param content the text
     * @return the response
     * @throws IllegalArgumentException if content is null
     */
    public static ChatResponse of(String content) {
        return new ChatResponse(content, "", List.of(), null, null, null, FinishReason.STOP, null,
                ProviderState.NONE, List.of());
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
