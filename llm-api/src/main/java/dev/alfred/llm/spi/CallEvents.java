package dev.alfred.llm.spi;

import dev.alfred.llm.LlmException;

import java.time.Duration;

/**
 * The events a decorator reports about the call it takes part in, for decorator authors: a retry
 * decorator reports each retry here, and the listening layer around it ({@link
 * dev.alfred.llm.LlmProvider#withListeners}) passes it to its listeners as
 * {@link dev.alfred.llm.observe.LlmListener#onRetry}.
 *
 * <p>The listening layer makes its call's events {@link #current()} on the calling thread while it
 * calls the provider inside it ({@code chat}, {@code stream}), so a decorator takes them when a call
 * starts and keeps them for the call's life: a stream is read later, maybe on another thread.
 *
 * <pre>{@code
 * CallEvents events = CallEvents.current();   // in chat() or stream(), before the first attempt
 * ...
 * events.retry(attempt, failure, wait);        // later, on any thread
 * }</pre>
 *
 * <p>Only a listening layer, a subclass, installs events; when none is around, {@link #current()} is
 * {@link #NONE}. Implementations are thread-safe and never throw from {@link #retry}.
 */
public abstract class CallEvents {

    private static final ThreadLocal<CallEvents> CURRENT = new ThreadLocal<>();

    /** Events that go nowhere: what {@link #current()} returns outside any listening layer. */
    public static final CallEvents NONE = new CallEvents() {
        @Override
        public void retry(int attempt, LlmException cause, Duration delay) {
        }
    };

    /** For subclasses: a listening layer's events of one call. */
    protected CallEvents() {
    }

    /**
     * The events of the call being started on this thread.
     *
     * @return the events, or {@link #NONE} when no listening layer is calling
     */
    public static CallEvents current() {
        CallEvents e = CURRENT.get();
        return e == null ? NONE : e;
    }

    /**
     * Reports that an attempt failed and another follows after a wait.
     *
     * @param attempt the number of the attempt that failed, from 1
     * @param cause   why it failed
     * @param delay   the wait before the next attempt
     */
    public abstract void retry(int attempt, LlmException cause, Duration delay);

    /**
     * Makes these events the current ones on this thread, until {@link #exit(CallEvents)}.
     *
     * @return the events that were current before, or null; pass them to {@link #exit(CallEvents)}
     */
    protected final CallEvents enter() {
        CallEvents previous = CURRENT.get();
        CURRENT.set(this);
        return previous;
    }

    /**
     * Restores the events that were current before {@link #enter()}.
     *
     * @param previous what {@link #enter()} returned
     */
    protected static void exit(CallEvents previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
