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
 * chain, makes the listeners' contexts current where the call is sent, and ends it exactly once. As the
 * call's {@link CallEvents} it passes retries on, to its own listeners and then to an enclosing layer's.
 * It holds nothing of the call's stream, so that a cleaner can end the call of a stream nobody holds.
 */
final class ObservedCall extends CallEvents {

    private final LlmCall call;
    private final LlmListener[] listeners;
    private final ListenerChain chain;
    private final LongSupplier ticker;
    private final long start;
    private final ListenerContext context;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile CallEvents parent;
    private long firstOutputAt;
    private volatile boolean outputSeen;
    /**
     * Parts handed out, and when the last one was: written by the one reader; an end heard on another
     * thread (a close, the cleaner) may read them a part late, as it may read them a moment early.
     */
    private long chunks;
    private long lastOutputAt;

    ObservedCall(LlmCall call, ListenerChain chain, LongSupplier ticker) {
        this.call = call;
        this.chain = chain;
        this.ticker = ticker;
        this.listeners = chain.perCall(call);
        this.start = ticker.getAsLong();
        ListenerContext[] contexts = new ListenerContext[listeners.length];
        for (int i = 0; i < listeners.length; i++) {
            try {
                listeners[i].onStart(call);
            } catch (Throwable t) {
                chain.failed(i, "onStart", t);
            }
            try {
                contexts[i] = listeners[i].callContext(call);
            } catch (Throwable t) {
                chain.failed(i, "callContext", t);
            }
        }
        this.context = Contexts.of(chain, contexts);
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

    /**
     * Makes the listeners' contexts current on this thread while the call may send: around the provider's
     * {@code chat} or {@code stream}, and around each read of the stream until its first part has been
     * handed out (the first read sends the request; a retry decorator sends again only until the first
     * part). After that no request is sent, and a read costs no context switch: making a context current
     * allocates its scope, about 140 bytes per part for two reads each, which the streaming path does not
     * pay. For a call without contexts it costs nothing.
     */
    ListenerContext.Scope enterContext() {
        return chunks == 0 ? context.makeCurrent() : ListenerContext.Scope.NONE;
    }

    boolean isEnded() {
        return ended.get();
    }

    /** A part was handed out: the first output, or the time since the previous part. */
    void output() {
        long now = ticker.getAsLong();
        long n = chunks;
        chunks = n + 1;
        if (n == 0) {
            firstOutput(now);
        } else {
            long since = Math.max(0, now - lastOutputAt);
            for (int i = 0; i < listeners.length; i++) {
                try {
                    listeners[i].onOutput(call, since);
                } catch (Throwable t) {
                    chain.failed(i, "onOutput", t);
                }
            }
        }
        lastOutputAt = now;
    }

    private void firstOutput(long now) {
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

    void complete(ChatResponse response) {
        if (ended.compareAndSet(false, true)) {
            end(new CallOutcome.Completed(response, since(ticker.getAsLong()), timeToFirstOutput(), chunks));
        }
    }

    void fail(Throwable error) {
        if (ended.compareAndSet(false, true)) {
            ChatResponse partial = error instanceof StreamInterruptedException
                    ? ((StreamInterruptedException) error).partialResponse() : null;
            end(new CallOutcome.Failed(error, partial, since(ticker.getAsLong()), timeToFirstOutput(), chunks));
        }
    }

    void cancel() {
        if (ended.compareAndSet(false, true)) {
            end(new CallOutcome.Cancelled(since(ticker.getAsLong()), timeToFirstOutput(), chunks));
        }
    }

    /**
     * What the cleaner does when the call's stream became unreachable unended: ends the call as abandoned,
     * timed to its last part (to its start when none was handed out), since nothing is known of it after.
     */
    void abandon() {
        if (ended.compareAndSet(false, true)) {
            end(new CallOutcome.Abandoned(outputSeen ? since(lastOutputAt) : Duration.ZERO, timeToFirstOutput(), chunks));
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
