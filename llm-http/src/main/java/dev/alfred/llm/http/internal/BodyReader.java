package dev.alfred.llm.http.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A response body read by pulling, with backpressure: the HTTP client's threads only hand over the
 * buffers they received, and the next read is requested only once the reader took the last one, so at
 * most two reads are held. The reader waits untimed; the exchange that owns it enforces the idle
 * timeout and deadline on its watchdog (which asks {@link #waitedAtLeast} and calls {@link #timeOut}),
 * and {@link #cancel()} from any thread aborts the exchange and wakes a blocked reader.
 *
 * <p>It subscribes to the JDK's own publishing body subscriber rather than being a body subscriber
 * itself: the JDK hands data to its own subscribers without the executor hop it adds for foreign
 * ones, which costs a thread wake-up per response on JDK 17.
 */
public final class BodyReader implements Flow.Subscriber<List<ByteBuffer>> {

    /** What {@link #next} reports instead of a buffer. */
    public enum Signal {
        /** No byte arrived within the wait, or the owner timed the reader out. */
        TIMEOUT,
        /** The body ended normally. */
        END,
        /** {@link #cancel()} was called. */
        CANCELLED
    }

    private static final Object END = new Object();
    private static final Object CANCELLED = new Object();
    private static final Object TIMED_OUT = new Object();

    private final LongSupplier ticker;
    /**
     * How many lists of buffers the client may deliver ahead of the reader: enough that the client's thread
     * and the reader's rarely wait for each other on a large body (a request of one at a time made them take
     * turns per list), few enough to bound what a slow reader holds.
     */
    static final int WINDOW = 16;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile HttpResponse.ResponseInfo head;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    /** Whether the reader waits for bytes now, and since when on the ticker. */
    private volatile boolean waiting;
    private volatile long waitingSince;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private List<ByteBuffer> current = List.of();
    private int index;
    private Object terminal;

    /**
     * A reader whose waits are timed on the given ticker.
     *
     * @param ticker nanoseconds, the same the owner's deadlines are set on
     */
    public BodyReader(LongSupplier ticker) {
        this.ticker = ticker;
    }

    /**
     * The body handler to send with: it keeps the response head and subscribes this reader to the
     * JDK's own publishing body subscriber (the JDK hands data to its own subscribers without the
     * executor hop it adds for foreign ones).
     *
     * @return the handler
     */
    public HttpResponse.BodyHandler<Flow.Publisher<List<ByteBuffer>>> handler() {
        return info -> {
            head = info;
            HttpResponse.BodySubscriber<Flow.Publisher<List<ByteBuffer>>> jdk = HttpResponse.BodySubscribers.ofPublisher();
            jdk.getBody().thenAccept(publisher -> publisher.subscribe(this));
            return jdk;
        };
    }

    /**
     * The response head the handler received.
     *
     * @return the head, or null before the response arrived
     */
    public HttpResponse.ResponseInfo head() {
        return head;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(WINDOW);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * Whether the reader is waiting for bytes now, and has waited at least this long.
     *
     * @param now       the ticker's time
     * @param idleNanos the longest acceptable wait
     * @return true when the wait has lasted {@code idleNanos} or more
     */
    public boolean waitedAtLeast(long now, long idleNanos) {
        return waiting && now - waitingSince >= idleNanos;
    }

    /** Ends the reader's wait, once: its next read reports {@link Signal#TIMEOUT}. Safe from any thread. */
    public void timeOut() {
        if (timedOut.compareAndSet(false, true)) {
            queue.add(TIMED_OUT);
        }
    }

    /**
     * The next buffer with bytes, waiting until one comes, the body ends, or the owner times the reader
     * out.
     *
     * @return a non-empty buffer, or a {@link Signal}
     * @throws BodyFailure          if the exchange failed (connection reset, protocol error)
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    public Object next() throws InterruptedException {
        return next(-1);
    }

    /**
     * The next buffer with bytes.
     *
     * @param timeoutNanos how long to wait, for a bounded drain; negative to wait untimed (the
     *                     owner then enforces the idle timeout and deadline)
     * @return a non-empty buffer, or a {@link Signal}
     * @throws BodyFailure          if the exchange failed
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    public Object next(long timeoutNanos) throws InterruptedException {
        while (true) {
            while (index < current.size()) {
                ByteBuffer b = current.get(index++);
                if (b.hasRemaining()) {
                    return b;
                }
            }
            if (terminal != null) {
                return terminalSignal();
            }
            Object item = timeoutNanos >= 0 ? queue.poll(timeoutNanos, TimeUnit.NANOSECONDS) : take();
            if (item == null || item == TIMED_OUT) {
                return Signal.TIMEOUT;
            }
            if (item instanceof List) {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) item;
                current = buffers;
                index = 0;
                Flow.Subscription s = subscription;
                if (s != null && !cancelled) {
                    s.request(1);
                }
            } else {
                terminal = item;
            }
        }
    }

    /** An untimed wait, marked so that the owner can end one that lasts too long. */
    private Object take() throws InterruptedException {
        Object item = queue.poll();
        if (item != null) {
            return item;
        }
        waitingSince = ticker.getAsLong();
        waiting = true;
        try {
            return queue.take();
        } finally {
            waiting = false;
        }
    }

    private Object terminalSignal() {
        if (terminal == END) {
            return Signal.END;
        }
        if (terminal == CANCELLED || cancelled) {
            return Signal.CANCELLED; // a failure that a cancel caused is the cancel
        }
        throw new BodyFailure((Throwable) terminal);
    }

    /** Aborts the exchange, frees its connection, and wakes a blocked reader. Safe from any thread. */
    public void cancel() {
        cancelled = true;
        // Queued before the upstream is cancelled: the JDK may report the cancel as a failure at once.
        queue.add(CANCELLED);
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** The exchange failed while the body was being received. */
    public static final class BodyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyFailure(Throwable cause) {
            super(cause.toString(), cause);
        }
    }
}
