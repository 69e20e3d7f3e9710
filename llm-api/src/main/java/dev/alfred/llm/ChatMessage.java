package dev.alfred.llm;

import java.util.Objects;

/**
 * One message of a conversation: who said it and what.
 *
 * <p>{@code reasoning} is the model's reasoning that came with an assistant message; thinking models
 * need it echoed back on later turns, so an assistant message may carry it. It is {@code null} when
 * there is none. Further components (tool calls) will be added with the old constructor kept, so
 * code that uses the factories and constructors keeps compiling.
 *
 * @param role      who speaks, never null
 * @param content   what is said, never null (may be empty only for an assistant message)
 * @param reasoning the reasoning to echo with an assistant message, or null
 */
public record ChatMessage(Role role, String content, String reasoning) {

    /**
     * Validates the message.
     *
     * @param role who speaks, never null
     * @param content what is said, never null (may be empty only for an assistant message)
     * @param reasoning the reasoning to echo with an assistant message, or null
     * @throws IllegalArgumentException if role or content is null, content is empty for a system or
     *                                  user message, or reasoning is set on a non-assistant message
     */
    public ChatMessage {
        if (role == null) {
            throw new IllegalArgumentException("role must not be null");
        }
        if (content == null) {
            throw new IllegalArgumentException("content must not be null");
        }
        if (content.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("content must not be empty for a " + role + " message");
        }
        if (reasoning != null && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("reasoning is only allowed on an ASSISTANT message, not " + role);
        }
    }

    /**
     * A message with no reasoning.
     *
     * @param role    who speaks
     * @param content what is said
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ChatMessage(Role role, String content) {
        this(role, content, null);
    }

    /**
     * A system message.
     *
     * @param content the instructions
     * @return the message
     * @throws IllegalArgumentException if content is null or empty
     */
    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, null);
    }

    /**
     * A user message.
     *
     * @param content what the user says
     * @return the message
     * @throws IllegalArgumentException if content is null or empty
     */
    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, null);
    }

    /**
     * An assistant message, for replaying history.
     *
     * @param content what the model said
     * @return the message
     * @throws IllegalArgumentException if content is null
     */
    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, null);
    }

    /**
     * An assistant message with the reasoning that thinking models need echoed back.
     *
     * @param content   what the model said
     * @param reasoning the model's reasoning, or null
     * @return the message
     * @throws IllegalArgumentException if content is null
     */
    public static ChatMessage assistant(String content, String reasoning) {
        return new ChatMessage(Role.ASSISTANT, content, reasoning);
    }

    /**
     * The assistant message that replays a response in the history of a next turn, with its reasoning.
     *
     * @param response a response received earlier
     * @return the message
     * @throws NullPointerException if response is null
     */
    public static ChatMessage of(ChatResponse response) {
        Objects.requireNonNull(response, "response");
        String reasoning = response.reasoning().isEmpty() ? null : response.reasoning();
        return new ChatMessage(Role.ASSISTANT, response.content(), reasoning);
    }
}
