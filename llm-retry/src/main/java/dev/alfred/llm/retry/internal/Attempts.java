package dev.alfred.llm.retry.internal;

import dev.alfred.llm.LlmException;
import dev.alfred.llm.spi.CallEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The attempts of one call under the retry rules: after each failure it says how long to wait
 * before the next attempt, or throws the failure that ends the call, with the earlier ones attached as
 * suppressed. Not thread-safe: one per call.
 */
public final class Attempts {

    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

    private final RetryRules policy;
    private final String providerId;
    private final Instant start;
    private final CallEvents events;
    private final List<LlmException> failures = new ArrayList<>();
    private int attempt = 1;
    private Duration previousWait;

    /**
     * Starts counting a call's attempts, and takes the {@link CallEvents#current() events} of the call
     * being started on this thread, which hear each retry. Create it where the call starts.
     *
     * @param policy     the rules
     * @param providerId the provider's id, for log lines
     */
    public Attempts(RetryRules policy, String providerId) {
        this.policy = policy;
        this.providerId = providerId;
        this.start = policy.now();
        this.events = CallEvents.current();
    }

    /**
     * Runs a blocking call under the rules: each retryable failure waits as the rules say and tries again;
     * the failure that ends the call is thrown with the earlier ones suppressed. Interrupted while waiting,
     * it ends with an {@link LlmException} and the thread's interrupt flag set.
     *
     * @param rules      the rules
     * @param providerId the provider's id
     * @param call       one attempt
     * @param <T>        what the call returns
     * @return the first successful attempt's result
     * @throws LlmException the failure that ends the call
     */
    public static <T> T call(RetryRules rules, String providerId, java.util.function.Supplier<T> call) {
        Attempts attempts = new Attempts(rules, providerId);
        while (true) {
            try {
                T result = call.get();
                attempts.onSuccess();
                return result;
            } catch (LlmException e) {
                Duration wait = attempts.next(e);
                try {
                    rules.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    LlmException interrupted = new LlmException(providerId + ": interrupted while waiting to retry",
                            providerId, -1, null, false, null, ie);
                    interrupted.addSuppressed(e);
                    throw interrupted;
                }
            }
        }
    }

    /**
     * The number of the attempt under way, from 1.
     *
     * @return the attempt
     */
    public int attempt() {
        return attempt;
    }

    /** Records a success: the budget gets its refund. */
    public void onSuccess() {
        policy.onSuccess();
    }

    /**
     * Decides what follows a failed attempt.
     *
     * @param failure the attempt's failure
     * @return how long to wait before the next attempt
     * @throws LlmException the failure itself, with earlier ones suppressed, when no retry follows
     */
    public Duration next(LlmException failure) {
        failures.add(failure);
        if (!policy.isRetryable(failure)) {
            throw giveUp(failure, "not retryable");
        }
        if (attempt >= policy.maxAttempts()) {
            throw giveUp(failure, "all " + policy.maxAttempts() + " attempts failed");
        }
        Duration wait;
        if (failure.retryAfter().isPresent()) {
            wait = failure.retryAfter().get();
            if (wait.compareTo(policy.maxRetryAfter()) > 0) {
                throw giveUp(failure, "Retry-After " + wait.toSeconds() + " s is above the cap of "
                        + policy.maxRetryAfter().toSeconds() + " s");
            }
        } else {
            wait = policy.backoff(attempt, previousWait);
        }
        Duration elapsed = Duration.between(start, policy.now());
        if (elapsed.plus(wait).compareTo(policy.deadline()) > 0) {
            throw giveUp(failure, "the next attempt would start past the deadline of " + policy.deadline().toMillis() + " ms");
        }
        if (!policy.tryAcquireRetry()) {
            throw giveUp(failure, "the retry budget is exhausted (" + policy.budgetDescription() + ")");
        }
        LOG.warn("{}: attempt {}/{} failed ({}); retrying in {} ms", providerId, attempt, policy.maxAttempts(),
                failure.getMessage(), wait.toMillis());
        previousWait = wait;
        events.retry(attempt, failure, wait);
        attempt++;
        return wait;
    }

    private LlmException giveUp(LlmException last, String why) {
        for (LlmException earlier : failures) {
            if (earlier != last) {
                last.addSuppressed(earlier);
            }
        }
        if (attempt > 1 || policy.isRetryable(last)) {
            LOG.debug("{}: giving up after attempt {}: {}", providerId, attempt, why);
        }
        return last;
    }
}
