package dev.alfred.llm;

/**
 * Who speaks in a {@link ChatMessage}; each message type has one role.
 */
public enum Role {
    /** Instructions that frame the conversation ({@link SystemMessage}). */
    SYSTEM,
    /** The person or program asking ({@link UserMessage}). */
    USER,
    /** The model ({@link AssistantMessage}). */
    ASSISTANT,
    /** The result of a tool the model called ({@link ToolMessage}). */
    TOOL
}
