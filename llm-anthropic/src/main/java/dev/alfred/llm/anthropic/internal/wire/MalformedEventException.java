package dev.alfred.llm.anthropic.internal.wire;

/** An event or a message body that is not JSON of the Messages API's shape. */
public final class MalformedEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedEventException(String message) {
        super(message);
    }
}
