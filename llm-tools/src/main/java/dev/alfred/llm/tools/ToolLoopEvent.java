package dev.alfred.llm.tools;

import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ToolCall;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link ToolRun} hands out, in order: the model's text, reasoning and refusal as they stream, each
 * tool call as it streams (its start, then its argument fragments), then, once the round's answer has
 * ended, each call it asks for, each decision of the {@link Approver} (when there is one), each call's
 * result, and the end of the round. Java 17 callers test with {@code instanceof}.
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
     * A piece of the model's refusal to answer, as it streams; the run then ends with a
     * {@link dev.alfred.llm.schema.RefusalException}.
     *
     * @param text the piece
     */
    record Refusal(String text) implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param text the piece
         * @throws NullPointerException if text is null
         */
        public Refusal {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A tool call began to stream: a UI can show it before its arguments are whole. Nothing runs yet.
     *
     * @param round the round, from 1
     * @param index the call's index in the answer
     * @param id    the call's id
     * @param name  the tool's name
     */
    record ToolCallStarted(int round, int index, String id, String name) implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param round the round
         * @param index the index
         * @param id    the id
         * @param name  the name
         * @throws NullPointerException if id or name is null
         */
        public ToolCallStarted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A fragment of a tool call's arguments, as it streams (the fragments of one call, joined, are its
     * arguments; fragments of parallel calls may interleave and are told apart by index).
     *
     * @param round    the round, from 1
     * @param index    the call's index in the answer
     * @param fragment the fragment
     */
    record ToolCallArguments(int round, int index, String fragment) implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param round    the round
         * @param index    the index
         * @param fragment the fragment
         * @throws NullPointerException if fragment is null
         */
        public ToolCallArguments {
            Objects.requireNonNull(fragment, "fragment");
        }
    }

    /**
     * The model asked for a tool call (it runs next, unless it is broken, unknown or not approved).
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
     * The {@link Approver} decided about a call (only with an approver, only for calls fit to run).
     *
     * @param round    the round, from 1
     * @param call     the call, as the model asked for it
     * @param approval the decision
     */
    record ToolCallReviewed(int round, ToolCall call, Approval approval) implements ToolLoopEvent {
        /**
         * Validates the event.
         *
         * @param round    the round
         * @param call     the call
         * @param approval the decision
         * @throws NullPointerException if call or approval is null
         */
        public ToolCallReviewed {
            Objects.requireNonNull(call, "call");
            Objects.requireNonNull(approval, "approval");
        }
    }

    /**
     * A call was answered: the tool ran (or ran past its deadline and was abandoned), or the model is told
     * why it did not.
     *
     * @param round    the round, from 1
     * @param call     the call
     * @param result   what goes back to the model
     * @param error    whether the result is an error (the tool threw or passed its deadline, or the call
     *                 was not run)
     * @param executed whether the tool's function was started
     * @param duration how long it ran, up to its deadline (zero when it did not run)
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
