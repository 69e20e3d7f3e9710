package dev.alfred.llm.tools;

import dev.alfred.llm.ToolCall;

/**
 * Decides whether a tool call may run, before it runs: the hook for a person to approve a payment, or a
 * policy to refuse a path. A {@link ToolLoop} asks it for each call of a round that is fit to run (known
 * tool, complete arguments), one call at a time in the order of the calls, on a thread of the run (never
 * the reading thread), while the calls it approved already run. It may block as long as it needs (a
 * chat UI waiting for a click): the run waits, without the tools' deadlines, which start when a call
 * starts. {@link ToolRun#close()} interrupts it; an approver that throws denies the call (the failure is
 * logged, secrets masked).
 *
 * <pre>{@code
 * Approver ask = call -> ui.confirm("Run " + call.name() + " " + call.arguments() + "?")
 *         ? Approval.approve() : Approval.deny("the user said no");
 * }</pre>
 */
@FunctionalInterface
public interface Approver {

    /**
     * Decides about one call.
     *
     * @param call the call, as the model asked for it
     * @return the decision
     * @throws InterruptedException when the run is closed while it waits
     */
    Approval review(ToolCall call) throws InterruptedException;
}
