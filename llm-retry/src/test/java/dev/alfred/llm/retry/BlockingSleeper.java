package dev.alfred.llm.retry;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sleeper that says when a wait began and then waits until its thread is interrupted (closing a
 * stream interrupts its reader's wait), whatever the duration asked: a test can act on a reader that is
 * surely waiting, and no real time passes.
 */
final class BlockingSleeper implements Sleeper {

    private final CountDownLatch began = new CountDownLatch(1);
    private final CountDownLatch never = new CountDownLatch(1);

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        began.countDown();
        never.await();
    }

    /** Waits until a wait began; fails after 20 s (a reader that never waits is a broken test). */
    boolean awaitWaiting() throws InterruptedException {
        return began.await(20, TimeUnit.SECONDS);
    }
}
