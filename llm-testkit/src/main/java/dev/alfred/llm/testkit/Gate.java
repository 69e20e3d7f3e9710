package dev.alfred.llm.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A point where the {@link FakeServer} holds a reply until the test lets it go: before its head
 * ({@link Reply#holdHead}) or after some of its body ({@link Reply#holdAfter}, {@link Reply#holdAfterDeltas}).
 * The test keeps the gate, waits until the server {@linkplain #awaitReached reached} it — a state, so
 * the test knows the request arrived and exactly which bytes the client has — and {@linkplain #release()
 * releases} it, or never does: the gates of every reply given to a server ({@code enqueue},
 * {@code setDefault}) are released when that server closes, so a held reply cannot outlive its test.
 *
 * <p>A gate opens once and stays open; a reply that reaches an open gate goes straight through. One gate
 * may hold several replies (a default reply served to many requests): they all go on together.
 * Thread-safe.
 *
 * <pre>{@code
 * Gate firstDelta = new Gate();
 * server.enqueue(Reply.stream("a", "b", "c").holdAfterDeltas(1, firstDelta));
 * … start reading on another thread …
 * firstDelta.awaitReached(Duration.ofSeconds(20));   // the first delta is on the wire, the rest held
 * firstDelta.release();                                // or not: server.close() releases it
 * }</pre>
 */
public final class Gate {

    private int reached;
    private boolean released;

    /** A closed gate, not yet reached. */
    public Gate() {
    }

    /** Lets every reply held here go on, and every later one pass; idempotent. */
    public synchronized void release() {
        released = true;
        notifyAll();
    }

    /**
     * Whether the gate was released (by the test or by the closing server).
     *
     * @return true once released
     */
    public synchronized boolean isReleased() {
        return released;
    }

    /**
     * Whether a reply has come to this gate (and is held there, unless it was released).
     *
     * @return true once a reply reached it
     */
    public synchronized boolean isReached() {
        return reached > 0;
    }

    /**
     * Waits until a reply comes to this gate: the state a test needs before it acts on a held reply.
     *
     * @param hangBound the most to wait; a generous bound for a server that never gets there, not a pacing
     * @throws AssertionError if no reply reached the gate within the bound
     * @throws IllegalStateException if the waiting thread is interrupted
     */
    public void awaitReached(Duration hangBound) {
        long deadline = System.nanoTime() + Objects.requireNonNull(hangBound, "hangBound").toNanos();
        synchronized (this) {
            while (reached == 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no reply reached the gate within " + hangBound
                            + ": did the request reach the fake server?");
                }
                waitNanos(left);
            }
        }
    }

    /** The server's side: marks the gate reached and waits until it is released. */
    synchronized void pass() {
        reached++;
        notifyAll();
        while (!released) {
            waitNanos(Long.MAX_VALUE);
        }
    }

    /**
     * The scripted provider's side: marks the gate reached and waits until it is released or
     * {@code abandoned} says to stop waiting (whoever makes it true calls {@link #wake()}).
     *
     * @param abandoned whether the waiter gave up (its stream or provider closed)
     * @return true when released, false when abandoned
     */
    synchronized boolean pass(java.util.function.BooleanSupplier abandoned) {
        reached++;
        notifyAll();
        while (!released && !abandoned.getAsBoolean()) {
            waitNanos(Long.MAX_VALUE);
        }
        return released;
    }

    /**
     * The server's side when the waiter can be abandoned without anyone saying so (its client went away):
     * marks the gate reached and waits until it is released, looking every {@code recheckNanos} whether
     * {@code abandoned} became true.
     *
     * @param abandoned    whether to stop waiting
     * @param recheckNanos how often to look
     * @return true when released, false when abandoned
     */
    synchronized boolean pass(java.util.function.BooleanSupplier abandoned, long recheckNanos) {
        reached++;
        notifyAll();
        while (!released) {
            waitNanos(recheckNanos);
            if (!released && abandoned.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    /** Wakes the waiters so they look again whether they were abandoned. */
    synchronized void wake() {
        notifyAll();
    }

    private void waitNanos(long nanos) {
        try {
            wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting at a gate", e);
        }
    }

    @Override
    public synchronized String toString() {
        return "Gate{" + (released ? "released" : "closed") + ", reached " + reached + "}";
    }
}
