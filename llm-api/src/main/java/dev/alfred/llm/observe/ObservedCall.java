package dev.alfred.llm.observe;

import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.StreamInterruptedException;

import dev.alfred.llm.spi.CallEvents;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * One call under a listening layer: it times the call, fires its events to each listener through the
 * chain, and ends it exactly once. As the call's {@link CallEvents} it passes retries on, to its own
 * listeners and then to an enclosing layer's.
 */
final class ObservedCall extends CallEvents {

    private final LlmCall call;
    private final LlmListener[] listeners;
    private final ListenerChain chain;
    private final LongSupplier ticker;
    private final long start;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile CallEvents parent;
    private long firstOutputAt;
    private volatile boolean outputSeen;

    ObservedCall(LlmCall call, ListenerChain chain, LongSupplier ticker) {
        this.call = call;
        this.chain = chain;
        this.ticker = ticker;
        this.listeners = chain.perCall(call);
        this.start = ticker.getAsLong();
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].onStart(call);
            } catch (Throwable t) {
                chain.failed(i, "onStart", t);
            }
        }
    }

    /** Makes this call's events current on this thread; the ones it replaces hear its retries too. */
    CallEvents begin() {
        CallEvents previous = enter();
        parent = previous;
        return previous;
    }

    static void finish(CallEvents previous) {
        exit(previous);
    }

    boolean isEnded() {
        return ended.get();
    }

    void firstOutput() {
        long now = ticker.getAsLong();
        firstOutputAt = now;
        outputSeen = true;
        Duration ttfo = since(now);
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].onFirstOutput(call, ttfo);
            } catch (Throwable t) {
                chain.failed(i, "onFirstOutput", t);
            }
        }
    }

    @Override
    public void retry(int attempt, LlmException cause, Duration delay) {
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].onRetry(call, attempt, cause, delay);
            } catch (Throwable t) {
                chain.failed(i, "onRetry", t);
            }
        }
        CallEvents p = parent;
        if (p != null) {
            p.retry(attempt, cause, delay);
        }
    }

    void complete(ChatResponse response, long chunks) {
        if (ended.compareAndSet(false, true)) {
            end(new CallOutcome.Completed(response, since(ticker.getAsLong()), timeToFirstOutput(), chunks));
        }
    }

    void fail(Throwable error, long chunks) {
        if (ended.compareAndSet(false, true)) {
            ChatResponse partial = error instanceof StreamInterruptedException
                    ? ((StreamInterruptedException) error).partialResponse() : null;
            end(new CallOutcome.Failed(error, partial, since(ticker.getAsLong()), timeToFirstOutput(), chunks));
        }
    }

    void cancel(long chunks) {
        if (ended.compareAndSet(false, true)) {
            end(new CallOutcome.Cancelled(since(ticker.getAsLong()), timeToFirstOutput(), chunks));
        }
    }

    private void end(CallOutcome outcome) {
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].onEnd(call, outcome);
            } catch (Throwable t) {
                chain.failed(i, "onEnd", t);
            }
        }
    }

    private Duration timeToFirstOutput() {
        return outputSeen ? since(firstOutputAt) : null;
    }

    /** From the start to a tick; never negative, even under a ticker that steps back. */
    private Duration since(long tick) {
        return Duration.ofNanos(Math.max(0, tick - start));
    }
}
