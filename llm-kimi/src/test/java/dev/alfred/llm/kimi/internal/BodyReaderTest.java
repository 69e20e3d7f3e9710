package dev.alfred.llm.kimi.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pull reader's promises: bounded demand, the watchdog's timeouts, cancel from anywhere. */
class BodyReaderTest {

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

    @Test
    void demandFollowsTheReaderSoUnreadDataCannotPileUp() throws Exception {
        BodyReader r = new BodyReader();
        Upstream up = new Upstream();
        r.onSubscribe(up);
        assertEquals(1, up.requested.get(), "one read at a time");
        r.onNext(bytes("a"));
        assertEquals(1, up.requested.get(), "nothing more is asked for until the reader takes it");
        ByteBuffer b = (ByteBuffer) r.next();
        assertEquals('a', b.get());
        assertEquals(2, up.requested.get(), "the next read is asked for once the last was taken");
        r.onComplete();
        assertSame(BodyReader.Signal.END, r.next());
        assertSame(BodyReader.Signal.END, r.next(), "the end is sticky");
    }

    @Test
    void aFailedExchangeIsReportedAfterTheDataBeforeIt() throws Exception {
        BodyReader r = new BodyReader();
        r.onSubscribe(new Upstream());
        r.onNext(bytes("x"));
        r.onError(new java.io.IOException("connection reset"));
        assertEquals('x', ((ByteBuffer) r.next()).get());
        BodyReader.BodyFailure f = assertThrows(BodyReader.BodyFailure.class, r::next);
        assertTrue(f.getCause().getMessage().contains("reset"));
    }

    @Test
    void theWatchdogEndsAWaitThatOutlastsTheIdleTimeout() {
        BodyReader r = new BodyReader();
        r.onSubscribe(new Upstream());
        r.watch(Duration.ofMillis(100).toNanos(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
        Object signal = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> r.next());
        assertSame(BodyReader.Signal.TIMEOUT, signal);
    }

    @Test
    void aSlowConsumerIsNotAnIdleServer() throws Exception {
        BodyReader r = new BodyReader();
        r.onSubscribe(new Upstream());
        r.onNext(bytes("late"));
        r.watch(Duration.ofMillis(50).toNanos(), System.nanoTime() + Duration.ofMinutes(1).toNanos());
        // The reader is busy elsewhere well past the idle timeout; data waiting for it is no timeout.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals('l', ((ByteBuffer) r.next()).get());
    }

    @Test
    void cancelFromAnotherThreadWakesABlockedReaderAndCancelsUpstream() throws Exception {
        BodyReader r = new BodyReader();
        Upstream up = new Upstream();
        r.onSubscribe(up);
        CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return r.next();
            } catch (InterruptedException e) {
                return e;
            }
        });
        r.cancel();
        assertSame(BodyReader.Signal.CANCELLED, blocked.get(10, TimeUnit.SECONDS));
        assertTrue(up.cancelled.get());
        BodyReader late = new BodyReader();
        late.cancel();
        Upstream afterwards = new Upstream();
        late.onSubscribe(afterwards);
        assertTrue(afterwards.cancelled.get(), "a subscription that arrives after cancel is cancelled at once");
        assertEquals(0, afterwards.requested.get());
    }
}
