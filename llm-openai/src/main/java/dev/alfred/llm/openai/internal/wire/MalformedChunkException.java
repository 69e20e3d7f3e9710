package dev.alfred.llm.openai.internal.wire;

/** A JSON payload that is not a chat-completions object of the expected shape. */
public final class MalformedChunkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedChunkException(String message) {
        super(message);
    }
}
