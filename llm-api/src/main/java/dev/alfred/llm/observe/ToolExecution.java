package dev.alfred.llm.observe;

import java.time.Duration;
import java.util.Objects;

/**
 * A tool that a tool loop ran, as {@link LlmListener#onToolExecuted} hears it.
 *
 * @param toolName   the tool's name
 * @param toolCallId the id of the model's call that asked for it
 * @param duration   how long the tool ran
 * @param error      what the tool threw, or null when it succeeded
 */
public record ToolExecution(String toolName, String toolCallId, Duration duration, Throwable error) {

    /**
     * Validates the execution.
     *
     * @param toolName   the name
     * @param toolCallId the call id
     * @param duration   the duration
     * @param error      the failure, or null
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
     * Whether the tool failed.
     *
     * @return true when it threw
     */
    public boolean failed() {
        return error != null;
    }
}
