package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.Usage;

/**
 * What one chat-completions JSON object carries (a stream chunk or a whole non-stream response),
 * reduced to what the port needs. Fields are null when absent.
 */
public final class Chunk {
    String model;
    String content;
    String reasoning;
    String finishReason;
    Usage usage;
    String errorType;
    String errorMessage;
    String errorCode;
    boolean error;

    void clear() {
        model = null;
        content = null;
        reasoning = null;
        finishReason = null;
        usage = null;
        errorType = null;
        errorMessage = null;
        errorCode = null;
        error = false;
    }

    /** @return the model, or null */
    public String model() {
        return model;
    }

    /** @return choice 0's content, or null */
    public String content() {
        return content;
    }

    /** @return choice 0's reasoning_content, or null */
    public String reasoning() {
        return reasoning;
    }

    /** @return choice 0's finish_reason, or null */
    public String finishReason() {
        return finishReason;
    }

    /** @return the usage, top-level preferred over choice 0's, or null */
    public Usage usage() {
        return usage;
    }

    /** @return whether the object has a top-level {@code error} */
    public boolean isError() {
        return error;
    }

    /** @return the error's type, or null */
    public String errorType() {
        return errorType;
    }

    /** @return the error's message, or null */
    public String errorMessage() {
        return errorMessage;
    }

    /** @return the error's code, or null */
    public String errorCode() {
        return errorCode;
    }
}
