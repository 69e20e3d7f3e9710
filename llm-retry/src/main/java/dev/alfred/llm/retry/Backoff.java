package dev.alfred.llm.retry;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Exponential backoff with jitter, as pure maths: the wait before retry {@code n} is
 * {@code base × factor^(n-1)}, capped, then jittered, then capped again (so the cap holds after
 * jitter). The exponent cannot overflow: the growth saturates at the cap. Immutable.
 *
 * @param base   the first wait before jitter
 * @param factor the growth per retry, at least 1
 * @param cap    the longest wait
 * @param jitter how the wait is randomized
 */
public record Backoff(Duration base, double factor, Duration cap, Jitter jitter) {

    /** How a wait is randomized; see "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015). */
    public enum Jitter {
        /** No randomness: exactly the exponential wait. */
        NONE,
        /** Uniform in [0, wait]: spreads a herd of clients the most. The default. */
        FULL,
        /** Half the wait plus uniform in [0, wait/2]: never much shorter than the exponential wait. */
        EQUAL,
        /** Uniform in [base, 3 × previous wait]: grows from the last actual wait, not the attempt count. */
        DECORRELATED;

        /**
         * The jitter kind by its name, in any case: {@code none}, {@code full}, {@code equal},
         * {@code decorrelated}.
         *
         * @param name the name
         * @return the kind
         * @throws IllegalArgumentException naming the accepted names when the name is none of them
         */
        public static Jitter named(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("jitter must be one of none, full, equal, decorrelated; was '"
                        + name + "'");
            }
        }
    }

    /** The default: base 500 ms, factor 2, cap 8 s, full jitter. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(8), Jitter.FULL);

    /**
     * Validates.
     *
     * @param base the first wait before jitter
     * @param factor the growth per retry, at least 1
     * @param cap the longest wait
     * @param jitter how the wait is randomized
     * @throws IllegalArgumentException naming the field: base not positive, factor below 1 or not
     *                                  finite, cap below base, or a null jitter
     */
    public Backoff {
        if (base == null || base.isZero() || base.isNegative()) {
            throw new IllegalArgumentException("base must be a positive duration, was " + base);
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be a finite number of at least 1, was " + factor);
        }
        if (cap == null || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("cap must be at least base (" + base + "), was " + cap);
        }
        Objects.requireNonNull(jitter, "jitter");
    }

    /**
     * The wait before a retry.
     *
     * @param retry    which retry, from 1 (the wait after the first attempt failed)
     * @param previous the wait before the previous retry (for decorrelated jitter); ignored for retry 1
     * @param draw     a uniform random number in [0, 1)
     * @return the wait, within [0, cap]
     * @throws IllegalArgumentException if retry is below 1 or draw outside [0, 1)
     */
    public Duration delay(int retry, Duration previous, double draw) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry must be at least 1, was " + retry);
        }
        if (!(draw >= 0 && draw < 1)) {
            throw new IllegalArgumentException("draw must be within [0, 1), was " + draw);
        }
        double capNanos = cap.toNanos();
        double baseNanos = base.toNanos();
        // Math.pow saturates at infinity rather than overflowing; min() brings it back to the cap.
        double exponential = Math.min(capNanos, baseNanos * Math.pow(factor, retry - 1));
        double wait;
        switch (jitter) {
            case NONE:
                wait = exponential;
                break;
            case FULL:
                wait = draw * exponential;
                break;
            case EQUAL:
                wait = exponential / 2 + draw * exponential / 2;
                break;
            case DECORRELATED:
                double last = retry == 1 || previous == null ? baseNanos : Math.max(baseNanos, previous.toNanos());
                wait = baseNanos + draw * (Math.min(capNanos, last * 3) - baseNanos);
                break;
            default:
                throw new IllegalStateException(jitter.toString());
        }
        return Duration.ofNanos((long) Math.min(capNanos, Math.max(0, wait)));
    }
}
