package dev.alfred.llm.tools;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Time that moves only when the test moves it: a reader waiting for a deadline waits until
 * {@link #advance} reaches it. Tests wait for states ({@link #awaitWaiting()}), never for a duration.
 */
final class FakeClock implements ToolClock {

    private volatile long now = 1_000_000_000L;
    private final Set<Object> monitors = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waiting = new AtomicInteger();

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void awaitUntil(Object monitor, long deadline) throws InterruptedException {
        monitors.add(monitor);
        if (deadline != Long.MAX_VALUE && now - deadline >= 0) {
            return;
        }
        waiting.incrementAndGet();
        try {
            monitor.wait();
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Moves time on and wakes every waiter, which checks its deadline again. */
    void advance(Duration d) {
        now += d.toNanos();
        for (Object m : monitors) {
            synchronized (m) {
                m.notifyAll();
            }
        }
    }

    /** Returns once some reader waits on this clock (the test's own timeout bounds a failure). */
    void awaitWaiting() {
        while (waiting.get() == 0) {
            Thread.yield();
        }
    }

    long elapsedSince(long start) {
        return now - start;
    }
}
