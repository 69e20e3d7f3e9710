package dev.alfred.llm.spi;

import dev.alfred.llm.EmbeddingBatchException;
import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.Usage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batching: plans within limits, bounded concurrency, order, failures that name their range, interrupts. */
class EmbeddingBatchesTest {

    private static EmbeddingRequest texts(int n) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t.add("t" + i);
        }
        return EmbeddingRequest.builder().texts(t).build();
    }

    /** A vector per input whose first float is the input's number, so order shows. */
    private static EmbeddingResponse echo(EmbeddingRequest batch) {
        List<float[]> v = new ArrayList<>();
        for (int i = 0; i < batch.inputs().size(); i++) {
            v.add(new float[] {Float.parseFloat(batch.text(i).substring(1))});
        }
        return new EmbeddingResponse(v, "m", Usage.of(batch.inputs().size(), 0, batch.inputs().size()));
    }

    private static String ranges(List<int[]> plan) {
        StringBuilder b = new StringBuilder();
        for (int[] r : plan) {
            b.append(r[0]).append("..").append(r[1]).append(' ');
        }
        return b.toString().trim();
    }

    @Test
    void aPlanCutsByInputCountAndByTokensAndGivesAnOversizedInputABatchOfItsOwn() {
        assertEquals("0..3 3..6 6..7", ranges(EmbeddingBatches.plan(texts(7), new EmbeddingLimits(3, 1000, 1))));
        assertEquals("0..7", ranges(EmbeddingBatches.plan(texts(7), new EmbeddingLimits(7, 1000, 1))));
        // "t0".."t9" are 2 bytes each: 3 fit in 6 tokens, the fourth would make 8
        assertEquals("0..3 3..6 6..7", ranges(EmbeddingBatches.plan(texts(7), new EmbeddingLimits(100, 6, 1))));
        assertEquals("0..4 4..7", ranges(EmbeddingBatches.plan(texts(7), new EmbeddingLimits(100, 8, 1))));
        EmbeddingRequest big = EmbeddingRequest.ofTexts("a", "x".repeat(50), "b");
        assertEquals("0..1 1..2 2..3", ranges(EmbeddingBatches.plan(big, new EmbeddingLimits(100, 10, 1))));
    }

    @Test
    void aRequestThatFitsGoesAsItIsAndItsFailureIsThrownAsItIs() {
        EmbeddingRequest r = texts(3);
        AtomicReference<EmbeddingRequest> seen = new AtomicReference<>();
        EmbeddingResponse out = EmbeddingBatches.run(r, EmbeddingLimits.NONE, b -> {
            seen.set(b);
            return echo(b);
        });
        assertSame(r, seen.get());
        assertEquals(3, out.size());
        RateLimitException limit = new RateLimitException("slow", "p", 429, null, null, null);
        assertSame(limit, assertThrows(RateLimitException.class,
                () -> EmbeddingBatches.run(r, EmbeddingLimits.NONE, b -> { throw limit; })));
        assertThrows(NullPointerException.class, () -> EmbeddingBatches.run(r, EmbeddingLimits.NONE, null));
    }

    @Test
    void manyBatchesComeBackInInputOrderWithUsageSummedWhateverOrderTheyFinishIn() {
        EmbeddingRequest r = texts(10);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        EmbeddingResponse out = EmbeddingBatches.run(r, new EmbeddingLimits(3, 1000, 4), b -> {
            sizes.add(b.inputs().size());
            return echo(b);
        });
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(new float[] {i}, out.vector(i));
        }
        assertEquals(Usage.of(10, 0, 10), out.usage());
        Collections.sort(sizes);
        assertEquals(List.of(1, 3, 3, 3), sizes);
    }

    @Test
    void noMoreThanTheConcurrencyAreInFlightAndTheyDoRunTogether() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch together = new CountDownLatch(2);
        EmbeddingResponse out = EmbeddingBatches.run(texts(8), new EmbeddingLimits(1, 1000, 2), b -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            together.countDown();
            try {
                together.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            inFlight.decrementAndGet();
            return echo(b);
        });
        assertEquals(8, out.size());
        assertEquals(2, peak.get());
    }

    @Test
    void theFirstFailedBatchNamesItsRangeTheOthersAreSuppressedAndNoNewBatchStartsAfterAFailure() {
        AtomicInteger calls = new AtomicInteger();
        InvalidRequestException bad = new InvalidRequestException("too long", "p", 400, "invalid_request_error", null);
        EmbeddingBatchException e = assertThrows(EmbeddingBatchException.class,
                () -> EmbeddingBatches.run(texts(9), new EmbeddingLimits(3, 1000, 1), b -> {
                    calls.incrementAndGet();
                    if (b.text(0).equals("t3")) {
                        throw bad;
                    }
                    return echo(b);
                }));
        assertEquals(3, e.fromIndex());
        assertEquals(6, e.toIndex());
        assertSame(bad, e.getCause());
        assertEquals("embedding batch 2 of 3 (inputs 3..5) failed: too long", e.getMessage());
        assertEquals(2, calls.get());
        assertEquals(400, e.httpStatus().getAsInt());

        CountDownLatch both = new CountDownLatch(2);
        EmbeddingBatchException two = assertThrows(EmbeddingBatchException.class,
                () -> EmbeddingBatches.run(texts(4), new EmbeddingLimits(2, 1000, 2), b -> {
                    both.countDown();
                    try {
                        both.await();
                    } catch (InterruptedException ie) {
                        throw new IllegalStateException(ie);
                    }
                    throw new RateLimitException("r" + b.text(0), "p", 429, null, null, null);
                }));
        assertEquals("rt" + two.fromIndex(), two.getCause().getMessage());
        assertEquals(1, two.getSuppressed().length);
    }

    @Test
    void aFailureThatIsNotTheLibrarysGoesOutUnwrapped() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class,
                () -> EmbeddingBatches.run(texts(4), new EmbeddingLimits(2, 1000, 1), b -> { throw bug; })));
    }

    @Test
    void aBatchAnsweredWithTheWrongNumberOfVectorsIsMalformedAndNamesItsInputs() {
        Function<EmbeddingRequest, EmbeddingResponse> short1 = b -> new EmbeddingResponse(List.of(new float[] {1}), null, Usage.ZERO);
        MalformedResponseException one = assertThrows(MalformedResponseException.class,
                () -> EmbeddingBatches.run(texts(2), EmbeddingLimits.NONE, short1));
        assertEquals("the embeddings response for inputs 0..1 has 1 vectors for 2 inputs", one.getMessage());
        EmbeddingBatchException many = assertThrows(EmbeddingBatchException.class,
                () -> EmbeddingBatches.run(texts(4), new EmbeddingLimits(2, 1000, 1), short1));
        assertInstanceOf(MalformedResponseException.class, many.getCause());
        assertTrue(assertThrows(MalformedResponseException.class,
                () -> EmbeddingBatches.run(texts(1), EmbeddingLimits.NONE, b -> null)).getMessage().contains("has no vectors"));
    }

    @Test
    void anInterruptedCallStopsItsBatchesEndsItsThreadsAndSaysSo() throws Exception {
        CountDownLatch helperBlocked = new CountDownLatch(1);
        CountDownLatch callersBatchDone = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Thread> helper = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                EmbeddingBatches.run(texts(4), new EmbeddingLimits(1, 1000, 2), b -> {
                    try {
                        if (Thread.currentThread().getName().startsWith("alfred-embeddings-")) {
                            helper.set(Thread.currentThread());
                            helperBlocked.countDown();
                            new CountDownLatch(1).await();
                        } else {
                            helperBlocked.await();
                            callersBatchDone.countDown();
                        }
                    } catch (InterruptedException e) {
                        throw new LlmException("cancelled", e);
                    }
                    return echo(b);
                });
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.start();
        callersBatchDone.await();
        while (caller.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        caller.interrupt();
        caller.join();
        helper.get().join();
        assertInstanceOf(LlmException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("interrupted"), thrown.get().getMessage());
        assertTrue(helper.get().isDaemon());
    }

    @Test
    void aFailureCancelsTheOtherBatchesInFlightInsteadOfWaitingForThem() {
        CountDownLatch helperBlocked = new CountDownLatch(1);
        EmbeddingBatchException e = assertThrows(EmbeddingBatchException.class,
                () -> EmbeddingBatches.run(texts(2), new EmbeddingLimits(1, 1000, 2), b -> {
                    try {
                        if (Thread.currentThread().getName().startsWith("alfred-embeddings-")) {
                            helperBlocked.countDown();
                            new CountDownLatch(1).await();
                            return echo(b);
                        }
                        helperBlocked.await();
                    } catch (InterruptedException ie) {
                        throw new LlmException("cancelled " + b.text(0), ie);
                    }
                    throw new InvalidRequestException("bad " + b.text(0), "p", 400, null, null);
                }));
        assertTrue(e.getCause().getMessage().startsWith("bad "), e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0].getMessage().startsWith("cancelled "));
    }
}
