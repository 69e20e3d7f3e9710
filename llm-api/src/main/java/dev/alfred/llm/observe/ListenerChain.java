package dev.alfred.llm.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The listeners of one listening layer, called so that none can break a call: a listener that throws
 * is logged at warning level the first time, at debug level after, and the call goes on. As an
 * {@link LlmListener} it passes on {@link #onToolExecuted} only, the one event not tied to a call.
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
