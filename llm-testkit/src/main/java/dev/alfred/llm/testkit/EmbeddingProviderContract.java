package dev.alfred.llm.testkit;

import dev.alfred.llm.EmbeddingBatchException;
import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.RateLimitException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every {@link EmbeddingProvider} must keep, as one abstract JUnit 5 class: a provider module
 * adopts it by extending this class and implementing {@link #createEmbeddingProvider}, pointing the provider at
 * the {@link FakeServer} in the {@link EmbeddingTarget} and applying the target's limits. The server answers
 * embeddings as its {@linkplain #dialect() dialect}'s real server does ({@link Reply#generated()}): one
 * deterministic vector per input text, base64 or JSON numbers as asked, the requested dimensions, and its 400
 * past the per-request input limit.
 *
 * <p>Every rule's display name starts with its id (V = vectors); its javadoc says what to check when it
 * fails. No rule waits on the wall clock: the cancellation rule holds the server's replies at a {@link Gate}
 * and waits for states (the requests received, the caller blocked, the exchanges closed).
 *
 * <pre>{@code
 * class OpenAiEmbeddingsContractTest extends EmbeddingProviderContract {
 *     protected EmbeddingProvider createEmbeddingProvider(EmbeddingTarget t) {
 *         return OpenAiEmbeddings.builder().apiKey(t.apiKey()).baseUrl(t.baseUri()).limits(t.limits()).build();
 *     }
 * }
 * }</pre>
 */
public abstract class EmbeddingProviderContract {

    /** The API key the kit gives providers. */
    protected static final String API_KEY = "sk-contract-7e3f9a1b2c4d6e8f0a1b2c3d4e5f6a7b";
    /** The limits the kit asks providers to apply: 4 inputs a request, two requests in flight. */
    protected static final EmbeddingLimits LIMITS = new EmbeddingLimits(4, 1_000_000, 2);
    /** The most a rule waits for a provider to react; a bound for what never happens, not a pacing. */
    protected static final Duration HANG_BOUND = Duration.ofSeconds(20);
    /** The idle timeout the kit asks providers to apply. */
    protected static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** The response-head timeout the kit asks providers to apply. */
    protected static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(30);
    /** The largest per-request input limit the batching rules run with; above it they are skipped. */
    private static final int MAX_BATCH_LIMIT = 256;

    /** The fake server of the current test, started before and stopped after each. */
    protected FakeServer server;
    private KitClock clock;
    private final List<EmbeddingProvider> created = new ArrayList<>();
    private java.util.concurrent.locks.Lock held;

    /**
     * Creates the provider under test, pointed at the kit's fake server.
     *
     * @param target the base URL, key, timeouts, clock and limits to configure
     * @return a new provider
     */
    protected abstract EmbeddingProvider createEmbeddingProvider(EmbeddingTarget target);

    /**
     * The wire dialect the fake server speaks: OpenAI's by default ({@link WireDialect#voyage()} for Voyage AI).
     *
     * @return the dialect
     */
    protected WireDialect dialect() {
        return WireDialect.openAi();
    }

    /**
     * The limits the kit asks the provider to apply (and the server to enforce).
     *
     * @return {@link #LIMITS} by default
     */
    protected EmbeddingLimits limits() {
        return LIMITS;
    }

    /**
     * The model the rules ask for.
     *
     * @return the model, or null (the default) for the provider's own default
     */
    protected String model() {
        return null;
    }

    /**
     * The most any rule waits for the provider to react before it calls the provider hung.
     *
     * @return {@link #HANG_BOUND} by default
     */
    protected Duration hangBound() {
        return HANG_BOUND;
    }

    @BeforeEach
    final void startServer(TestInfo info) {
        // V7 counts live threads: it runs alone among the kits of this JVM, the other rules side by side
        boolean wholeJvm = info.getTestMethod().map(m -> m.getName().equals("v7")).orElse(false);
        held = wholeJvm ? Threads.JVM_WIDE.writeLock() : Threads.JVM_WIDE.readLock();
        held.lock();
        clock = new KitClock();
        server = FakeServer.start(dialect());
    }

    @AfterEach
    final void stopServer() {
        try {
            created.forEach(EmbeddingProvider::close);
            created.clear();
            server.close();
        } finally {
            held.unlock();
        }
    }

    /**
     * A provider pointed at the server with the kit's limits.
     *
     * @return the provider, closed after the test
     */
    protected final EmbeddingProvider provider() {
        EmbeddingProvider p = createEmbeddingProvider(new EmbeddingTarget(server.baseUri(), API_KEY, IDLE_TIMEOUT,
                HEADERS_TIMEOUT, clock, limits()));
        created.add(p);
        return p;
    }

    private <T> T withinBound(Supplier<T> action) {
        return assertTimeoutPreemptively(hangBound(), action::get, "the provider hung");
    }

    private EmbeddingRequest.Builder request(List<String> texts) {
        return EmbeddingRequest.builder().texts(texts).model(model());
    }

    private static List<String> numbered(int n) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add("input " + i + (i % 3 == 0 ? " — naïve café 🙂" : ""));
        }
        return texts;
    }

    /** The provider's per-request input limit, applied by the server too; skips a rule when it is too large to batch. */
    private int batchLimit(EmbeddingProvider p) {
        int max = p.limits().maxInputs();
        assumeTrue(max <= MAX_BATCH_LIMIT, () -> "the provider's input limit " + max + " is above the "
                + MAX_BATCH_LIMIT + " the kit batches with: apply EmbeddingTarget.limits()");
        server.limitEmbeddingInputs(max);
        return max;
    }

    private static int inputsOf(RecordedRequest r) {
        JsonNode input = r.json().path("input");
        return input.isArray() ? input.size() : 1;
    }

    /**
     * Fails when vectors come back out of input order, or when equal inputs do not get equal vectors (inputs
     * de-duplicated and mapped back wrongly, say): each vector must be the one its text gets alone.
     */
    @Test
    @DisplayName("V1 one vector per input, in input order, each the one its text gets alone")
    void v1() {
        EmbeddingProvider p = provider();
        List<String> texts = List.of("the cat sat", "on the mat", "the cat sat", "Grüße aus 東京 🙂");
        EmbeddingResponse all = withinBound(() -> p.embed(request(texts).build()));
        assertEquals(texts.size(), all.size(), "one vector per input");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            EmbeddingResponse alone = withinBound(() -> p.embed(request(List.of(text)).build()));
            int at = i;
            assertArrayEquals(alone.vector(0), all.vector(i), () -> "vector " + at + " is not the one '" + text + "' gets");
        }
        assertFalse(Arrays.equals(all.vector(0), all.vector(1)), "different texts got the same vector");
    }

    /**
     * Fails when requested dimensions are not sent (or sent under the wrong name) and the vectors come back at
     * the model's own length, or when dimensions the caller did not ask for are sent anyway.
     */
    @Test
    @DisplayName("V2 requested dimensions are honoured; unset ones are not sent")
    void v2() {
        EmbeddingProvider p = provider();
        EmbeddingResponse r = withinBound(() -> p.embed(request(List.of("a", "b")).dimensions(64).build()));
        for (float[] v : r.vectors()) {
            assertEquals(64, v.length, "the vector length asked for");
        }
        withinBound(() -> p.embed(request(List.of("c")).build()));
        List<RecordedRequest> sent = server.takeRequests();
        JsonNode unset = sent.get(sent.size() - 1).json();
        for (String field : List.of("dimensions", "output_dimension")) {
            assertTrue(unset.path(field).isMissingNode() || unset.path(field).isNull(),
                    () -> field + " was sent though unset: " + unset);
        }
    }

    /**
     * Fails when more inputs than the server takes in one request are not split into requests within the
     * limit, or when the batches' vectors are not put back in input order.
     */
    @Test
    @DisplayName("V3 more inputs than one request takes are batched within the limit and reassembled in order")
    void v3() {
        EmbeddingProvider p = provider();
        int max = batchLimit(p);
        int n = 2 * max + 1;
        List<String> texts = numbered(n);
        EmbeddingResponse forward = withinBound(() -> p.embed(request(texts).build()));
        List<RecordedRequest> sent = server.takeRequests();
        assertTrue(sent.size() >= 3, () -> n + " inputs at " + max + " a request went in " + sent.size() + " requests");
        int total = 0;
        for (RecordedRequest r : sent) {
            int inputs = inputsOf(r);
            assertTrue(inputs <= max, () -> "a request carried " + inputs + " inputs, above the limit " + max);
            total += inputs;
        }
        assertEquals(n, total, "every input sent once");
        List<String> reversed = new ArrayList<>(texts);
        Collections.reverse(reversed);
        EmbeddingResponse backward = withinBound(() -> p.embed(request(reversed).build()));
        assertEquals(n, forward.size());
        for (int i = 0; i < n; i++) {
            int at = i;
            assertArrayEquals(forward.vector(i), backward.vector(n - 1 - i), () -> "vector " + at + " out of order");
        }
    }

    /**
     * Fails when base64 vectors are decoded other than as little-endian float32 (or JSON numbers other than as
     * floats), or when the encoding asked for is not the one sent: base64 where the server supports it, JSON
     * numbers for {@code FLOAT}.
     */
    @Test
    @DisplayName("V4 base64 and float encodings give identical floats")
    void v4() {
        EmbeddingProvider p = provider();
        List<String> texts = List.of("the cat sat", "on the mat");
        EmbeddingResponse base64 = withinBound(() -> p.embed(request(texts).encoding(EmbeddingRequest.Encoding.BASE64).build()));
        EmbeddingResponse floats = withinBound(() -> p.embed(request(texts).encoding(EmbeddingRequest.Encoding.FLOAT).build()));
        List<RecordedRequest> sent = server.takeRequests();
        assertEquals("base64", sent.get(0).json().path("encoding_format").asString(""), "base64 asked for");
        assertNotEquals("base64", sent.get(1).json().path("encoding_format").asString(""), "JSON numbers asked for");
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(floats.vector(i), base64.vector(i), "vector " + i + " differs between the encodings");
        }
    }

    /**
     * Fails when a server error of a call in one request is not the exception its status calls for: 429 a
     * {@link RateLimitException}, 400 an {@link InvalidRequestException}.
     */
    @Test
    @DisplayName("V5 server errors are typed: 429 a rate limit, 400 an invalid request")
    void v5() {
        EmbeddingProvider p = provider();
        server.enqueue(Reply.error(429, dialect().errorTypeFor(429), "Rate limit reached for requests"));
        LlmException limited = withinBound(() -> assertThrows(LlmException.class, () -> p.embed(request(List.of("a")).build())));
        assertInstanceOf(RateLimitException.class, limited, limited.toString());
        server.enqueue(Reply.error(400, dialect().errorTypeFor(400), "'$.input' is invalid."));
        LlmException invalid = withinBound(() -> assertThrows(LlmException.class, () -> p.embed(request(List.of("b")).build())));
        assertInstanceOf(InvalidRequestException.class, invalid, invalid.toString());
    }

    /**
     * Fails when one failed batch of a call split into several is not reported as an
     * {@link EmbeddingBatchException} naming exactly the inputs of the request that failed, with that
     * request's typed failure as its cause.
     */
    @Test
    @DisplayName("V6 a failed batch of several fails the call naming its input range")
    void v6() {
        EmbeddingProvider p = provider();
        int max = batchLimit(p);
        List<String> texts = numbered(3 * max);
        server.enqueue(Reply.generated()).enqueue(Reply.error(400, dialect().errorTypeFor(400), "'$.input' is invalid."));
        LlmException e = withinBound(() -> assertThrows(LlmException.class, () -> p.embed(request(texts).build())));
        EmbeddingBatchException batch = assertInstanceOf(EmbeddingBatchException.class, e, e.toString());
        RecordedRequest failed = server.takeRequests().get(1); // the second to arrive got the error
        JsonNode inputs = failed.json().path("input");
        int from = texts.indexOf(inputs.get(0).asString());
        assertEquals(from, batch.fromIndex(), "the failed batch's first input");
        assertEquals(from + inputs.size(), batch.toIndex(), "the failed batch's end");
        assertInstanceOf(InvalidRequestException.class, batch.getCause(), "the batch's own failure, typed");
    }

    /**
     * Fails when interrupting the calling thread does not end an embeddings call whose requests the server
     * holds unanswered, promptly and with an {@link LlmException}, or leaves an exchange open (a connection the
     * server still holds a reply for) or a thread of the call behind. The server holds every request at a
     * gate and the kit's clock stands still, so only the interrupt can end the call.
     */
    @Test
    @DisplayName("V7 interrupting the caller ends the call typed and leaves no exchange or thread behind")
    void v7() throws InterruptedException {
        EmbeddingProvider p = provider();
        withinBound(() -> p.embed(request(List.of("warm up")).build()));
        int max = Math.min(p.limits().maxInputs(), MAX_BATCH_LIMIT);
        int inFlight = Math.max(1, Math.min(2, p.limits().concurrency()));
        List<String> texts = numbered(Math.min(max * inFlight, 2 * MAX_BATCH_LIMIT));
        int before = server.requestCount();
        Gate held = new Gate();
        server.setDefault(Reply.generated().holdHead(held));
        Set<Thread> threadsBefore = Threads.live();
        Throwable[] thrown = new Throwable[1];
        Thread caller = new Thread(() -> {
            try {
                p.embed(request(texts).build());
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "contract-embedder");
        caller.setDaemon(true);
        caller.start();
        held.awaitReached(hangBound());
        server.awaitRequests(before + Math.min(inFlight, (texts.size() + max - 1) / max), hangBound());
        awaitBlocked(caller);
        caller.interrupt();
        caller.join(hangBound().toMillis());
        assertFalse(caller.isAlive(), "the interrupted call did not end");
        assertInstanceOf(LlmException.class, thrown[0], () -> "the interrupted call ended with " + thrown[0]);
        server.awaitNoOpenExchange(hangBound());
        // The call's batch threads end; an HTTP client may keep pooled workers, at most one per request in flight.
        Duration grace = hangBound().compareTo(THREAD_GRACE) < 0 ? hangBound() : THREAD_GRACE;
        Set<Thread> grown = Threads.newSince(threadsBefore, grace, inFlight);
        assertTrue(grown.size() <= inFlight && grown.stream().noneMatch(t -> t.getName().startsWith("alfred-embeddings-")),
                () -> "threads of the interrupted call are still alive: " + grown);
        server.setDefault(Reply.generated());
        assertEquals(1, withinBound(() -> p.embed(request(List.of("after")).build())).size(), "the provider still works");
    }

    /** How long V7 gives threads that are ending to end, at most. */
    private static final Duration THREAD_GRACE = Duration.ofSeconds(5);

    /**
     * Waits until a thread is blocked (parked, waiting, or in a native call) in the same place on three looks
     * in a row, within the hang bound.
     */
    private void awaitBlocked(Thread t) {
        long deadline = System.nanoTime() + hangBound().toNanos();
        StackTraceElement where = null;
        int looks = 0;
        while (looks < 3) {
            Thread.State state = t.getState();
            if (state == Thread.State.TERMINATED) {
                return;
            }
            StackTraceElement[] stack = t.getStackTrace();
            StackTraceElement top = stack.length > 0 ? stack[0] : null;
            boolean blocked = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || (state == Thread.State.RUNNABLE && top != null && top.isNativeMethod());
            looks = blocked && top != null && top.equals(where) ? looks + 1 : blocked ? 1 : 0;
            where = top;
            assertTrue(System.nanoTime() < deadline, () -> "the caller never blocked: " + t.getState());
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }
}
