package dev.alfred.llm.openai.dialect;

import dev.alfred.llm.ChatRequest;

import java.util.Map;

/**
 * Fields a dialect adds to a request body beyond the chat-completions standard, such as Kimi's
 * {@code thinking} or partial mode, usually taken from the request's own
 * {@link dev.alfred.llm.ProviderOptions}. Values may be strings, numbers, booleans, null, and maps and
 * lists of those; they are written in the map's order. Implementations must be thread-safe.
 */
public interface RequestExtras {

    /** No extra fields. */
    RequestExtras NONE = new RequestExtras() {
    };

    /**
     * Checks a request before anything is written; throws for one the server would reject.
     *
     * @param request the request
     * @throws dev.alfred.llm.InvalidRequestException naming what is wrong
     */
    default void validate(ChatRequest request) {
    }

    /**
     * Top-level fields to add to the body.
     *
     * @param request the request
     * @return the fields, in order; empty for none
     */
    default Map<String, Object> bodyFields(ChatRequest request) {
        return Map.of();
    }

    /**
     * Fields to add to the last message of the conversation (Kimi's {@code partial}).
     *
     * @param request the request
     * @return the fields; empty for none
     */
    default Map<String, Object> lastMessageFields(ChatRequest request) {
        return Map.of();
    }
}
