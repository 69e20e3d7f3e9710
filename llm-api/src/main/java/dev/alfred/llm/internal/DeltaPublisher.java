package dev.alfred.llm.internal;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cold {@link Flow.Publisher} over {@link LlmProvider#stream}: one stream per subscription, opened on
 * the first demand, read on an executor only as far as demand goes, closed on cancel or at the end.
 * Follows the Reactive Streams rules: serialized signals, at most one terminal signal, non-positive
 * demand is an error (rule 3.9), and nothing is signalled after cancel.
 */
public final class DeltaPublisher implements Flow.Publisher<ChatDelta> {

    private final LlmProvider provider;
    private final ChatRequest request;
    private final Executor executor;

    /**
     * Creates the publisher.
     *
     * @param provider the provider to stream from
     * @param request  the request to send for each subscription
     * @param executor where streams are opened and read
     * @throws NullPointerException if an argument is null
     */
    public DeltaPublisher(LlmProvider provider, ChatRequest request, Executor executor) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.request = Objects.requireNonNull(request, "request");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ChatDelta> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        Subscription s = new Subscription(subscriber);
        subscriber.onSubscribe(s);
    }

    private final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super ChatDelta> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger work = new AtomicInteger();
        private volatile boolean cancelled;
        private volatile ChatStream stream;
        private volatile Throwable badRequest;
        private Iterator<ChatDelta> deltas;
        private boolean terminated;

        Subscription(Flow.Subscriber<? super ChatDelta> subscriber) {
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
            ChatStream s = stream;
            if (s != null) {
                s.close();
            }
            schedule();
        }

        private void schedule() {
            if (work.getAndIncrement() == 0) {
                try {
                    executor.execute(this::drainLoop);
                } catch (RuntimeException e) {
                    work.set(0);
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
                        stream = provider.stream(request);
                        deltas = stream.iterator();
                        if (cancelled) {
                            break;
                        }
                    }
                    if (!deltas.hasNext()) {
                        terminate(null);
                        return;
                    }
                    ChatDelta delta = deltas.next();
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
            ChatStream s = stream;
            if (s != null) {
                s.close();
            }
        }
    }
}
