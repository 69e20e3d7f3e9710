package dev.alfred.llm.tools;

import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.LlmException;

import java.util.List;

/**
 * A tool loop reached one of its bounds (rounds, calls of one tool, calls in all) before the model gave a
 * final answer. It holds the transcript up to there, so the conversation can be looked at or resumed.
 */
public final class ToolLoopLimitException extends LlmException {

    private static final long serialVersionUID = 1L;

    private final transient List<ChatMessage> transcript;

    /**
     * Creates the exception.
     *
     * @param message    which bound, and its value
     * @param transcript the messages so far
     */
    public ToolLoopLimitException(String message, List<ChatMessage> transcript) {
        super(message, null);
        this.transcript = List.copyOf(transcript);
    }

    /**
     * The messages up to the bound: the request's, then each round's answer and tool results.
     *
     * @return the transcript
     */
    public List<ChatMessage> transcript() {
        return transcript;
    }
}
