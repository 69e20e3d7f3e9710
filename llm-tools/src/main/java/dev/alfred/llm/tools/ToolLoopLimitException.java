package dev.alfred.llm.tools;

import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ToolCall;

import java.util.List;

/**
 * A tool loop reached one of its bounds (rounds, calls of one tool, calls in all) before the model gave a
 * final answer. The bounds are checked when an answer ends, before any of its calls runs: the calls that
 * would have passed a bound are listed, unexecuted (no round could have read their results, so none of
 * their side effects happened). It holds the transcript up to there, the answer asking for those calls
 * included, so the conversation can be looked at or resumed (answer the unexecuted calls first).
 */
public final class ToolLoopLimitException extends LlmException {

    private static final long serialVersionUID = 1L;

    private final transient List<ChatMessage> transcript;
    private final transient List<ToolCall> unexecuted;

    /**
     * Creates the exception.
     *
     * @param message    which bound, and its value
     * @param transcript the messages so far
     * @param unexecuted the calls of the last answer, none of which ran
     */
    public ToolLoopLimitException(String message, List<ChatMessage> transcript, List<ToolCall> unexecuted) {
        super(message, null);
        this.transcript = List.copyOf(transcript);
        this.unexecuted = List.copyOf(unexecuted);
    }

    /**
     * The messages up to the bound: the request's, then each round's answer and tool results.
     *
     * @return the transcript
     */
    public List<ChatMessage> transcript() {
        return transcript;
    }

    /**
     * The calls the last answer asked for, none of which ran.
     *
     * @return the calls, in order
     */
    public List<ToolCall> unexecuted() {
        return unexecuted;
    }
}
