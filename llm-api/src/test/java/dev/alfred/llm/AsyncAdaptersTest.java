package dev.alfred.llm;

import dev.alfred.llm.config.ProviderConfig;

import dev.alfred.llm.fixtures.EchoProvider;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CompletableFuture and Flow.Publisher adapters, on a direct executor so every step is deterministic. */
class AsyncAdaptersTest {

    private static final Executor DIRECT = Runnable::run;

    /** A subscriber that records every signal and requests only when told. */
    private static class Recorder implements Flow.Subscriber<ChatDelta> {
        final List<String> items = new ArrayList<>();
        final AtomicInteger completions = new AtomicInteger();
        Throwable error;
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(ChatDelta item) {
            items.add(((ChatDelta.Text) item).text());
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            completions.incrementAndGet();
        }
    }

    @Test
    void chatAsyncCompletesWithTheAnswerOrTheTypedFailure() {
        EchoProvider echo = new EchoProvider(ProviderConfig.empty());
        assertEquals("one two", echo.chatAsync(ChatRequest.of("one two"), DIRECT).join().content());
        LlmProvider failing = new EchoProvider(ProviderConfig.empty()) {
            @Override
            public ChatResponse chat(ChatRequest request) {
                throw new RateLimitException("429", "echo", 429, null, null, null);
            }
        };
        CompletableFuture<ChatResponse> f = failing.chatAsync(ChatRequest.of("x"), DIRECT);
        CompletionException e = assertThrows(CompletionException.class, f::join);
        assertInstanceOf(RateLimitException.class, e.getCause());
    }

    @Test
    void publisherDeliversOnlyWhatWasDemandedAndReadsNoFurther() {
        EchoProvider echo = new EchoProvider(ProviderConfig.empty());
        Recorder r = new Recorder();
        echo.publisher(ChatRequest.of("a b c d"), DIRECT).subscribe(r);
        assertEquals(0, echo.fetches.get(), "no stream is opened before demand");
        r.subscription.request(1);
        assertEquals(List.of("a "), r.items);
        assertEquals(1, echo.fetches.get(), "nothing is read beyond demand");
        r.subscription.request(2);
        assertEquals(List.of("a ", "b ", "c "), r.items);
        assertEquals(3, echo.fetches.get());
        r.subscription.request(Long.MAX_VALUE);
        assertEquals(List.of("a ", "b ", "c ", "d"), r.items);
        assertEquals(1, r.completions.get());
        assertNull(r.error);
        r.subscription.request(5);
        assertEquals(1, r.completions.get(), "one terminal signal");
    }

    @Test
    void demandAddsUpWithoutOverflow() {
        EchoProvider echo = new EchoProvider(ProviderConfig.empty());
        Recorder r = new Recorder();
        echo.publisher(ChatRequest.of("a b"), DIRECT).subscribe(r);
        r.subscription.request(Long.MAX_VALUE - 1);
        r.subscription.request(Long.MAX_VALUE - 1);
        assertEquals(List.of("a ", "b"), r.items);
        assertEquals(1, r.completions.get());
    }

    @Test
    void cancelClosesTheStreamAndStopsSignals() {
        EchoProvider echo = new EchoProvider(ProviderConfig.empty());
        Recorder r = new Recorder();
        echo.publisher(ChatRequest.of("a b c"), DIRECT).subscribe(r);
        r.subscription.request(1);
        r.subscription.cancel();
        assertEquals(1, echo.aborts.get(), "the stream was closed");
        r.subscription.request(10);
        assertEquals(List.of("a "), r.items);
        assertEquals(0, r.completions.get());
        assertNull(r.error);
    }

    @Test
    void nonPositiveDemandIsAnErrorPerRule39() {
        EchoProvider echo = new EchoProvider(ProviderConfig.empty());
        Recorder r = new Recorder();
        echo.publisher(ChatRequest.of("a b"), DIRECT).subscribe(r);
        r.subscription.request(1);
        r.subscription.request(0);
        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, r.error);
        assertTrue(e.getMessage().contains("3.9"), e.getMessage());
        assertEquals(1, echo.aborts.get(), "the open stream was closed");
        r.subscription.request(1);
        assertEquals(List.of("a "), r.items);
    }

    @Test
    void streamFailureIsSignalledWithOnError() {
        LlmProvider failing = new EchoProvider(ProviderConfig.empty()) {
            @Override
            public ChatStream stream(ChatRequest request) {
                throw new ProviderUnavailableException("down", "echo", 503, null, null, null);
            }
        };
        Recorder r = new Recorder();
        failing.publisher(ChatRequest.of("x"), DIRECT).subscribe(r);
        r.subscription.request(1);
        assertInstanceOf(ProviderUnavailableException.class, r.error);
        assertEquals(0, r.completions.get());
    }

    @Test
    void eachSubscriptionOpensItsOwnStreamAndRequestInsideOnSubscribeWorks() {
        EchoProvider echo = new EchoProvider(ProviderConfig.empty());
        Flow.Publisher<ChatDelta> p = echo.publisher(ChatRequest.of("x y"), DIRECT);
        for (int i = 0; i < 2; i++) {
            Recorder eager = new Recorder() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    super.onSubscribe(s);
                    s.request(Long.MAX_VALUE);
                }
            };
            p.subscribe(eager);
            assertEquals(List.of("x ", "y"), eager.items);
            assertEquals(1, eager.completions.get());
        }
        assertThrows(NullPointerException.class, () -> p.subscribe(null));
    }
}
