package dev.alfred.llm.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The system's time for deadlines: its ticker, a wait that ends at the deadline, and one that waits for a notification. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ToolClockTest {

    private final Object monitor = new Object();

    @Test
    void itTicksWithTheSystem() {
        long before = System.nanoTime();
        long now = ToolClock.SYSTEM.nanoTime();
        assertTrue(now - before >= 0 && now - System.nanoTime() <= 0, "between two reads of System.nanoTime()");
    }

    @Test
    void aWaitEndsAtItsDeadline() throws InterruptedException {
        long start = System.nanoTime();
        long[] waited = new long[1];
        Thread waiter = new Thread(() -> {
            synchronized (monitor) {
                try {
                    ToolClock.SYSTEM.awaitUntil(monitor, start + TimeUnit.MILLISECONDS.toNanos(20));
                    ToolClock.SYSTEM.awaitUntil(monitor, start);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            waited[0] = System.nanoTime() - start;
        });
        waiter.setDaemon(true);
        waiter.start();
        waiter.join(2000);
        assertFalse(waiter.isAlive(), "it waits no longer than its deadline");
        assertTrue(waited[0] >= TimeUnit.MILLISECONDS.toNanos(20), "waited " + waited[0]);
    }

    @Test
    void withoutADeadlineItWaitsForANotification() throws Exception {
        Thread waiter = new Thread(() -> {
            synchronized (monitor) {
                try {
                    ToolClock.SYSTEM.awaitUntil(monitor, Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        waiter.start();
        while (waiter.getState() != Thread.State.WAITING) {
            Thread.State state = waiter.getState();
            assertFalse(state == Thread.State.TERMINATED, "it returned without being notified");
            assertFalse(state == Thread.State.TIMED_WAITING, "it waits for a notification, not for a time");
            Thread.yield();
        }
        synchronized (monitor) {
            monitor.notifyAll();
        }
        waiter.join(5000);
        assertEquals(Thread.State.TERMINATED, waiter.getState());
    }
}
