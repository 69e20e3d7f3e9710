package dev.alfred.llm.kimi.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read by pulling, with backpressure: the HTTP client's threads only hand over the
 * buffers they received, and the next read is requested only once the reader took the last one, so at
 * most two reads are held. The reader waits with a bound (the idle timeout), and {@link #cancel()}
 * from any thread aborts the exchange and wakes a blocked reader.
 */
public final class BodyReader implements HttpResponse.BodySubscriber<BodyReader> {

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

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private List<ByteBuffer> current = List.of();
    private int index;
    private Object terminal;

    @Override
    public CompletionStage<BodyReader> getBody() {
        return CompletableFuture.completedFuture(this);
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
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * The next buffer with bytes, waiting at most the given time.
     *
     * @param timeoutNanos how long to wait for bytes
     * @return a non-empty buffer, or a {@link Signal}
     * @throws BodyFailure          if the exchange failed (connection reset, protocol error)
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
            Object item = timeoutNanos <= 0 ? queue.poll() : queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
            if (item == null) {
                return cancelled ? Signal.CANCELLED : Signal.TIMEOUT;
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
    }

    /** The exchange failed while the body was being received. */
    public static final class BodyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyFailure(Throwable cause) {
            super(cause.toString(), cause);
        }
    }
}
