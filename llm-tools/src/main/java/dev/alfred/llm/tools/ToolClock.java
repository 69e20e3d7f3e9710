package dev.alfred.llm.tools;

import java.util.concurrent.TimeUnit;

/**
 * The time the tool deadlines run on, and the wait for them: the system's, or a test's fake time (which
 * only moves when the test moves it, so a deadline is tested without waiting on the wall clock).
 */
interface ToolClock {

    /** The system's: {@link System#nanoTime()} and a timed wait on the monitor. */
    ToolClock SYSTEM = new ToolClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void awaitUntil(Object monitor, long deadline) throws InterruptedException {
            if (deadline == Long.MAX_VALUE) {
                monitor.wait();
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(monitor, deadline - System.nanoTime());
        }
    };

    /**
     * Now, in nanoseconds.
     *
     * @return the time
     */
    long nanoTime();

    /**
     * Waits on a monitor the caller holds until it is notified or this clock reaches the deadline
     * (returning early is allowed: the caller checks again).
     *
     * @param monitor  the monitor, held
     * @param deadline the time to stop waiting at, {@link Long#MAX_VALUE} for none
     * @throws InterruptedException if the thread is interrupted
     */
    void awaitUntil(Object monitor, long deadline) throws InterruptedException;
}
