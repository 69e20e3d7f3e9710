package dev.alfred.llm.observe;

import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.StreamInterruptedException;

import java.time.Duration;
import java.util.Objects;

/**
 * How a model call ended, with its timing: {@link Completed}, {@link Failed}, {@link Cancelled} or
 * {@link Abandoned}. {@link LlmListener#onEnd} hears exactly one per call.
 */
public sealed interface CallOutcome {

    /**
     * From the start of the call to its end.
     *
     * @return the duration
     */
    Duration duration();

    /**
     * From the start of a stream to its first part; null for a stream that handed out none, and for a
     * whole ({@code chat}) call.
     *
     * @return the time to first output, or null
     */
    Duration timeToFirstOutput();

    /**
     * How many parts a stream handed out; 0 for a whole call.
     *
     * @return the count
     */
    long outputChunks();

    /**
     * The call completed with an answer.
     *
     * @param response          the answer, with its usage
     * @param duration          from start to end
     * @param timeToFirstOutput from start to the first part, or null
     * @param outputChunks      parts handed out
     */
    record Completed(ChatResponse response, Duration duration, Duration timeToFirstOutput, long outputChunks)
            implements CallOutcome {
        /**
         * Validates the outcome.
         *
         * @param response          the answer
         * @param duration          the duration
         * @param timeToFirstOutput the time to first output, or null
         * @param outputChunks      the count
         * @throws NullPointerException     if the response or duration is null
         * @throws IllegalArgumentException if a time or the count is negative
         */
        public Completed {
            Objects.requireNonNull(response, "response");
            check(duration, timeToFirstOutput, outputChunks);
        }
    }

    /**
     * The call failed.
     *
     * @param error             what failed: an {@link LlmException} from a provider, or any other
     *                          exception a provider or decorator threw
     * @param partial           what was received before the failure (from a
     *                          {@link StreamInterruptedException}), or null
     * @param duration          from start to end
     * @param timeToFirstOutput from start to the first part, or null
     * @param outputChunks      parts handed out
     */
    record Failed(Throwable error, ChatResponse partial, Duration duration, Duration timeToFirstOutput,
                  long outputChunks) implements CallOutcome {
        /**
         * Validates the outcome.
         *
         * @param error             the failure
         * @param partial           the partial answer, or null
         * @param duration          the duration
         * @param timeToFirstOutput the time to first output, or null
         * @param outputChunks      the count
         * @throws NullPointerException     if the error or duration is null
         * @throws IllegalArgumentException if a time or the count is negative
         */
        public Failed {
            Objects.requireNonNull(error, "error");
            check(duration, timeToFirstOutput, outputChunks);
        }
    }

    /**
     * The caller closed the stream before its end.
     *
     * @param duration          from start to the close
     * @param timeToFirstOutput from start to the first part, or null
     * @param outputChunks      parts handed out before the close
     */
    record Cancelled(Duration duration, Duration timeToFirstOutput, long outputChunks) implements CallOutcome {
        /**
         * Validates the outcome.
         *
         * @param duration          the duration
         * @param timeToFirstOutput the time to first output, or null
         * @param outputChunks      the count
         * @throws NullPointerException     if duration is null
         * @throws IllegalArgumentException if a time or the count is negative
         */
        public Cancelled {
            check(duration, timeToFirstOutput, outputChunks);
        }
    }

    /**
     * The caller let go of a stream that was neither read to its end nor closed: it became unreachable, and
     * the listening layer's cleaner ended the call (the provider's own cleaner cancels its exchange). Heard
     * on the cleaner thread, some time after the stream was last used; a program that abandons streams
     * leaks their connections until the garbage collector finds them, so always close streams.
     *
     * @param duration          from the start to the last part handed out (to the start when none was)
     * @param timeToFirstOutput from start to the first part, or null
     * @param outputChunks      parts handed out
     */
    record Abandoned(Duration duration, Duration timeToFirstOutput, long outputChunks) implements CallOutcome {
        /**
         * Validates the outcome.
         *
         * @param duration          the duration
         * @param timeToFirstOutput the time to first output, or null
         * @param outputChunks      the count
         * @throws NullPointerException     if duration is null
         * @throws IllegalArgumentException if a time or the count is negative
         */
        public Abandoned {
            check(duration, timeToFirstOutput, outputChunks);
        }
    }

    private static void check(Duration duration, Duration timeToFirstOutput, long outputChunks) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        if (timeToFirstOutput != null && timeToFirstOutput.isNegative()) {
            throw new IllegalArgumentException("timeToFirstOutput must not be negative: " + timeToFirstOutput);
        }
        if (outputChunks < 0) {
            throw new IllegalArgumentException("outputChunks must not be negative: " + outputChunks);
        }
    }
}
