package dev.alfred.llm.tools;

import dev.alfred.llm.LlmProvider;

import java.time.Duration;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Time that moves only when the test says so: each wait for a deadline takes the next scripted step
 * ({@link #stepOnWait}), or waits for a notification (a tool ending) when none is left; {@link #advance}
 * moves it from another thread. A run that waits {@value #FAIL_AFTER_MILLIS} ms of wall-clock time with
 * nothing left to happen fails at once (a lost notification is a failure, not a hang). Tests wait for
 * states, never for durations.
 */
final class FakeClock implements ToolClock {

    /** How long a wait with nothing scripted may last on the wall clock before it is a failure. */
    static final long FAIL_AFTER_MILLIS = 1000;

    private volatile long now = 1_000_000_000L;
    private final Deque<Duration> steps = new ConcurrentLinkedDeque<>();
    private final Set<Object> monitors = ConcurrentHashMap.newKeySet();
    private final AtomicInteger waiting = new AtomicInteger();

    /** A loop builder on a fresh fake clock. */
    static ToolLoop.Builder loop(LlmProvider provider) {
        return ToolLoop.builder(provider).clock(new FakeClock());
    }

    /** Scripts the steps time takes, one each time the run waits for a deadline. */
    FakeClock stepOnWait(Duration... scripted) {
        steps.addAll(java.util.List.of(scripted));
        return this;
    }

    /** How many scripted steps are left. */
    int stepsLeft() {
        return steps.size();
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void awaitUntil(Object monitor, long deadline) throws InterruptedException {
        monitors.add(monitor);
        if (deadline != Long.MAX_VALUE) {
            if (now - deadline >= 0) {
                return;
            }
            Duration step = steps.poll();
            if (step != null) {
                now += step.toNanos();
                return;
            }
        }
        waiting.incrementAndGet();
        long start = System.nanoTime();
        try {
            monitor.wait(FAIL_AFTER_MILLIS);
        } finally {
            waiting.decrementAndGet();
        }
        if (System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(FAIL_AFTER_MILLIS)) {
            throw new AssertionError("the run waited " + FAIL_AFTER_MILLIS + " ms with nothing left to happen");
        }
    }

    /** Moves time on from another thread and wakes every waiter, which checks its deadline again. */
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
}
