package dev.alfred.llm.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The publisher's promises about its source and its signals, on executors the test controls: a queue it
 * runs by hand, or one that refuses work.
 */
class PullPublisherTest {

    /** A source of the given items that records whether it was closed. */
    private static final class Source implements Iterable<String>, AutoCloseable {
        final List<String> items;
        volatile boolean closed;

        Source(String... items) {
            this.items = List.of(items);
        }

        @Override
        public Iterator<String> iterator() {
            return items.iterator();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Records every signal. */
    private static final class Recorder implements Flow.Subscriber<String> {
        final List<String> signals = new ArrayList<>();
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(String item) {
            signals.add(item);
        }

        @Override
        public void onError(Throwable t) {
            signals.add("error: " + t.getClass().getSimpleName());
        }

        @Override
        public void onComplete() {
            signals.add("complete");
        }
    }

    /** Runs its tasks only when the test says so. */
    private static final class ByHand implements Executor {
        final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            tasks.add(command);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    @Test
    void cancelClosesTheSourceAtOnceNotWhenTheExecutorGetsToIt() {
        Source source = new Source("a", "b");
        ByHand executor = new ByHand();
        Recorder r = new Recorder();
        new PullPublisher<String, Source>(() -> source, executor).subscribe(r);
        r.subscription.request(1);
        executor.runAll();
        assertEquals(List.of("a"), r.signals);
        r.subscription.cancel();
        assertTrue(source.closed, "closed by cancel itself, which may come from any thread");
        r.subscription.request(1);
        executor.runAll();
        assertEquals(List.of("a"), r.signals, "nothing after cancel");
    }

    @Test
    void aCancelWhileTheSourceOpensClosesTheSourceItOpened() {
        Source source = new Source("a");
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        Recorder r = new Recorder();
        new PullPublisher<String, Source>(() -> {
            subscription.get().cancel(); // the subscriber cancels while the source is being opened
            return source;
        }, Runnable::run).subscribe(r);
        subscription.set(r.subscription);
        r.subscription.request(1);
        assertTrue(source.closed);
        assertEquals(List.of(), r.signals);
    }

    @Test
    void anExecutorThatRefusesWorkEndsTheSubscriptionWithOneErrorAndClosesTheSource() {
        Source source = new Source("a", "b");
        AtomicInteger runs = new AtomicInteger();
        Executor onlyOnce = task -> {
            if (runs.getAndIncrement() > 0) {
                throw new RejectedExecutionException("shut down");
            }
            task.run();
        };
        Recorder r = new Recorder();
        new PullPublisher<String, Source>(() -> source, onlyOnce).subscribe(r);
        r.subscription.request(1);
        assertEquals(List.of("a"), r.signals);
        assertFalse(source.closed);
        r.subscription.request(1);
        assertEquals(List.of("a", "error: RejectedExecutionException"), r.signals);
        assertTrue(source.closed, "the refused subscription's source is closed");
        r.subscription.cancel();
        r.subscription.request(1);
        assertEquals(List.of("a", "error: RejectedExecutionException"), r.signals,
                "after the error, cancel and request signal nothing (rule 1.7: one terminal signal)");
    }

    @Test
    void demandThatOverflowsIsUnbounded() {
        Recorder r = new Recorder();
        new PullPublisher<String, Source>(() -> new Source("a", "b", "c"), Runnable::run).subscribe(r);
        r.subscription.request(Long.MAX_VALUE);
        assertEquals(List.of("a", "b", "c", "complete"), r.signals);
        Recorder twice = new Recorder();
        ByHand executor = new ByHand();
        new PullPublisher<String, Source>(() -> new Source("a", "b", "c"), executor).subscribe(twice);
        twice.subscription.request(Long.MAX_VALUE);
        twice.subscription.request(Long.MAX_VALUE);
        executor.runAll();
        assertEquals(List.of("a", "b", "c", "complete"), twice.signals);
        Recorder bad = new Recorder();
        new PullPublisher<String, Source>(() -> new Source("a"), Runnable::run).subscribe(bad);
        bad.subscription.request(0);
        assertEquals(List.of("error: IllegalArgumentException"), bad.signals);
        assertInstanceOf(Flow.Subscription.class, bad.subscription);
    }
}
