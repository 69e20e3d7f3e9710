package dev.alfred.llm.observe;

import java.time.Duration;
import java.util.Objects;

/**
 * A tool that a tool loop ran, as {@link LlmListener#onToolExecuted} hears it. The arguments and the
 * result are content: a listener records them only when its user asked for content (they may hold
 * personal data); the error's message may hold a secret a tool met, so a listener scrubs it before it
 * records it ({@link dev.alfred.llm.spi.SecretScrubber}).
 *
 * @param toolName   the tool's name
 * @param toolCallId the id of the model's call that asked for it
 * @param duration   how long the tool ran
 * @param error      what the tool threw, or null when it succeeded
 * @param arguments  the arguments the model sent (JSON, as sent), or null when not reported
 * @param result     what the tool returned, as the model is told it, or null when it failed or it was not
 *                   reported
 */
public record ToolExecution(String toolName, String toolCallId, Duration duration, Throwable error, String arguments,
                            String result) {

    /**
     * Validates the execution.
     *
     * @param toolName   the name
     * @param toolCallId the call id
     * @param duration   the duration
     * @param error      the failure, or null
     * @param arguments  the arguments, or null
     * @param result     the result, or null
     * @throws NullPointerException     if the name, call id or duration is null
     * @throws IllegalArgumentException if the duration is negative
     */
    public ToolExecution {
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(toolCallId, "toolCallId");
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
    }

    /**
     * An execution reported without its arguments and result.
     *
     * @param toolName   the name
     * @param toolCallId the call id
     * @param duration   the duration
     * @param error      the failure, or null
     * @throws NullPointerException     if the name, call id or duration is null
     * @throws IllegalArgumentException if the duration is negative
     */
    public ToolExecution(String toolName, String toolCallId, Duration duration, Throwable error) {
        this(toolName, toolCallId, duration, error, null, null);
    }

    /**
     * Whether the tool failed.
     *
     * @return true when it threw
     */
    public boolean failed() {
        return error != null;
    }

    /**
     * Leaves the arguments and result out: they are content, which does not belong in logs.
     *
     * @return the tool, call id, duration and whether it failed
     */
    @Override
    public String toString() {
        return "ToolExecution{" + toolName + ", " + toolCallId + ", " + duration + (failed() ? ", failed" : "") + "}";
    }
}
