package dev.alfred.llm.retry;

import java.time.Duration;

/**
 * Waits between attempts. Injected so that tests record waits instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * The real thing: {@link Thread#sleep}.
     *
     * @return the system sleeper
     */
    static Sleeper system() {
        return d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }

    /**
     * Waits.
     *
     * @param duration how long
     * @throws InterruptedException if the thread is interrupted while waiting (a stream being closed
     *                              interrupts its waiting reader)
     */
    void sleep(Duration duration) throws InterruptedException;
}
