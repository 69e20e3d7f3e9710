package dev.alfred.llm;

/**
 * Who speaks a {@link ChatMessage}. New roles (a tool result, for one) may be added in later
 * versions; code that switches over roles should keep a default branch.
 */
public enum Role {
    /** Instructions that frame the whole conversation. */
    SYSTEM,
    /** The human (or the application speaking for one). */
    USER,
    /** The model. */
    ASSISTANT
}
