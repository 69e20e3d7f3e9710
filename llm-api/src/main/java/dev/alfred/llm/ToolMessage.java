package dev.alfred.llm;

/**
 * A tool's answer to one call of the model.
 *
 * @param toolCallId the id of the call it answers, byte for byte as the model sent it
 * @param toolName   the tool's name
 * @param content    the result as text (often JSON), never null
 * @param error      whether the tool failed and content says why
 */
public record ToolMessage(String toolCallId, String toolName, String content, boolean error) implements ChatMessage {

    /**
     * Validates the message.
     *
     * @param toolCallId the id of the call it answers, never null or empty
     * @param toolName the tool's name, never null or empty
     * @param content the result, never null
     * @param error whether the tool failed
     * @throws IllegalArgumentException naming the component that is null or empty
     */
    public ToolMessage {
        if (toolCallId == null || toolCallId.isEmpty()) {
            throw new IllegalArgumentException("tool message toolCallId must not be null or empty");
        }
        if (toolName == null || toolName.isEmpty()) {
            throw new IllegalArgumentException("tool message toolName must not be null or empty");
        }
        if (content == null) {
            throw new IllegalArgumentException("tool message content must not be null");
        }
    }

    @Override
    public Role role() {
        return Role.TOOL;
    }
}
