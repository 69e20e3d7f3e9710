package dev.alfred.llm;

import java.util.List;
import java.util.Objects;

/**
 * One message of a conversation. A closed set: {@link SystemMessage}, {@link UserMessage} (text and
 * images), {@link AssistantMessage} (text, reasoning, tool calls and provider state) and
 * {@link ToolMessage} (a tool's result). The factories cover the common cases.
 *
 * <p>Null policy of the whole model: strings and lists are never null (empty means none); only
 * values a provider may not report, and optional request settings, are null. Every message is an
 * immutable record, safe to share between threads.
 */
public sealed interface ChatMessage permits SystemMessage, UserMessage, AssistantMessage, ToolMessage {

    /**
     * Who speaks.
     *
     * @return the role of this message type
     */
    Role role();

    /**
     * A system message.
     *
     * @param content the instructions
     * @return the message
     * @throws IllegalArgumentException if content is null or empty
     */
    static SystemMessage system(String content) {
        return new SystemMessage(content);
    }

    /**
     * A user message of text.
     *
     * @param text what the user says
     * @return the message
     * @throws IllegalArgumentException if text is null or empty
     */
    static UserMessage user(String text) {
        return new UserMessage(List.of(ContentPart.text(text)));
    }

    /**
     * A user message of several parts, such as a question and an image.
     *
     * @param parts the parts, in order
     * @return the message
     * @throws IllegalArgumentException if there are no parts or one is null
     */
    static UserMessage user(ContentPart... parts) {
        Objects.requireNonNull(parts, "parts");
        return new UserMessage(java.util.Arrays.asList(parts));
    }

    /**
     * An assistant message of text, for replaying history written by hand.
     *
     * @param content what the model said
     * @return the message
     * @throws IllegalArgumentException if content is null
     */
    static AssistantMessage assistant(String content) {
        return new AssistantMessage(content, "", List.of(), ProviderState.NONE);
    }

    /**
     * The assistant message that replays a response in the next turn's history: its text, its
     * reasoning, its tool calls and its provider state, all of which thinking models and tool loops
     * need sent back unchanged.
     *
     * @param response a response received earlier
     * @return the message
     * @throws NullPointerException if response is null
     */
    static AssistantMessage of(ChatResponse response) {
        Objects.requireNonNull(response, "response");
        return new AssistantMessage(response.content(), response.reasoning(), response.toolCalls(), response.state());
    }

    /**
     * The result of running a tool call, to send back to the model.
     *
     * @param call    the call the model made
     * @param content what the tool returned, as text (often JSON)
     * @return the message
     * @throws NullPointerException     if call is null
     * @throws IllegalArgumentException if content is null
     */
    static ToolMessage toolResult(ToolCall call, String content) {
        Objects.requireNonNull(call, "call");
        return new ToolMessage(call.id(), call.name(), content, false);
    }

    /**
     * A failed tool call's answer to the model, saying why, so the model can correct itself.
     *
     * @param call    the call the model made
     * @param message what went wrong
     * @return the message, marked as an error
     * @throws NullPointerException     if call is null
     * @throws IllegalArgumentException if message is null
     */
    static ToolMessage toolError(ToolCall call, String message) {
        Objects.requireNonNull(call, "call");
        return new ToolMessage(call.id(), call.name(), message, true);
    }
}
