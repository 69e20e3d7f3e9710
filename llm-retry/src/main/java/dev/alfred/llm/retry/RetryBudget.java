package dev.alfred.llm.retry;

/**
 * A token bucket shared by every call through one {@link RetryPolicy}: a retry takes {@code retryCost}
 * tokens, a success puts {@code successRefund} back, up to {@code capacity}. When the bucket runs dry,
 * failures are thrown without retry, so a fleet of calls against a failing API sends a bounded number
 * of retries instead of multiplying its traffic. Modelled on the AWS SDKs' retry quota and gRPC's retry
 * throttling. Thread-safe.
 */
public final class RetryBudget {

    private final int capacity;
    private final int retryCost;
    private final int successRefund;
    private final boolean unlimited;
    private int tokens;

    /**
     * A full bucket.
     *
     * @param capacity      the most tokens held
     * @param retryCost     tokens one retry takes
     * @param successRefund tokens one success returns
     * @throws IllegalArgumentException if capacity or retryCost is not positive, or successRefund is negative
     */
    public RetryBudget(int capacity, int retryCost, int successRefund) {
        if (capacity <= 0 || retryCost <= 0 || successRefund < 0) {
            throw new IllegalArgumentException("capacity and retryCost must be positive and successRefund not"
                    + " negative; were " + capacity + ", " + retryCost + ", " + successRefund);
        }
        this.capacity = capacity;
        this.retryCost = retryCost;
        this.successRefund = successRefund;
        this.unlimited = false;
        this.tokens = capacity;
    }

    private RetryBudget() {
        this.capacity = 0;
        this.retryCost = 0;
        this.successRefund = 0;
        this.unlimited = true;
    }

    /**
     * A bucket that never runs dry, for callers that bound retries otherwise.
     *
     * @return the unlimited budget
     */
    public static RetryBudget unlimited() {
        return new RetryBudget();
    }

    /**
     * Takes the tokens for one retry, if there are enough.
     *
     * @return true if the retry may go ahead
     */
    public synchronized boolean tryAcquire() {
        if (unlimited) {
            return true;
        }
        if (tokens < retryCost) {
            return false;
        }
        tokens -= retryCost;
        return true;
    }

    /** Returns tokens after a success. */
    public synchronized void onSuccess() {
        if (!unlimited) {
            tokens = Math.min(capacity, tokens + successRefund);
        }
    }

    /**
     * The tokens left.
     *
     * @return the count
     */
    public synchronized int tokens() {
        return tokens;
    }

    /**
     * The most retries a full bucket allows with no success in between.
     *
     * @return capacity divided by cost
     */
    public int maxBurst() {
        return unlimited ? Integer.MAX_VALUE : capacity / retryCost;
    }

    @Override
    public String toString() {
        return unlimited ? "RetryBudget{unlimited}" : "RetryBudget{tokens=" + tokens() + "/" + capacity
                + ", retryCost=" + retryCost + ", successRefund=" + successRefund + "}";
    }
}
