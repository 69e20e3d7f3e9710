package dev.alfred.llm;

import java.util.List;

/**
 * What the model said in an earlier turn: text, reasoning, tool calls and opaque provider state. Make
 * one with {@link ChatMessage#of(ChatResponse)} so nothing a next turn needs is lost.
 *
 * @param content   the text, never null (empty when the model only called tools)
 * @param reasoning the reasoning, never null (empty when none); thinking models need it back
 * @param toolCalls the calls the model asked for, never null
 * @param state     provider state to pass back unchanged, never null ({@link ProviderState#NONE})
 */
public record AssistantMessage(String content, String reasoning, List<ToolCall> toolCalls, ProviderState state)
        implements ChatMessage {

    /**
     * Validates and copies the message.
     *
     * @param content the text, never null
     * @param reasoning the reasoning, never null
     * @param toolCalls the calls, never null
     * @param state the provider state, never null
     * @throws IllegalArgumentException naming the component that is null, or a null tool call
     */
    public AssistantMessage {
        if (content == null) {
            throw new IllegalArgumentException("assistant message content must not be null");
        }
        if (reasoning == null) {
            throw new IllegalArgumentException("assistant message reasoning must not be null (use \"\")");
        }
        if (toolCalls == null || toolCalls.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("assistant message toolCalls must not be or hold null");
        }
        if (state == null) {
            throw new IllegalArgumentException("assistant message state must not be null (use ProviderState.NONE)");
        }
        toolCalls = List.copyOf(toolCalls);
    }

    @Override
    public Role role() {
        return Role.ASSISTANT;
    }
}
