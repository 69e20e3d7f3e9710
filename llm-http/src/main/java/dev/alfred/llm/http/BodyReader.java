package dev.alfred.llm.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read by pulling, with backpressure: the HTTP client's threads only hand over the
 * buffers they received, and the next read is requested only once the reader took the last one, so at
 * most two reads are held. The reader waits untimed while the {@link Watchdog} enforces the idle
 * timeout and deadline, and {@link #cancel()} from any thread aborts the exchange and wakes a blocked
 * reader.
 *
 * <p>It subscribes to the JDK's own publishing body subscriber rather than being a body subscriber
 * itself: the JDK hands data to its own subscribers without the executor hop it adds for foreign
 * ones, which costs a thread wake-up per response on JDK 17.
 */
public final class BodyReader implements Flow.Subscriber<List<ByteBuffer>>, Watchdog.Watched {

    /** What {@link #next} reports instead of a buffer. */
    public enum Signal {
        /** No byte arrived within the wait. */
        TIMEOUT,
        /** The body ended normally. */
        END,
        /** {@link #cancel()} was called. */
        CANCELLED
    }

    private static final Object END = new Object();
    private static final Object CANCELLED = new Object();
    private static final Object TIMED_OUT = new Object();

    private final Watchdog watchdog;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile HttpResponse.ResponseInfo head;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    /** Whether the reader waits for bytes now, and since when on the watchdog's ticker. */
    private volatile boolean waiting;
    private volatile long waitingSince;
    private volatile boolean timedOut;
    private long idleNanos;
    private long deadline;
    private List<ByteBuffer> current = List.of();
    private int index;
    private Object terminal;

    /**
     * A reader whose timeouts the given watchdog enforces.
     *
     * @param watchdog the watchdog, whose ticker also times the reader's waits
     */
    public BodyReader(Watchdog watchdog) {
        this.watchdog = watchdog;
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
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
        watchdog.unwatch(this);
    }

    @Override
    public void onComplete() {
        queue.add(END);
        watchdog.unwatch(this);
    }

    /**
     * Starts enforcing the idle timeout and the deadline while the reader waits for bytes.
     *
     * @param idleNanos the longest wait for bytes
     * @param deadline  the time on the watchdog's ticker by which the whole body must have arrived
     */
    public void watch(long idleNanos, long deadline) {
        this.idleNanos = idleNanos;
        this.deadline = deadline;
        watchdog.watch(this);
    }

    @Override
    public boolean check(long now) {
        if (timedOut || cancelled) {
            return false;
        }
        if (now - deadline >= 0 || (waiting && now - waitingSince >= idleNanos)) {
            timedOut = true;
            queue.add(TIMED_OUT);
            return false;
        }
        return true;
    }

    /**
     * The next buffer with bytes, waiting until one comes, the body ends, or the watchdog reports the
     * idle timeout or the deadline.
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
     *                     watchdog then enforces the idle timeout and deadline)
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

    /** An untimed wait, marked for the watchdog so that it can end one that lasts too long. */
    private Object take() throws InterruptedException {
        Object item = queue.poll();
        if (item != null) {
            return item;
        }
        waitingSince = watchdog.now();
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
        if (terminal == CANCELLED) {
            return Signal.CANCELLED;
        }
        throw new BodyFailure((Throwable) terminal);
    }

    /** Aborts the exchange, frees its connection, and wakes a blocked reader. Safe from any thread. */
    public void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        queue.add(CANCELLED);
        watchdog.unwatch(this);
    }

    /** The exchange failed while the body was being received. */
    public static final class BodyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyFailure(Throwable cause) {
            super(cause.toString(), cause);
        }
    }
}
