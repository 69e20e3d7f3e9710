package dev.alfred.llm.observe;

import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.Usage;

import java.util.Objects;

/**
 * How a tool loop run ended: {@link Completed}, {@link Failed} or {@link Cancelled}, each with the tokens
 * of all its rounds. {@link RunListener#onEnd} hears exactly one per run.
 */
public sealed interface RunOutcome {

    /**
     * The tokens of every round of the run.
     *
     * @return the sum, {@link Usage#ZERO} when no round answered
     */
    Usage usage();

    /**
     * The model answered without asking for more tools.
     *
     * @param response the last round's answer
     * @param usage    the tokens of all rounds
     */
    record Completed(ChatResponse response, Usage usage) implements RunOutcome {
        /**
         * Validates the outcome.
         *
         * @param response the answer
         * @param usage    the tokens
         * @throws NullPointerException if an argument is null
         */
        public Completed {
            Objects.requireNonNull(response, "response");
            Objects.requireNonNull(usage, "usage");
        }
    }

    /**
     * A round failed, or a bound of the loop was reached.
     *
     * @param error what the reader of the run was thrown
     * @param usage the tokens of the rounds that answered
     */
    record Failed(Throwable error, Usage usage) implements RunOutcome {
        /**
         * Validates the outcome.
         *
         * @param error the failure
         * @param usage the tokens
         * @throws NullPointerException if an argument is null
         */
        public Failed {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(usage, "usage");
        }
    }

    /**
     * The run was closed before its end.
     *
     * @param usage the tokens of the rounds that answered
     */
    record Cancelled(Usage usage) implements RunOutcome {
        /**
         * Validates the outcome.
         *
         * @param usage the tokens
         * @throws NullPointerException if usage is null
         */
        public Cancelled {
            Objects.requireNonNull(usage, "usage");
        }
    }
}
