package dev.alfred.llm.retry;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.StreamInterruptedException;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * When and how long to retry: immutable and thread-safe, built with {@link #builder()}; one policy (and
 * its {@link RetryBudget}) is meant to be shared by every call of an application.
 *
 * <p>{@link #defaults()}: 3 attempts in all; exponential backoff from 500 ms, ×2, capped at 8 s, with
 * full jitter; a {@code Retry-After} of up to 60 s honoured exactly, a longer one not retried at all;
 * 5 minutes overall across attempts; a budget of 100 tokens, 5 per retry, 1 back per success. Only
 * retryable failures are retried (rate limits, overload, 5xx, connection failures and timeouts), never
 * quota, authentication or invalid-request errors.
 */
public final class RetryPolicy {

    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration maxRetryAfter;
    private final Duration deadline;
    private final RetryBudget budget;
    private final Predicate<LlmException> retryOn;
    private final Sleeper sleeper;
    private final Clock clock;
    private final DoubleSupplier random;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.deadline = b.deadline;
        this.budget = b.budget != null ? b.budget : new RetryBudget(100, 5, 1);
        this.retryOn = b.retryOn;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        this.random = b.random;
    }

    /**
     * The default policy, with its own budget.
     *
     * @return a new default policy
     */
    public static RetryPolicy defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether a failure is of a kind to retry: the {@link Builder#retryOn} predicate, by default the
     * server's directive when it gave one ({@code x-should-retry}, {@link LlmException#retryDirective()}),
     * else {@link LlmException#isRetryable()} and never quota, authentication, invalid-request or an
     * interrupted stream.
     *
     * @param failure the failure
     * @return true if it may be retried
     */
    public boolean isRetryable(LlmException failure) {
        return retryOn.test(failure);
    }

    static boolean defaultRetryable(LlmException e) {
        if (e.retryDirective().isPresent() && !(e instanceof StreamInterruptedException)) {
            return e.retryDirective().get();
        }
        if (e instanceof QuotaExceededException || e instanceof AuthenticationException
                || e instanceof InvalidRequestException || e instanceof StreamInterruptedException) {
            return false;
        }
        return e.isRetryable();
    }

    /** @return how many attempts in all, the first included */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the backoff */
    public Backoff backoff() {
        return backoff;
    }

    /** @return the longest Retry-After honoured; above it, no retry */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /** @return the longest time across all attempts and waits */
    public Duration deadline() {
        return deadline;
    }

    /** @return the budget shared by every call through this policy */
    public RetryBudget budget() {
        return budget;
    }

    /** @return the sleeper */
    public Sleeper sleeper() {
        return sleeper;
    }

    /** @return the clock that measures the deadline */
    public Clock clock() {
        return clock;
    }

    /**
     * A uniform random draw in [0, 1) for the jitter.
     *
     * @return the draw
     */
    public double draw() {
        double d = random.getAsDouble();
        return d >= 0 && d < 1 ? d : 0;
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", backoff=" + backoff + ", maxRetryAfter=" + maxRetryAfter
                + ", deadline=" + deadline + ", budget=" + budget + "}";
    }

    /** Builds a {@link RetryPolicy}; not thread-safe. Starts from the defaults. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Backoff backoff = Backoff.DEFAULT;
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Duration deadline = Duration.ofMinutes(5);
        private RetryBudget budget;
        private Predicate<LlmException> retryOn = RetryPolicy::defaultRetryable;
        private Sleeper sleeper = Sleeper.system();
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

        private Builder() {
        }

        /**
         * Sets how many attempts in all, the first included (default 3; 1 means no retry).
         *
         * @param maxAttempts at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the backoff (default {@link Backoff#DEFAULT}).
         *
         * @param backoff the backoff
         * @return this builder
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Sets the jitter, keeping the rest of the backoff.
         *
         * @param jitter the jitter kind
         * @return this builder
         */
        public Builder jitter(Backoff.Jitter jitter) {
            this.backoff = new Backoff(backoff.base(), backoff.factor(), backoff.cap(), jitter);
            return this;
        }

        /**
         * Sets the longest {@code Retry-After} honoured (default 60 s); a failure asking for longer is
         * thrown at once, carrying the wait.
         *
         * @param max a non-negative duration
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRetryAfter(Duration max) {
            if (max == null || max.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative, was " + max);
            }
            this.maxRetryAfter = max;
            return this;
        }

        /**
         * Sets the overall deadline across attempts and waits (default 5 minutes): no retry starts
         * whose wait would end past it.
         *
         * @param deadline a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder deadline(Duration deadline) {
            if (deadline == null || deadline.isZero() || deadline.isNegative()) {
                throw new IllegalArgumentException("deadline must be positive, was " + deadline);
            }
            this.deadline = deadline;
            return this;
        }

        /**
         * Sets the retry budget (default 100 tokens, 5 per retry, 1 back per success).
         *
         * @param budget the budget, shared by every call through the policy
         * @return this builder
         */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * Overrides which failures are retried.
         *
         * @param retryOn true for failures to retry
         * @return this builder
         */
        public Builder retryOn(Predicate<LlmException> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retryOn");
            return this;
        }

        /**
         * Sets the sleeper (tests record waits instead of sleeping).
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Sets the clock that measures the deadline.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the source of uniform draws in [0, 1) for the jitter.
         *
         * @param random the source
         * @return this builder
         */
        public Builder random(DoubleSupplier random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the immutable policy
         */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
