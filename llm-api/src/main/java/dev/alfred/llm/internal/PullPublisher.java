package dev.alfred.llm.internal;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A cold {@link Flow.Publisher} over a pulled source (such as a chat stream): one source per
 * subscription, opened on the first demand, read on an executor only as far as demand goes, closed on
 * cancel or at the end. Follows the Reactive Streams rules: serialized signals, at most one terminal
 * signal, non-positive demand is an error (rule 3.9), and nothing is signalled after cancel. Generic,
 * so that the port's package depends on it and not the other way round.
 *
 * @param <T> what the source yields
 * @param <S> the source: iterated once, closed once
 */
public final class PullPublisher<T, S extends Iterable<T> & AutoCloseable> implements Flow.Publisher<T> {

    private final Supplier<? extends S> open;
    private final Executor executor;

    /**
     * Creates the publisher.
     *
     * @param open     opens a new source for each subscription
     * @param executor where sources are opened and read
     * @throws NullPointerException if an argument is null
     */
    public PullPublisher(Supplier<? extends S> open, Executor executor) {
        this.open = Objects.requireNonNull(open, "open");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Subscription s = new Subscription(subscriber);
        subscriber.onSubscribe(s);
    }

    private final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super T> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile S stream;
        private volatile Throwable badRequest;
        private Iterator<T> deltas;
        private boolean terminated;

        Subscription(Flow.Subscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (cancelled) {
                return;
            }
            if (n <= 0) {
                badRequest = new IllegalArgumentException("request(n) needs n > 0 (Reactive Streams rule 3.9), was " + n);
            } else {
                demand.getAndUpdate(d -> d + n < 0 ? Long.MAX_VALUE : d + n);
            }
            schedule();
        }

        @Override
        public void cancel() {
            cancelled = true;
            closeStream();
            schedule();
        }

        private void schedule() {
            if (work.getAndIncrement() == 0) {
                try {
                    executor.execute(this::drainLoop);
                } catch (RuntimeException e) {
                    // The work count stays above zero: this subscription never schedules again, so a
                    // later cancel or request cannot meet the refusal a second time and signal twice.
                    cancelled = true;
                    closeStream();
                    subscriber.onError(e);
                }
            }
        }

        private void drainLoop() {
            int missed = 1;
            do {
                drain();
                missed = work.addAndGet(-missed);
            } while (missed != 0);
        }

        private void drain() {
            if (terminated) {
                return;
            }
            if (cancelled) {
                terminated = true;
                closeStream();
                return;
            }
            if (badRequest != null) {
                terminate(badRequest);
                return;
            }
            try {
                while (demand.get() > 0 && !cancelled) {
                    if (deltas == null) {
                        stream = open.get();
                        deltas = stream.iterator();
                        if (cancelled) {
                            break;
                        }
                    }
                    if (!deltas.hasNext()) {
                        terminate(null);
                        return;
                    }
                    T delta = deltas.next();
                    demand.decrementAndGet();
                    subscriber.onNext(delta);
                }
            } catch (Throwable e) {
                if (!cancelled) {
                    terminate(e);
                    return;
                }
            }
            if (cancelled) {
                terminated = true;
                closeStream();
            }
        }

        private void terminate(Throwable error) {
            terminated = true;
            cancelled = true;
            closeStream();
            if (error == null) {
                subscriber.onComplete();
            } else {
                subscriber.onError(error);
            }
        }

        private void closeStream() {
            S s = stream;
            if (s != null) {
                try {
                    s.close();
                } catch (Exception ignored) {
                    // closing is best effort: the subscriber has its outcome already
                }
            }
        }
    }
}
