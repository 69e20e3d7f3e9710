package dev.alfred.llm.retry.internal;

import dev.alfred.llm.LlmException;

import java.time.Duration;
import java.time.Instant;

/**
 * What one call's attempts need to know of the retry policy. The public policy is adapted to it by the
 * decorator, so that this package depends on the port alone and never back on its own root package.
 * Implementations are thread-safe.
 */
public interface RetryRules {

    /**
     * Whether a failure may be retried at all.
     *
     * @param failure the failure
     * @return true if it is of a kind to retry
     */
    boolean isRetryable(LlmException failure);

    /** @return attempts in all, the first included */
    int maxAttempts();

    /** @return the longest Retry-After honoured */
    Duration maxRetryAfter();

    /** @return the longest time across all attempts and waits */
    Duration deadline();

    /**
     * The backoff before the next attempt, with the policy's jitter drawn.
     *
     * @param attempt      the attempt that failed, from 1
     * @param previousWait the wait before it, or null
     * @return the wait
     */
    Duration backoff(int attempt, Duration previousWait);

    /** @return true if the shared budget allows one more retry (and takes its cost) */
    boolean tryAcquireRetry();

    /** Refunds the shared budget after a success. */
    void onSuccess();

    /** @return the budget, described for a message */
    String budgetDescription();

    /**
     * Waits before a retry.
     *
     * @param wait how long
     * @throws InterruptedException if the waiting thread is interrupted (a stream closed meanwhile)
     */
    void sleep(Duration wait) throws InterruptedException;

    /** @return the time now, on the policy's clock */
    Instant now();
}
