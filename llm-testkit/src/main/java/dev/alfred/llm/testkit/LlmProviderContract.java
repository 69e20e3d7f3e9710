package dev.alfred.llm.testkit;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.ProviderConfig;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every {@link LlmProvider} must keep, as one abstract JUnit 5 class: a provider adopts
 * the whole of it by extending this class and implementing {@link #createProvider}, pointing the
 * provider at the {@link FakeServer} it is given. Decorators pass it too, wrapped around a provider.
 *
 * <p>Every rule's display name starts with its id (C = chat, S = streaming, E = errors, F = faults,
 * X = cancellation, D = discovery, K = secrets); its javadoc says what to check when it fails.
 * Rules of {@linkplain #capabilities() capabilities} a provider leaves out are skipped.
 */
public abstract class LlmProviderContract {

    /** The API key the kit gives providers; it must never leak. */
    protected static final String API_KEY = "sk-contract-7e3f9a1b2c4d6e8f0a1b2c3d4e5f6a7b";
    /** The most any rule waits for a provider to react; a provider slower than this hangs. */
    protected static final Duration HANG_BOUND = Duration.ofSeconds(20);
    /** The idle timeout the kit asks providers to apply. */
    protected static final Duration IDLE_TIMEOUT = Duration.ofMillis(500);
    /** The response-head timeout the kit asks providers to apply. */
    protected static final Duration HEADERS_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Rules that observe the whole JVM (live threads, the default locale, captured log lines) take this
     * lock exclusively and every other rule shares it, so that kits may run side by side in one JVM (the
     * kit's own self-test does) without one kit's threads or logs landing in another's rule.
     */
    private static final ReentrantReadWriteLock JVM_WIDE = new ReentrantReadWriteLock();

    /** Marks a rule that observes the whole JVM; see {@link #JVM_WIDE}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    private @interface SeesTheWholeJvm {
    }

    /** The fake server of the current test, started before and stopped after each. */
    protected FakeServer server;
    private final List<LlmProvider> created = new ArrayList<>();
    private Lock held;

    /**
     * Creates the provider under test, pointed at the kit's fake server.
     *
     * @param target the base URL, API key and timeouts to configure
     * @return a new provider
     */
    protected abstract LlmProvider createProvider(ProviderTarget target);

    /**
     * What the provider supports; rules of the others are skipped. All by default.
     *
     * @return the capabilities
     */
    protected Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    /**
     * The wire dialect the fake server speaks; the OpenAI-compatible one by default.
     *
     * @return the dialect
     */
    protected WireDialect dialect() {
        return WireDialect.openAiCompatible();
    }

    /**
     * The id the provider registers with {@link java.util.ServiceLoader}, for the discovery rules.
     *
     * @return the id, or empty to skip them
     */
    protected Optional<String> providerId() {
        return Optional.empty();
    }

    /**
     * The configuration that points the discovered provider at the target, for the discovery rules.
     *
     * @param target the fake server and key
     * @return the configuration
     */
    protected ProviderConfig discoveryConfig(ProviderTarget target) {
        return ProviderConfig.empty();
    }

    /**
     * The response-head timeout the kit asks providers to apply, and waits past in F6.
     *
     * @return {@link #HEADERS_TIMEOUT} by default
     */
    protected Duration headersTimeout() {
        return HEADERS_TIMEOUT;
    }

    /**
     * How long the stalling streams of F4 and X2 pause between their pieces (the head comes with the
     * first piece, so it must stay below {@link #headersTimeout()}); F4 needs it well above the idle
     * timeout, X2 needs its half to be ample for a close to release a reader.
     *
     * @return 2 s by default
     */
    protected Duration stall() {
        return Duration.ofSeconds(2);
    }

    /**
     * How many streams X1 closes early.
     *
     * @return 50 by default
     */
    protected int earlyCloses() {
        return 50;
    }

    @BeforeEach
    final void startServer(TestInfo info) {
        boolean wholeJvm = info.getTestMethod().map(m -> m.isAnnotationPresent(SeesTheWholeJvm.class)).orElse(false);
        held = wholeJvm ? JVM_WIDE.writeLock() : JVM_WIDE.readLock();
        held.lock();
        server = FakeServer.start(dialect());
        if (wholeJvm) {
            CapturedLogs.clear();
        }
    }

    @AfterEach
    final void stopServer() {
        try {
            created.forEach(LlmProvider::close);
            created.clear();
            server.close();
        } finally {
            held.unlock();
        }
    }

    /**
     * A provider pointed at the server with the kit's timeouts.
     *
     * @return the provider, closed after the test
     */
    protected final LlmProvider provider() {
        return provider(IDLE_TIMEOUT);
    }

    private LlmProvider provider(Duration idleTimeout) {
        LlmProvider p = createProvider(target(idleTimeout));
        created.add(p);
        return p;
    }

    private ProviderTarget target(Duration idleTimeout) {
        return new ProviderTarget(server.baseUri(), API_KEY, idleTimeout, headersTimeout());
    }

    private void assume(Capability c) {
        assumeTrue(capabilities().contains(c), () -> "provider does not declare " + c);
    }

    private static <T> T withinBound(Supplier<T> action) {
        return assertTimeoutPreemptively(HANG_BOUND, action::get, "the provider hung");
    }

    private static ChatRequest request() {
        return ChatRequest.builder().system("Be brief.").user("Say hello").build();
    }

    private StreamRecording recordStream(LlmProvider p) {
        return withinBound(() -> StreamRecording.of(p.stream(request())));
    }

    /** Chat: one blocking call. */
    @Nested
    @DisplayName("chat")
    protected class Chat {

        /**
         * Fails when the provider does not decode the answer's content, model, usage or finish reason from
         * a standard response: check the response parsing.
         */
        @Test
        @DisplayName("C1 chat returns the content, model, usage and finish reason")
        void c1() {
            ScriptedStream script = ScriptedStream.ofText("Hello", ", world").withModel("model-x");
            server.enqueue(Reply.chat(script));
            ChatResponse r = withinBound(() -> provider().chat(request()));
            assertEquals("Hello, world", r.content());
            assertEquals("model-x", r.model());
            assertEquals(script.portFinishReason(), r.finishReason());
            if (capabilities().contains(Capability.USAGE)) {
                assertEquals(ScriptedStream.DEFAULT_USAGE, r.usage());
            }
        }

        /**
         * Fails when the request does not carry the conversation in order with its roles: check the
         * request encoding.
         */
        @Test
        @DisplayName("C2 the request carries every message in order with its role")
        void c2() {
            server.enqueue(Reply.chat("ok"));
            ChatRequest req = ChatRequest.builder().system("sys").user("u1").assistant("a1").user("u2 — ünïcødé 🙂").build();
            withinBound(() -> provider().chat(req));
            RecordedRequest recorded = server.takeRequest();
            assertEquals("POST", recorded.method());
            assertEquals(req.messages(), dialect().messages(recorded));
        }

        /**
         * Fails when a setting the caller did not set is sent anyway (some models reject any explicit
         * temperature), or a set one is not sent: check the request encoding's optional fields.
         */
        @Test
        @DisplayName("C3 unset options are not sent; set ones are")
        void c3() {
            server.enqueue(Reply.chat("a")).enqueue(Reply.chat("b"));
            LlmProvider p = provider();
            withinBound(() -> p.chat(ChatRequest.of("hi")));
            Map<String, String> unset = dialect().options(server.takeRequest());
            for (String option : List.of("temperature", "topP", "maxTokens", "stop")) {
                assertFalse(unset.containsKey(option), () -> option + " was sent though unset: " + unset);
            }
            withinBound(() -> p.chat(ChatRequest.builder().user("hi").model("m-2").temperature(0.25).topP(0.5)
                    .maxTokens(77).stop(List.of("END")).build()));
            Map<String, String> set = dialect().options(server.takeRequest());
            assertEquals("m-2", set.get("model"));
            assertEquals(0.25, Double.parseDouble(set.get("temperature")));
            assertEquals(0.5, Double.parseDouble(set.get("topP")));
            assertEquals("77", set.get("maxTokens"));
            assertTrue(set.get("stop").contains("END"), set.toString());
        }

        /**
         * Fails when a thinking model's reasoning is lost or mixed into the content: check where the
         * response's reasoning field is read.
         */
        @Test
        @DisplayName("C4 reasoning comes back separate from the content")
        void c4() {
            assume(Capability.REASONING);
            server.enqueue(Reply.chat(ScriptedStream.of(List.of(ChatDelta.reasoning("Let me think."), ChatDelta.text("42")))));
            ChatResponse r = withinBound(() -> provider().chat(request()));
            assertEquals("42", r.content());
            assertEquals("Let me think.", r.reasoning());
        }
    }

    /** Streaming: deltas pulled as they arrive. */
    @Nested
    @DisplayName("streaming")
    protected class Streaming {

        /**
         * Fails when deltas are lost, reordered, or differ from the aggregate: check that every event
         * becomes a delta and that the aggregate is built from the deltas handed out.
         */
        @Test
        @DisplayName("S1 deltas arrive in order and add up to the aggregated response")
        void s1() {
            server.enqueue(Reply.stream("The ", "quick ", "brown ", "fox — ", "日本語 ", "🙂"));
            StreamRecording rec = recordStream(provider());
            ChatResponse r = rec.assertCompleted();
            assertEquals(List.of("The ", "quick ", "brown ", "fox — ", "日本語 ", "🙂"),
                    rec.deltas().stream().map(ChatDelta::text).toList());
            assertEquals(rec.text(), r.content());
            assertEquals("The quick brown fox — 日本語 🙂", r.content());
            assertEquals(ScriptedStream.DEFAULT_MODEL, r.model());
            assertEquals(FinishReason.STOP, r.finishReason());
        }

        /**
         * Fails when reasoning deltas are reported as text (or dropped): check how the reasoning field
         * of a stream chunk is mapped.
         */
        @Test
        @DisplayName("S2 reasoning deltas are reasoning, not text")
        void s2() {
            assume(Capability.REASONING);
            server.enqueue(Reply.stream(ScriptedStream.of(List.of(ChatDelta.reasoning("Think "), ChatDelta.reasoning("hard."),
                    ChatDelta.text("Done.")))));
            StreamRecording rec = recordStream(provider());
            ChatResponse r = rec.assertCompleted();
            assertEquals(List.of(ChatDelta.reasoning("Think "), ChatDelta.reasoning("hard."), ChatDelta.text("Done.")),
                    rec.deltas());
            assertEquals("Think hard.", r.reasoning());
            assertEquals("Done.", r.content());
        }

        /**
         * Fails when usage is missed in one of its placements or counted twice when it comes twice:
         * usage reported later must replace, never add to, usage reported earlier.
         */
        @ParameterizedTest(name = "S3 usage is reported once when placed {0}")
        @EnumSource(value = ScriptedStream.UsagePlacement.class, names = {"CHOICE", "TOP_LEVEL", "BOTH"})
        @DisplayName("S3 usage is reported once, wherever the stream places it")
        void s3(ScriptedStream.UsagePlacement placement) {
            assume(Capability.USAGE);
            Usage usage = new Usage(90, 50, 140, 90, 33);
            server.enqueue(Reply.stream(ScriptedStream.ofText("a", "b").withUsage(usage, placement)));
            assertEquals(usage, recordStream(provider()).assertCompleted().usage());
        }

        /**
         * Fails when a completed stream has more than one outcome: after the end, iteration stays
         * ended and the response stays the same.
         */
        @Test
        @DisplayName("S4 a completed stream has exactly one outcome")
        void s4() {
            server.enqueue(Reply.stream("one", "two"));
            ChatStream stream = provider().stream(request());
            List<String> seen = new ArrayList<>();
            withinBound(() -> {
                stream.forEach(d -> seen.add(d.text()));
                return null;
            });
            ChatResponse first = stream.response();
            assertEquals(List.of("one", "two"), seen);
            assertFalse(stream.iterator().hasNext());
            assertEquals(first, stream.response());
            stream.close();
            assertEquals(first, stream.response(), "closing a completed stream changes nothing");
        }

        /**
         * Fails when the stream depends on how its bytes are cut: events split across reads (even inside
         * a multi-byte character) must give the same deltas.
         */
        @Test
        @DisplayName("S5 a stream cut into many small pieces gives the same deltas")
        void s5() {
            // Mostly multi-byte text, so that many of the cuts fall inside a character.
            String emoji = "🙂".repeat(60);
            server.enqueue(Reply.stream(ScriptedStream.ofText("Grüße ", "aus ", "東京 ", emoji).chunked(40, Duration.ofMillis(2))));
            StreamRecording rec = recordStream(provider());
            assertEquals("Grüße aus 東京 " + emoji, rec.assertCompleted().content());
        }

        /**
         * Fails when a stream request is not marked as one, or carries the conversation wrongly.
         */
        @Test
        @DisplayName("S6 the stream request asks for a stream and carries the messages")
        void s6() {
            server.enqueue(Reply.stream("x"));
            recordStream(provider()).assertCompleted();
            RecordedRequest recorded = server.takeRequest();
            assertEquals("true", dialect().options(recorded).get("stream"));
            assertEquals(request().messages(), dialect().messages(recorded));
        }
    }

    /** Errors: each status to its exception. */
    @Nested
    @DisplayName("errors")
    protected class Errors {

        // Failures are served to every request (setDefault), so a retrying decorator sees them persist.
        private LlmException chatFailure(Reply reply) {
            server.setDefault(reply);
            return withinBound(() -> assertThrows(LlmException.class, () -> provider().chat(request())));
        }

        private LlmException streamFailure(Reply reply) {
            server.setDefault(reply);
            StreamRecording rec = recordStream(provider());
            assertTrue(rec.deltas().isEmpty(), "no delta from an error response");
            assertNotNull(rec.failure(), "an error response must fail the stream, not complete it");
            return rec.failure();
        }

        /**
         * Fails when a status maps to the wrong exception or retryable flag, in chat or in a stream:
         * check the error mapping table.
         */
        @ParameterizedTest(name = "E1 HTTP {0} maps to its exception, in chat and stream")
        @ValueSource(ints = {400, 401, 404, 429, 500, 502, 503, 504})
        @DisplayName("E1 each HTTP status maps to its exception, in chat and stream")
        void e1(int status) {
            Class<? extends LlmException> expected = status == 401 ? AuthenticationException.class
                    : status == 429 ? RateLimitException.class
                    : status >= 500 ? ProviderUnavailableException.class
                    : InvalidRequestException.class;
            for (boolean stream : new boolean[] {false, true}) {
                Reply reply = Reply.error(status, dialect().errorTypeFor(status), "scripted failure " + status);
                LlmException e = stream ? streamFailure(reply) : chatFailure(reply);
                assertInstanceOf(expected, e, () -> "HTTP " + status + (stream ? " (stream)" : " (chat)") + ": " + e);
                assertEquals(status == 429 || status >= 500, e.isRetryable(), "retryable flag of HTTP " + status);
                assertEquals(status, e.httpStatus().orElse(-1), "the status is exposed");
                assertTrue(e.getMessage().contains("scripted failure " + status), "the provider's message is kept: " + e.getMessage());
            }
        }

        /**
         * Fails when Retry-After is not read from a rate-limit response: check the header parsing.
         */
        @Test
        @DisplayName("E2 a rate limit carries the server's Retry-After")
        void e2() {
            LlmException e = chatFailure(Reply.error(429, dialect().errorTypeFor(429), "slow down").withHeader("Retry-After", "7"));
            assertEquals(Optional.of(Duration.ofSeconds(7)), assertInstanceOf(RateLimitException.class, e).retryAfter());
        }

        /**
         * Fails when a non-JSON error (an HTML page from a proxy) gives an unclear message or a parse
         * error: the message must still name the status.
         */
        @Test
        @DisplayName("E3 a non-JSON error body still gives a clear typed error naming the status")
        void e3() {
            LlmException e = chatFailure(Reply.raw(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"));
            assertInstanceOf(ProviderUnavailableException.class, e);
            assertTrue(e.getMessage().contains("502"), e.getMessage());
        }
    }

    /** Faults: broken transports and hostile streams. */
    @Nested
    @DisplayName("faults")
    protected class Faults {

        /**
         * Fails when a transport fault escapes untyped or hangs: a reset or an empty reply must be a
         * retryable {@link ProviderUnavailableException}.
         */
        @ParameterizedTest(name = "F1 {0} is a retryable typed error")
        @EnumSource(value = Reply.Fault.class, names = {"CONNECTION_RESET", "EMPTY_REPLY"})
        @DisplayName("F1 a connection reset or empty reply is a retryable typed error")
        void f1(Reply.Fault fault) {
            server.setDefault(Reply.fault(fault));
            LlmProvider p = provider();
            LlmException chat = withinBound(() -> assertThrows(LlmException.class, () -> p.chat(request())));
            assertInstanceOf(ProviderUnavailableException.class, chat);
            assertTrue(chat.isRetryable());
            recordStream(p).assertFailed(ProviderUnavailableException.class);
        }

        /**
         * Fails when a malformed stream chunk is skipped silently or crashes untyped: it must fail the
         * stream with a typed error, keeping what was delivered.
         */
        @Test
        @DisplayName("F2 a malformed chunk fails the stream with a typed error")
        void f2() {
            server.enqueue(Reply.stream(ScriptedStream.ofText("ok ").withRawEvent("{\"choices\":[{\"delta\":{\"content\":\"x\"}}]")));
            StreamRecording rec = recordStream(provider());
            StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
            assertEquals("ok ", e.partialContent());
        }

        /**
         * Fails when a stream that ends without its end marker is taken as complete: that is a silently
         * truncated answer. It must fail, keeping the partial text.
         */
        @Test
        @DisplayName("F3 a truncated stream fails, keeping the partial text")
        void f3() {
            server.enqueue(Reply.stream(ScriptedStream.ofText("Hello, ", "wor").withoutDone()));
            StreamRecording rec = recordStream(provider());
            StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
            assertEquals("Hello, wor", e.partialContent());
            assertEquals("Hello, wor", rec.text());
        }

        /**
         * Fails when a stream that goes silent is waited on for ever: the idle timeout must end it with
         * a typed error.
         */
        @Test
        @DisplayName("F4 a stalled stream ends with a typed error at the idle timeout")
        void f4() {
            server.enqueue(Reply.stallingStream(stall(), "a", "b", "c", "d", "e", "f"));
            StreamRecording rec = recordStream(provider());
            assertNotNull(rec.failure(), "a stream silent for " + stall().toMillis() + " ms with a 500 ms idle timeout must fail");
            assertTrue(rec.failure() instanceof ProviderUnavailableException
                    || rec.failure().getCause() instanceof ProviderUnavailableException, rec.failure().toString());
        }

        /**
         * Fails when an error object sent inside a 200 stream is ignored: it must fail the stream typed.
         */
        @Test
        @DisplayName("F5 an error event inside a stream is a typed error")
        void f5() {
            server.enqueue(Reply.stream(ScriptedStream.ofText("part").withRawEvent(
                    "{\"error\":{\"message\":\"Stream failed\",\"type\":\"server_error\"}}")));
            StreamRecording rec = recordStream(provider());
            StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
            assertEquals("part", e.partialContent());
            assertTrue(e.getCause().getMessage().contains("Stream failed"), e.getCause().getMessage());
        }

        /**
         * Fails when a server that never sends its response head is waited on for ever.
         */
        @Test
        @DisplayName("F6 a response head that never comes is a typed error")
        void f6() {
            server.enqueue(Reply.stream("late").afterDelay(headersTimeout().plusSeconds(5)));
            StreamRecording rec = recordStream(provider());
            rec.assertFailed(ProviderUnavailableException.class);
        }
    }

    /** Cancellation: close frees everything. */
    @Nested
    @DisplayName("cancellation")
    protected class Cancellation {

        /**
         * Fails when closing streams early leaks connections or threads: after many early closes a new
         * call must still work, and the live threads must not grow with the number of streams.
         */
        @Test
        @SeesTheWholeJvm
        @DisplayName("X1 fifty streams closed early free their connections and leave no thread behind")
        void x1() {
            LlmProvider p = provider(Duration.ofSeconds(30));
            server.enqueue(Reply.stream(ScriptedStream.ofText("warm", "up").chunked(4, Duration.ofMillis(5))));
            recordStream(p).assertCompleted();
            Set<Thread> before = Threads.live();
            for (int i = 0; i < earlyCloses(); i++) {
                server.enqueue(Reply.stream(ScriptedStream.ofText("a", "b", "c", "d", "e").chunked(5, Duration.ofMillis(40))));
                withinBound(() -> {
                    try (ChatStream s = p.stream(request())) {
                        assertTrue(s.iterator().hasNext());
                        s.iterator().next();
                    }
                    return null;
                });
            }
            server.enqueue(Reply.chat("still fine"));
            assertEquals("still fine", withinBound(() -> p.chat(request())).content());
            Set<Thread> grown = Threads.newSince(before, Duration.ofSeconds(5), 2);
            assertTrue(grown.size() <= 2, () -> "threads grew with early-closed streams: " + grown);
        }

        /**
         * Fails when close() from another thread does not wake a reader blocked on a silent stream: a
         * bot must be able to cancel from outside. The reader must be released within half the stall,
         * well before the next piece would have released it anyway.
         */
        @Test
        @DisplayName("X2 close from another thread releases a blocked reader with a typed error")
        void x2() throws Exception {
            LlmProvider p = provider(Duration.ofSeconds(60));
            server.enqueue(Reply.stallingStream(stall(), "first", "second", "third", "fourth",
                    "fifth", "sixth", "seventh", "eighth"));
            ChatStream s = p.stream(request());
            CountDownLatch firstDelta = new CountDownLatch(1);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    Iterator<ChatDelta> it = s.iterator();
                    while (it.hasNext()) {
                        it.next();
                        firstDelta.countDown();
                    }
                    outcome.set(new AssertionError("the stream completed though it was closed"));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            }, "contract-reader");
            reader.start();
            assertTrue(firstDelta.await(HANG_BOUND.toSeconds(), TimeUnit.SECONDS), "the first delta arrived");
            s.close();
            reader.join(stall().toMillis() / 2);
            assertFalse(reader.isAlive(), "close from another thread released the blocked reader");
            assertInstanceOf(LlmException.class, outcome.get());
        }

        /**
         * Fails when a stream closed before it is read still delivers, or leaks its exchange.
         */
        @Test
        @DisplayName("X3 a stream closed before reading ends with a typed error and frees the exchange")
        void x3() {
            LlmProvider p = provider();
            // The closed stream's request may or may not reach the server: serve every request alike, with
            // a real stream, so a closed stream that reads anyway would get a whole answer.
            server.setDefault(Reply.stream("next"));
            ChatStream s = p.stream(request());
            s.close();
            assertThrows(LlmException.class, () -> withinBound(() -> s.iterator().hasNext()));
            assertThrows(LlmException.class, s::response);
            assertEquals("next", recordStream(p).assertCompleted().content());
        }
    }

    /** Discovery: found through ServiceLoader by its id. */
    @Nested
    @DisplayName("discovery")
    protected class Discovery {

        /**
         * Fails when the provider is not registered in META-INF/services (and module-info): check the
         * registration file names the factory class.
         */
        @Test
        @DisplayName("D1 the provider is found by its id through ServiceLoader and works")
        void d1() {
            assume(Capability.DISCOVERY);
            assumeTrue(providerId().isPresent(), "no provider id given");
            String id = providerId().get();
            assertTrue(LlmProviders.ids().contains(id), () -> id + " not among " + LlmProviders.ids());
            server.enqueue(Reply.chat("found"));
            LlmProvider p = LlmProviders.create(id, discoveryConfig(target(IDLE_TIMEOUT)));
            created.add(p);
            assertEquals("found", withinBound(() -> p.chat(request())).content());
        }
    }

    /** Secrets: the API key never leaks. */
    @Nested
    @DisplayName("secrets")
    protected class Secrets {

        private void assertNoKey(String where, String text) {
            KeyLeaks.assertNone(API_KEY, where, text);
        }

        private void assertNoKeyInChain(Throwable t) {
            KeyLeaks.assertNone(API_KEY, t);
        }

        /**
         * Fails when toString shows the key: check every toString of the provider (and its wrappers).
         */
        @Test
        @DisplayName("K1 toString never shows the API key")
        void k1() {
            assertNoKey("the provider's toString", provider().toString());
        }

        /**
         * Fails when an error message carries the key, even when a hostile server echoes it back or the
         * default locale is Turkish (whose case rules break naive case-insensitive scrubbing).
         */
        @ParameterizedTest(name = "K2 no exception message contains the key (locale {0})")
        @SeesTheWholeJvm
        @ValueSource(strings = {"en-US", "tr-TR"})
        @DisplayName("K2 no exception message contains the key")
        void k2(String locale) {
            Locale saved = Locale.getDefault();
            Locale.setDefault(Locale.forLanguageTag(locale));
            try {
                LlmProvider p = provider();
                for (int status : new int[] {400, 401, 403, 429, 500}) {
                    server.setDefault(Reply.error(status, dialect().errorTypeFor(status),
                            "Incorrect API key provided: " + API_KEY + " (Bearer " + API_KEY + ")")
                            .withHeader("x-trace-id", "trace-" + API_KEY));
                    LlmException e = withinBound(() -> assertThrows(LlmException.class, () -> p.chat(request())));
                    assertNoKeyInChain(e);
                }
                server.enqueue(Reply.stream(ScriptedStream.ofText("x").withRawEvent(
                        "{\"error\":{\"message\":\"bad key " + API_KEY + "\",\"type\":\"server_error\"}}")));
                assertNoKeyInChain(recordStream(p).failure());
            } finally {
                Locale.setDefault(saved);
            }
        }

        /**
         * Fails when a log line (at any level, DEBUG included) carries the key.
         */
        @Test
        @SeesTheWholeJvm
        @DisplayName("K3 no log line contains the key")
        void k3() {
            assertTrue(CapturedLogs.isActive(), "the testkit's SLF4J capture must be the bound SLF4J provider");
            LlmProvider p = provider();
            server.enqueue(Reply.chat("ok")).enqueue(Reply.stream("a", "b"))
                    .enqueue(Reply.error(401, dialect().errorTypeFor(401), "bad " + API_KEY));
            withinBound(() -> p.chat(request()));
            recordStream(p).assertCompleted();
            withinBound(() -> assertThrows(LlmException.class, () -> p.chat(request())));
            p.close();
            for (CapturedLogs.Line line : CapturedLogs.lines()) {
                assertNoKey("a log line of " + line.logger(), line.text());
            }
        }
    }
}
