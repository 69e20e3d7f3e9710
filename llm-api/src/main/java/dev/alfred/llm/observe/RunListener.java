package dev.alfred.llm.observe;

/**
 * What hears one tool loop run, from {@link LlmListener#onRunStart}: the run's context, which the loop
 * makes current while it works (so the model calls and tools of the run are its children in a trace),
 * and the run's end. Both methods have defaults, so a listener implements only what it needs.
 *
 * <p>What a tool loop does with the one it gets from {@link dev.alfred.llm.LlmProvider#listener()}:
 *
 * <pre>{@code
 * RunListener run = provider.listener().onRunStart(new AgentRun(null, provider.id(), provider.endpoint(), request));
 * try (ListenerContext.Scope s = run.context().makeCurrent()) {
 *     ... // a round: provider.stream(...), reading it, running tools, provider.listener().onToolExecuted(...)
 * }
 * ...
 * run.onEnd(new RunOutcome.Completed(answer, usage));      // exactly once, however the run ends
 * }</pre>
 *
 * Implementations are thread-safe; the one a provider's listener hook returns never throws.
 */
public interface RunListener {

    /** A run listener that hears nothing and has no context. */
    RunListener NONE = new RunListener() {
    };

    /**
     * The run's context, made current by the tool loop on the thread that works for the run, each time it
     * works (the reading thread, one round at a time). The default is {@link ListenerContext#NONE}.
     *
     * @return the context; never null
     */
    default ListenerContext context() {
        return ListenerContext.NONE;
    }

    /**
     * The run ended: exactly once, completed, failed or cancelled.
     *
     * @param outcome how it ended
     */
    default void onEnd(RunOutcome outcome) {
    }
}
