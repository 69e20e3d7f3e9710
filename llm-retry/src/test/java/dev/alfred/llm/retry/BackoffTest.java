package dev.alfred.llm.retry;

import dev.alfred.llm.retry.Backoff.Jitter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backoff maths, with exact values for fixed draws, and properties over many draws. */
class BackoffTest {

    private static Backoff with(Jitter j) {
        return new Backoff(Duration.ofMillis(500), 2, Duration.ofSeconds(8), j);
    }

    private static long ms(Duration d) {
        return d.toMillis();
    }

    @Test
    void noJitterIsTheExponentialCappedAtEightSeconds() {
        Backoff b = with(Jitter.NONE);
        long[] expected = {500, 1000, 2000, 4000, 8000, 8000, 8000};
        for (int retry = 1; retry <= expected.length; retry++) {
            assertEquals(expected[retry - 1], ms(b.delay(retry, null, 0.3)), "retry " + retry);
        }
    }

    @Test
    void fullJitterIsTheDrawTimesTheExponential() {
        Backoff b = with(Jitter.FULL);
        assertEquals(250, ms(b.delay(1, null, 0.5)));
        assertEquals(500, ms(b.delay(2, null, 0.5)));
        assertEquals(0, ms(b.delay(3, null, 0.0)));
        assertEquals(7200, ms(b.delay(9, null, 0.9)));
    }

    @Test
    void equalJitterKeepsAtLeastHalf() {
        Backoff b = with(Jitter.EQUAL);
        assertEquals(250, ms(b.delay(1, null, 0.0)));
        assertEquals(375, ms(b.delay(1, null, 0.5)));
        assertEquals(1500, ms(b.delay(3, null, 0.5)), "1000 + 0.5 × 1000");
    }

    @Test
    void decorrelatedJitterGrowsFromThePreviousWaitAndTheCapHoldsAfterJitter() {
        Backoff b = with(Jitter.DECORRELATED);
        assertEquals(1000, ms(b.delay(1, null, 0.5)), "base + 0.5 × (3 × base − base)");
        assertEquals(2000, ms(b.delay(2, Duration.ofMillis(1000), 0.6)), "500 + 0.6 × (3000 − 500)");
        assertEquals(7925, ms(b.delay(5, Duration.ofSeconds(7), 0.99)), "3 × 7 s is capped to 8 s first: 500 + 0.99 × 7500");
        assertEquals(8000, ms(new Backoff(Duration.ofMillis(500), 2, Duration.ofSeconds(8), Jitter.NONE).delay(40, null, 0.99)));
    }

    @Test
    void theExponentCannotOverflow() {
        for (Jitter j : Jitter.values()) {
            Duration d = with(j).delay(Integer.MAX_VALUE, Duration.ofSeconds(8), 0.999999);
            assertTrue(d.compareTo(Duration.ofSeconds(8)) <= 0 && !d.isNegative(), j + ": " + d);
        }
        Backoff steep = new Backoff(Duration.ofMillis(1), 1e300, Duration.ofHours(1), Jitter.NONE);
        assertEquals(Duration.ofHours(1), steep.delay(10, null, 0));
    }

    @Test
    void everyDelayIsWithinZeroAndTheCapAndTheDistributionIsNotDegenerate() {
        Random random = new Random(42);
        for (Jitter j : Jitter.values()) {
            Backoff b = with(j);
            Set<Long> distinct = new HashSet<>();
            Duration previous = null;
            double sum = 0;
            int n = 10_000;
            for (int i = 0; i < n; i++) {
                int retry = 1 + random.nextInt(12);
                Duration d = b.delay(retry, previous, random.nextDouble());
                assertTrue(!d.isNegative() && d.compareTo(Duration.ofSeconds(8)) <= 0, j + " retry " + retry + ": " + d);
                distinct.add(d.toMillis());
                sum += d.toMillis();
                previous = d;
            }
            double mean = sum / n;
            if (j != Jitter.NONE) {
                assertTrue(distinct.size() > 1000, j + " has only " + distinct.size() + " distinct values");
            }
            assertTrue(mean > 100 && mean < 8000, j + " mean " + mean);
        }
    }

    @Test
    void fullJitterSpreadsOverTheWholeRange() {
        Backoff b = with(Jitter.FULL);
        Random random = new Random(7);
        int[] buckets = new int[4];
        for (int i = 0; i < 8000; i++) {
            long ms = b.delay(5, null, random.nextDouble()).toMillis();
            buckets[(int) Math.min(3, ms / 2000)]++;
        }
        for (int count : buckets) {
            assertTrue(count > 1700 && count < 2300, "quartile counts " + java.util.Arrays.toString(buckets));
        }
    }

    @Test
    void jitterByNameAndValidation() {
        assertEquals(Jitter.DECORRELATED, Jitter.named(" Decorrelated "));
        assertEquals(Jitter.NONE, Jitter.named("none"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Jitter.named("random"));
        assertTrue(e.getMessage().contains("full"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, 2, Duration.ofSeconds(1), Jitter.FULL));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), Jitter.FULL));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), Jitter.FULL));
        assertThrows(IllegalArgumentException.class, () -> with(Jitter.FULL).delay(0, null, 0.5));
        assertThrows(IllegalArgumentException.class, () -> with(Jitter.FULL).delay(1, null, 1.0));
    }

    @Test
    void budgetRunsDryAndSuccessesRefill() {
        RetryBudget budget = new RetryBudget(10, 5, 1);
        assertEquals(2, budget.maxBurst());
        assertTrue(budget.tryAcquire());
        assertTrue(budget.tryAcquire());
        assertTrue(!budget.tryAcquire(), "empty after two retries");
        for (int i = 0; i < 4; i++) {
            budget.onSuccess();
        }
        assertTrue(!budget.tryAcquire(), "four refunds are not one retry");
        budget.onSuccess();
        assertTrue(budget.tryAcquire());
        for (int i = 0; i < 100; i++) {
            budget.onSuccess();
        }
        assertEquals(10, budget.tokens(), "never above capacity");
        assertTrue(RetryBudget.unlimited().tryAcquire());
    }
}
