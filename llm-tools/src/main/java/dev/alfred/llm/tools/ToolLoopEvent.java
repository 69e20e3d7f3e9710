package dev.alfred.llm.tools;

import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ToolCall;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ToolRun} hands out, in order: the model's text and reasoning as they stream, each tool call
 * it asks for, each tool's result, and the end of each round.
 */
public sealed interface ToolLoopEvent {

    /**
     * A piece of the model's answer text.
     *
     * @param text the piece
     */
    record Text(String text) implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param text the piece
         * @throws NullPointerException if text is null
         */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A piece of the model's reasoning.
     *
     * @param text the piece
     */
    record Reasoning(String text) implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param text the piece
         * @throws NullPointerException if text is null
         */
        public Reasoning {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The model asked for a tool call (it runs next, unless it is broken or unknown).
     *
     * @param round the round, from 1
     * @param call  the call, with its status
     */
    record ToolCallRequested(int round, ToolCall call) implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param round the round
         * @param call  the call
         * @throws NullPointerException if call is null
         */
        public ToolCallRequested {
            Objects.requireNonNull(call, "call");
        }
    }

    /**
     * A call was answered: the tool ran, or the model is told why it did not.
     *
     * @param round    the round, from 1
     * @param call     the call
     * @param result   what goes back to the model
     * @param error    whether the result is an error (the tool threw, or the call was not run)
     * @param executed whether the tool's function ran
     * @param duration how long it ran (zero when it did not)
     */
    record ToolFinished(int round, ToolCall call, String result, boolean error, boolean executed, Duration duration)
            implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param round    the round
         * @param call     the call
         * @param result   the result
         * @param error    whether an error
         * @param executed whether run
         * @param duration how long
         * @throws NullPointerException if call, result or duration is null
         */
        public ToolFinished {
            Objects.requireNonNull(call, "call");
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(duration, "duration");
        }
    }

    /**
     * A round ended: the model's answer in it, tool calls included.
     *
     * @param round    the round, from 1
     * @param response the answer of that round
     * @param last     whether it was the final answer (no tool calls)
     */
    record RoundFinished(int round, ChatResponse response, boolean last) implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param round    the round
         * @param response the answer
         * @param last     whether final
         * @throws NullPointerException if response is null
         */
        public RoundFinished {
            Objects.requireNonNull(response, "response");
        }
    }
}
