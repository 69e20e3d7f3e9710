package dev.alfred.llm;

/**
 * Instructions that frame the conversation.
 *
 * @param content the instructions, never null or empty
 */
public record SystemMessage(String content) implements ChatMessage {

    /**
     * Validates the message.
     *
     * @param content the instructions, never null or empty
     * @throws IllegalArgumentException if content is null or empty
     */
    public SystemMessage {
        if (content == null || content.isEmpty()) {
            throw new IllegalArgumentException("system message content must not be null or empty");
        }
    }

    @Override
    public Role role() {
        return Role.SYSTEM;
    }
}
