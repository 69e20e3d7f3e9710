package dev.alfred.llm.http.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pull reader's promises: bounded demand, how long a wait has lasted on fake time, a time-out from the
 * owner, cancel from anywhere.
 */
class BodyReaderTest {

    /** The bound on waits for a state a correct run reaches at once: a hang, not a timing. */
    private static final Duration HANG = Duration.ofSeconds(3);

    private final AtomicLong now = new AtomicLong(1_000);

    /** A subscription that counts demand and cancels. */
    private static final class Upstream implements Flow.Subscription {
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    }

    private static List<ByteBuffer> bytes(String s) {
        return List.of(ByteBuffer.wrap(s.getBytes()));
    }

    /** Starts a reader thread on r.next() and returns once it is blocked waiting. */
    private static Thread blockedReader(BodyReader r, AtomicReference<Object> outcome) {
        Thread t = new Thread(() -> {
            try {
                outcome.set(r.next());
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "body-reader-test");
        t.start();
        assertTimeoutPreemptively(HANG, () -> {
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
        }, "the reader never blocked");
        return t;
    }

    @Test
    void demandFollowsTheReaderSoUnreadDataCannotPileUpBeyondTheWindow() throws Exception {
        BodyReader r = new BodyReader(now::get);
        Upstream up = new Upstream();
        r.onSubscribe(up);
        assertEquals(BodyReader.WINDOW, up.requested.get(), "a window of deliveries ahead of the reader");
        assertEquals(16, BodyReader.WINDOW);
        r.onNext(bytes("a"));
        assertEquals(BodyReader.WINDOW, up.requested.get(), "nothing more is asked for until the reader takes one");
        ByteBuffer b = (ByteBuffer) r.next();
        assertEquals('a', b.get());
        assertEquals(BodyReader.WINDOW + 1, up.requested.get(), "one more is asked for once one was taken");
        r.onComplete();
        assertSame(BodyReader.Signal.END, r.next());
        assertSame(BodyReader.Signal.END, r.next(), "the end is sticky");
    }

    @Test
    void aFailedExchangeIsReportedAfterTheDataBeforeIt() throws Exception {
        BodyReader r = new BodyReader(now::get);
        r.onSubscribe(new Upstream());
        r.onNext(bytes("x"));
        r.onError(new java.io.IOException("connection reset"));
        assertEquals('x', ((ByteBuffer) r.next()).get());
        BodyReader.BodyFailure f = assertThrows(BodyReader.BodyFailure.class, r::next);
        assertTrue(f.getCause().getMessage().contains("reset"));
    }

    @Test
    void aWaitIsMeasuredFromWhenTheReaderBlockedAndATimeOutEndsIt() throws Exception {
        BodyReader r = new BodyReader(now::get);
        r.onSubscribe(new Upstream());
        assertTrue(!r.waitedAtLeast(now.get(), 0), "a reader that is not waiting has not waited");
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread reader = blockedReader(r, outcome);
        now.addAndGet(99);
        assertTrue(!r.waitedAtLeast(now.get(), 100), "one nanosecond short");
        now.addAndGet(1);
        assertTrue(r.waitedAtLeast(now.get(), 100), "exactly the idle timeout");
        r.timeOut();
        r.timeOut();
        reader.join(HANG.toMillis());
        assertSame(BodyReader.Signal.TIMEOUT, outcome.get());
        r.onNext(bytes("z"));
        assertEquals('z', ((ByteBuffer) r.next()).get(), "a second time-out was not queued");
    }

    @Test
    void aSlowConsumerIsNotAnIdleServer() throws Exception {
        BodyReader r = new BodyReader(now::get);
        r.onSubscribe(new Upstream());
        r.onNext(bytes("late"));
        // The reader is busy elsewhere well past the idle timeout; data waiting for it is no timeout.
        now.addAndGet(300);
        assertTrue(!r.waitedAtLeast(now.get(), 50));
        assertEquals('l', ((ByteBuffer) r.next()).get());
    }

    @Test
    void aBoundedWaitOfZeroDoesNotBlock() throws Exception {
        BodyReader r = new BodyReader(now::get);
        r.onSubscribe(new Upstream());
        assertSame(BodyReader.Signal.TIMEOUT, assertTimeoutPreemptively(HANG, () -> r.next(0)));
    }

    @Test
    void cancelFromAnotherThreadWakesABlockedReaderAndCancelsUpstream() throws Exception {
        BodyReader r = new BodyReader(now::get);
        Upstream up = new Upstream();
        r.onSubscribe(up);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread reader = blockedReader(r, outcome);
        r.cancel();
        reader.join(HANG.toMillis());
        assertSame(BodyReader.Signal.CANCELLED, outcome.get());
        assertTrue(up.cancelled.get());
        BodyReader late = new BodyReader(now::get);
        late.cancel();
        Upstream afterwards = new Upstream();
        late.onSubscribe(afterwards);
        assertTrue(afterwards.cancelled.get(), "a subscription that arrives after cancel is cancelled at once");
        assertEquals(0, afterwards.requested.get());
    }
}
