package dev.alfred.llm.observe;

import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.Usage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listening layer of embeddings: start and end once, the context current while sent, listeners that throw. */
class EmbeddingListeningTest {

    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong();
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private final class Embedder implements EmbeddingProvider {
        final List<String> seen = new ArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();
        RuntimeException failure;
        ProviderEndpoint endpoint = new ProviderEndpoint(URI.create("http://emb.test:8080/v1/"), "e-small", "voyage");

        @Override
        public String id() {
            return "openai";
        }

        @Override
        public ProviderEndpoint endpoint() {
            return endpoint;
        }

        @Override
        public EmbeddingLimits limits() {
            return new EmbeddingLimits(7, 70, 2);
        }

        @Override
        public boolean retries() {
            return true;
        }

        @Override
        public EmbeddingResponse embed(EmbeddingRequest request) {
            seen.add(String.valueOf(CURRENT.get()));
            now.addAndGet(40 * MS);
            if (failure != null) {
                throw failure;
            }
            return new EmbeddingResponse(List.of(new float[] {1}), "e", Usage.ZERO);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** Records what it hears; its context sets {@link #CURRENT} to its name. */
    private static final class Recorder implements LlmListener {
        final String name;
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<EmbeddingCall> calls = new ArrayList<>();
        final List<EmbeddingOutcome> outcomes = new ArrayList<>();

        Recorder(String name) {
            this.name = name;
        }

        @Override
        public EmbeddingListener onEmbeddingStart(EmbeddingCall call) {
            calls.add(call);
            events.add("start");
            return new EmbeddingListener() {
                @Override
                public ListenerContext context() {
                    return () -> {
                        String before = CURRENT.get();
                        CURRENT.set(name);
                        return () -> CURRENT.set(before);
                    };
                }

                @Override
                public void onEnd(EmbeddingOutcome outcome) {
                    outcomes.add(outcome);
                    events.add("end " + outcome.getClass().getSimpleName() + " " + outcome.duration().toMillis());
                }
            };
        }
    }

    @Test
    void aCallIsHeardOnceWithItsFactsAndTheListenersContextIsCurrentWhileItIsSent() {
        Embedder embedder = new Embedder();
        Recorder r = new Recorder("r");
        EmbeddingProvider p = LlmListener.attach(embedder, List.of(r), now::get);
        EmbeddingResponse out = p.embed("x");
        assertEquals(1, out.size());
        assertEquals(List.of("start", "end Completed 40"), r.events);
        assertEquals(List.of("r"), embedder.seen);
        assertEquals(null, CURRENT.get());
        EmbeddingCall call = r.calls.get(0);
        assertEquals("openai", call.providerId());
        assertEquals("e-small", call.requestModel());
        assertEquals("emb.test", call.serverAddress());
        assertEquals(8080, call.serverPort());
        assertEquals("voyage", call.dialect());
        assertTrue(call.callId().startsWith("e"));
        assertSame(out, ((EmbeddingOutcome.Completed) r.outcomes.get(0)).response());
        assertEquals("EmbeddingCall{" + call.callId() + ", openai (voyage), model=e-small, inputs=1, server=emb.test:8080}",
                call.toString());
        p.embed(EmbeddingRequest.builder().text("y").model("mine").build());
        assertEquals("mine", r.calls.get(1).requestModel());
    }

    @Test
    void aFailedCallIsHeardOnceAndItsErrorGoesOnUnchanged() {
        Embedder embedder = new Embedder();
        embedder.failure = new InvalidRequestException("bad", "openai", 400, null, null);
        Recorder r = new Recorder("r");
        EmbeddingProvider p = LlmListener.attach(embedder, List.of(r), now::get);
        assertSame(embedder.failure, assertThrows(InvalidRequestException.class, () -> p.embed("x")));
        assertEquals(List.of("start", "end Failed 40"), r.events);
        assertSame(embedder.failure, ((EmbeddingOutcome.Failed) r.outcomes.get(0)).error());
    }

    @Test
    void aListenerThatThrowsNeverBreaksTheCallNorSilencesTheOthers() {
        Embedder embedder = new Embedder();
        Recorder good = new Recorder("good");
        LlmListener atStart = new LlmListener() {
            @Override
            public EmbeddingListener onEmbeddingStart(EmbeddingCall call) {
                throw new IllegalStateException("start");
            }
        };
        LlmListener atEnd = new LlmListener() {
            @Override
            public EmbeddingListener onEmbeddingStart(EmbeddingCall call) {
                return new EmbeddingListener() {
                    @Override
                    public void onEnd(EmbeddingOutcome outcome) {
                        throw new IllegalStateException("end");
                    }
                };
            }
        };
        LlmListener none = new LlmListener() {
            @Override
            public EmbeddingListener onEmbeddingStart(EmbeddingCall call) {
                return null;
            }
        };
        EmbeddingProvider p = LlmListener.attach(embedder, List.of(atStart, atEnd, none, good), now::get);
        assertEquals(1, p.embed("x").size());
        assertEquals(List.of("start", "end Completed 40"), good.events);
        assertEquals(List.of("good"), embedder.seen);
    }

    @Test
    void theLayerPassesTheDelegatesFactsOnJoinsAnExistingLayerAndClosesTheDelegate() {
        Embedder embedder = new Embedder();
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        EmbeddingProvider one = LlmListener.attach(embedder, List.of(a), now::get);
        assertSame(embedder, LlmListener.attach(embedder, List.of(), now::get));
        EmbeddingProvider two = one.withListeners(b);
        assertEquals("Listening[" + embedder + "]", two.toString());
        two.embed("x");
        assertEquals(1, a.events.size() / 2);
        assertEquals(1, b.events.size() / 2);
        assertEquals("openai", two.id());
        assertSame(embedder.endpoint, two.endpoint());
        assertEquals(new EmbeddingLimits(7, 70, 2), two.limits());
        assertTrue(two.retries());
        two.close();
        assertTrue(embedder.closed.get());
        assertThrows(NullPointerException.class, () -> two.embed((EmbeddingRequest) null));
        assertThrows(NullPointerException.class, () -> LlmListener.attach((EmbeddingProvider) null, List.of(a), now::get));
        assertThrows(NullPointerException.class, () -> LlmListener.attach(embedder, List.of(a), null));
        embedder.endpoint = ProviderEndpoint.UNKNOWN;
        Recorder c = new Recorder("c");
        LlmListener.attach(embedder, List.of(c), now::get).embed("x");
        assertEquals(null, c.calls.get(0).serverAddress());
        assertEquals(-1, c.calls.get(0).serverPort());
    }

    @Test
    void callsAndOutcomesCheckTheirParts() {
        EmbeddingRequest r = EmbeddingRequest.ofTexts("x");
        assertThrows(NullPointerException.class, () -> new EmbeddingCall(null, "p", r, null, null, -1, null));
        assertThrows(NullPointerException.class, () -> new EmbeddingCall("c", null, r, null, null, -1, null));
        assertThrows(NullPointerException.class, () -> new EmbeddingCall("c", "p", null, null, null, -1, null));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingCall("c", "p", r, null, null, -2, null));
        assertThrows(IllegalArgumentException.class, () -> new EmbeddingCall("c", "p", r, null, null, 65536, null));
        assertEquals(65535, new EmbeddingCall("c", "p", r, null, null, 65535, null).serverPort());
        assertThrows(NullPointerException.class, () -> new EmbeddingOutcome.Completed(null, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new EmbeddingOutcome.Completed(
                new EmbeddingResponse(List.of(new float[] {1}), null, Usage.ZERO), null));
        assertThrows(NullPointerException.class, () -> new EmbeddingOutcome.Failed(null, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> new EmbeddingOutcome.Failed(new RuntimeException(), null));
        EmbeddingListener.NONE.onEnd(new EmbeddingOutcome.Failed(new RuntimeException(), Duration.ZERO));
        assertSame(ListenerContext.NONE, EmbeddingListener.NONE.context());
        assertSame(EmbeddingListener.NONE, LlmListener.NONE.onEmbeddingStart(new EmbeddingCall("c", "p", r, null, null, -1, null)));
        assertInstanceOf(EmbeddingOutcome.class, new EmbeddingOutcome.Failed(new RuntimeException(), Duration.ZERO));
    }
}
