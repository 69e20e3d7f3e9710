package dev.alfred.llm.http;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A call on a thread of its own, for tests that need a reader blocked while they act: the test waits for
 * the state it needs (the call blocked, the call ended), each wait bounded by {@link Loopback#HANG}, so a
 * broken implementation fails the test within seconds instead of hanging it.
 */
final class Background {

    /** A call that may throw anything. */
    interface Call {
        void run() throws Throwable;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean interruptedAfter;

    private Background(Call call) {
        thread = new Thread(() -> {
            try {
                call.run();
            } catch (Throwable t) {
                failure.set(t);
            }
            interruptedAfter = Thread.currentThread().isInterrupted();
        }, "background-call");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the call. */
    static Background start(Call call) {
        return new Background(call);
    }

    /** Starts the call and returns once it blocks (or has ended already). */
    static Background blocked(Call call) {
        Background b = new Background(call);
        b.awaitBlocked();
        return b;
    }

    /** Waits until the call blocks, timed or not, or has ended. */
    void awaitBlocked() {
        long until = System.nanoTime() + Loopback.HANG.toNanos();
        while (true) {
            Thread.State s = thread.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING || s == Thread.State.TERMINATED) {
                return;
            }
            assertTrue(System.nanoTime() < until, "the call never blocked");
            Thread.onSpinWait();
        }
    }

    /** Whether the call is still running. */
    boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Waits for the call to end.
     *
     * @return what it threw, or null when it returned
     */
    Throwable outcome() throws InterruptedException {
        thread.join(Loopback.HANG.toMillis());
        assertFalse(thread.isAlive(), "the call did not end");
        return failure.get();
    }

    /** Whether the thread's interrupt flag was set when the call had ended. */
    boolean interruptedAfter() throws InterruptedException {
        outcome();
        return interruptedAfter;
    }
}
