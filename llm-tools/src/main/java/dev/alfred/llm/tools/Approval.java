package dev.alfred.llm.tools;

import java.util.Objects;

/**
 * What an {@link Approver} decides about a tool call before it runs: run it as the model asked, run it
 * with other arguments, or do not run it and tell the model why.
 */
public sealed interface Approval permits Approval.Approved, Approval.Denied, Approval.Edited {

    /** Run the call as the model asked. */
    Approval APPROVE = new Approved();

    /**
     * Run the call as the model asked.
     *
     * @return the approval
     */
    static Approval approve() {
        return APPROVE;
    }

    /**
     * Do not run the call; the model is told the reason (secrets masked) and may do otherwise.
     *
     * @param reason why, for the model, such as {@code "the user declined the payment"}
     * @return the denial
     * @throws IllegalArgumentException if reason is blank
     * @throws NullPointerException     if reason is null
     */
    static Approval deny(String reason) {
        return new Denied(reason);
    }

    /**
     * Run the call with other arguments (a person corrected an amount, say); the model is told they were
     * changed, and to what. They are validated like the model's: if they do not fit the tool's record the
     * tool is not run and the model is told why.
     *
     * @param arguments the arguments to run with, a JSON object
     * @return the edit
     * @throws NullPointerException if arguments is null
     */
    static Approval edit(String arguments) {
        return new Edited(arguments);
    }

    /** Run as asked. */
    record Approved() implements Approval {
    }

    /**
     * Not run.
     *
     * @param reason why, for the model
     */
    record Denied(String reason) implements Approval {
        /**
         * Validates the denial.
         *
         * @param reason why
         * @throws IllegalArgumentException if reason is blank
         * @throws NullPointerException     if reason is null
         */
        public Denied {
            Objects.requireNonNull(reason, "reason");
            if (reason.isBlank()) {
                throw new IllegalArgumentException("a denial needs a reason: the model is told it");
            }
        }
    }

    /**
     * Run with other arguments.
     *
     * @param arguments the arguments, a JSON object
     */
    record Edited(String arguments) implements Approval {
        /**
         * Validates the edit.
         *
         * @param arguments the arguments
         * @throws NullPointerException if arguments is null
         */
        public Edited {
            Objects.requireNonNull(arguments, "arguments");
        }
    }
}
