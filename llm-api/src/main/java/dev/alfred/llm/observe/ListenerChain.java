package dev.alfred.llm.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The listeners of one listening layer, called so that none can break a call: a listener that throws
 * is logged at warning level the first time, at debug level after, and the call goes on. As an
 * {@link LlmListener} it passes on what is not tied to a call: {@link #onToolExecuted},
 * {@link #captureContext()} and {@link #onRunStart}, which a tool loop and the asynchronous calls ask.
 */
final class ListenerChain implements LlmListener {

    private static final Logger LOG = LoggerFactory.getLogger(LlmListener.class);

    private final LlmListener[] registered;
    private final AtomicBoolean[] warned;

    ListenerChain(List<LlmListener> registered) {
        this.registered = registered.toArray(new LlmListener[0]);
        this.warned = new AtomicBoolean[this.registered.length];
        for (int i = 0; i < warned.length; i++) {
            warned[i] = new AtomicBoolean();
        }
    }

    List<LlmListener> registered() {
        return List.of(registered);
    }

    /** Each registered listener's listener for this call; one whose {@code forCall} throws sits out the call. */
    LlmListener[] perCall(LlmCall call) {
        LlmListener[] perCall = new LlmListener[registered.length];
        for (int i = 0; i < registered.length; i++) {
            try {
                LlmListener l = registered[i].forCall(call);
                perCall[i] = l == null ? registered[i] : l;
            } catch (Throwable t) {
                failed(i, "forCall", t);
                perCall[i] = LlmListener.NONE;
            }
        }
        return perCall;
    }

    @Override
    public void onToolExecuted(ToolExecution execution) {
        for (int i = 0; i < registered.length; i++) {
            try {
                registered[i].onToolExecuted(execution);
            } catch (Throwable t) {
                failed(i, "onToolExecuted", t);
            }
        }
    }

    /** The caller's context as every listener captures it, to be made current on another thread. */
    @Override
    public ListenerContext captureContext() {
        ListenerContext[] captured = new ListenerContext[registered.length];
        for (int i = 0; i < registered.length; i++) {
            try {
                captured[i] = registered[i].captureContext();
            } catch (Throwable t) {
                failed(i, "captureContext", t);
            }
        }
        return Contexts.of(this, captured);
    }

    /**
     * A tool loop run as every listener hears it: one run listener whose context is all of theirs, and
     * whose end each hears once.
     */
    @Override
    public RunListener onRunStart(AgentRun run) {
        java.util.Objects.requireNonNull(run, "run");
        RunListener[] perRun = new RunListener[registered.length];
        for (int i = 0; i < registered.length; i++) {
            try {
                RunListener r = registered[i].onRunStart(run);
                perRun[i] = r == null ? RunListener.NONE : r;
            } catch (Throwable t) {
                failed(i, "onRunStart", t);
                perRun[i] = RunListener.NONE;
            }
        }
        return new ObservedRun(run, perRun);
    }

    /** One run under this chain: its listeners' contexts as one, and an end heard once. */
    private final class ObservedRun implements RunListener {
        private final AgentRun run;
        private final RunListener[] perRun;
        private final ListenerContext context;
        private final AtomicBoolean ended = new AtomicBoolean();

        ObservedRun(AgentRun run, RunListener[] perRun) {
            this.run = run;
            this.perRun = perRun;
            ListenerContext[] contexts = new ListenerContext[perRun.length];
            for (int i = 0; i < perRun.length; i++) {
                try {
                    contexts[i] = perRun[i].context();
                } catch (Throwable t) {
                    failed(i, "RunListener.context", t);
                }
            }
            this.context = Contexts.of(ListenerChain.this, contexts);
        }

        @Override
        public ListenerContext context() {
            return context;
        }

        @Override
        public void onEnd(RunOutcome outcome) {
            java.util.Objects.requireNonNull(outcome, "outcome");
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            for (int i = 0; i < perRun.length; i++) {
                try {
                    perRun[i].onEnd(outcome);
                } catch (Throwable t) {
                    failed(i, "RunListener.onEnd", t);
                }
            }
        }

        @Override
        public String toString() {
            return "ObservedRun{" + run + "}";
        }
    }

    /**
     * Logs a listener's failure: once at warning level, then at debug level. Errors of the virtual
     * machine itself are not a listener's to swallow, and go on up.
     */
    void failed(int index, String event, Throwable t) {
        if (t instanceof VirtualMachineError) {
            throw (VirtualMachineError) t;
        }
        String name = registered[index].getClass().getName();
        if (warned[index].compareAndSet(false, true)) {
            LOG.warn("LlmListener {} threw in {}; the call goes on (later failures of this listener are logged"
                    + " at debug level)", name, event, t);
        } else {
            LOG.debug("LlmListener {} threw in {}", name, event, t);
        }
    }

    @Override
    public String toString() {
        return "ListenerChain" + List.of(registered);
    }
}
