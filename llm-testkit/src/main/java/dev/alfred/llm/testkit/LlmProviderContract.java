package dev.alfred.llm.testkit;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.config.ProviderConfig;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * X = cancellation, D = discovery, K = secrets, T = tools, J = JSON answers, I = images, U = unsupported
 * features, N = token counting, M = the model catalogue); its javadoc says what to check when it fails.
 * The fake server answers the token-count endpoints and the model list as the dialect's real server does
 * ({@link Reply#generated()}); a provider with only the estimating counter skips N3, one without a
 * catalogue skips M1.
 * Rules of {@linkplain #capabilities() capabilities} a provider leaves out are skipped.
 *
 * <p>No rule waits on the wall clock. The fake server holds a reply at a {@link Gate} (a head that never
 * comes, a stream that stalls after its first delta) until the rule is done with it; the timing rules
 * (F4, F6) wait for a state — the request received, the reader blocked — and then advance the kit's fake
 * time, {@link ProviderTarget#clock()}, past the timeout. A provider that puts its deadlines on that clock
 * (two lines for one on {@code llm-http}; see {@link KitClock}) runs the whole kit in a second or two; one
 * that ignores it still passes, on its real timeouts (which the kit keeps short), only slower.
 */
public abstract class LlmProviderContract {

    /** The API key the kit gives providers; it must never leak. */
    protected static final String API_KEY = "sk-contract-7e3f9a1b2c4d6e8f0a1b2c3d4e5f6a7b";
    /**
     * The most any rule waits for a provider to react by default; a provider slower than this hangs. A
     * bound for what never happens, not a pacing: a sound provider never makes a rule wait it out.
     */
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
    private static final ReentrantReadWriteLock JVM_WIDE = Threads.JVM_WIDE;

    /** Marks a rule that observes the whole JVM; see {@link #JVM_WIDE}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    private @interface SeesTheWholeJvm {
    }

    /** The fake server of the current test, started before and stopped after each. */
    protected FakeServer server;
    /** The fake time of the current test, given to every provider it creates. */
    private KitClock clock;
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
     * The most any rule waits for the provider to react (a call to return, a blocked reader to be
     * released, a state to be reached) before it calls the provider hung; only a defective provider
     * makes a rule wait it out.
     *
     * @return {@link #HANG_BOUND} by default
     */
    protected Duration hangBound() {
        return HANG_BOUND;
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
        clock = new KitClock();
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
        return new ProviderTarget(server.baseUri(), API_KEY, idleTimeout, headersTimeout(), clock);
    }

    private void assume(Capability c) {
        assumeTrue(capabilities().contains(c), () -> "provider does not declare " + c);
    }

    private <T> T withinBound(Supplier<T> action) {
        return assertTimeoutPreemptively(hangBound(), action::get, "the provider hung");
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
                if (!dialect().requiredOptions().contains(option)) {
                    assertFalse(unset.containsKey(option), () -> option + " was sent though unset: " + unset);
                }
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
            assertEquals(Stream.of("The ", "quick ", "brown ", "fox — ", "日本語 ", "🙂").map(ChatDelta::text).toList(),
                    rec.deltas());
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
            Usage usage = new Usage(90, 50, 140, 90, 0, dialect().reportsReasoningTokens() ? 33 : 0);
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
                stream.forEach(d -> seen.add(((ChatDelta.Text) d).text()));
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
            server.enqueue(Reply.stream(ScriptedStream.ofText("Grüße ", "aus ", "東京 ", emoji).chunked(40, Duration.ZERO)));
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

    private static final JsonSchema CITY = JsonSchema.of(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    private static final ToolDefinition GET_WEATHER = ToolDefinition.function("get_weather", "The weather in a city.", CITY);
    private static final ToolDefinition GET_TIME = ToolDefinition.function("get_time", "The time in a city.", CITY);

    private static ChatRequest toolRequest() {
        return ChatRequest.builder().user("Weather in Paris?").tools(GET_WEATHER, GET_TIME).build();
    }

    /** The messages with their opaque provider state left out, which a dialect cannot read back. */
    private static List<ChatMessage> withoutState(List<ChatMessage> messages) {
        List<ChatMessage> out = new ArrayList<>();
        for (ChatMessage m : messages) {
            out.add(m instanceof AssistantMessage a
                    ? new AssistantMessage(a.content(), a.reasoning(), a.toolCalls(), dev.alfred.llm.ProviderState.NONE) : m);
        }
        return out;
    }

    private void assumeSupports(Capabilities.Feature feature) {
        LlmProvider p = provider();
        assumeTrue(p.capabilities().supports(feature), () -> "provider does not support " + feature);
    }

    private static ChatDelta.ToolCallStart start(int index, String id, String name) {
        return new ChatDelta.ToolCallStart(index, id, name);
    }

    private static ChatDelta.ToolCallArguments args(int index, String fragment) {
        return new ChatDelta.ToolCallArguments(index, fragment);
    }

    private StreamRecording recordToolStream(LlmProvider p) {
        return withinBound(() -> StreamRecording.of(p.stream(toolRequest())));
    }

    /** Tools: tool calls streamed and whole, their ids, their status, and their replay. */
    @Nested
    @DisplayName("tools")
    protected class Tools {

        /**
         * Fails when the parts of a streamed tool call are lost, reordered, or end early, or when the
         * stream's finish reason is not {@code TOOL_CALLS}: text first, then start, each argument
         * fragment, and the end with the whole {@code COMPLETE} call only after the last fragment.
         */
        @Test
        @DisplayName("T1 a streamed tool call arrives as start, fragments and end, in order")
        void t1() {
            assumeSupports(Capabilities.Feature.TOOLS);
            ScriptedStream script = ScriptedStream.of(List.of(ChatDelta.text("Let me check."),
                    start(0, "get_weather_0", "get_weather"), args(0, "{\"city\""), args(0, ": \"Par"), args(0, "is\"}")))
                    .withFinishReason("tool_calls");
            server.enqueue(Reply.stream(script));
            StreamRecording rec = recordToolStream(provider());
            ChatResponse r = rec.assertCompleted();
            ToolCall call = new ToolCall("get_weather_0", "get_weather", "{\"city\": \"Paris\"}", ToolCall.Status.COMPLETE);
            assertEquals(List.of(ChatDelta.text("Let me check."), start(0, "get_weather_0", "get_weather"),
                    args(0, "{\"city\""), args(0, ": \"Par"), args(0, "is\"}"), new ChatDelta.ToolCallEnd(0, call)),
                    rec.deltas());
            assertEquals(List.of(call), r.toolCalls());
            assertEquals("Let me check.", r.content());
            assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
        }

        /**
         * Fails when a blocking call and a stream of the same answer give different tool calls: check
         * that both paths read {@code tool_calls} and fold them the same way.
         */
        @Test
        @DisplayName("T2 chat and the aggregated stream give the same tool calls")
        void t2() {
            assumeSupports(Capabilities.Feature.TOOLS);
            ScriptedStream script = ScriptedStream.ofToolCall("get_weather_0", "get_weather", "{\"city\":", "\"Oslo\"}");
            server.enqueue(Reply.chat(script)).enqueue(Reply.stream(script));
            LlmProvider p = provider();
            ChatResponse chat = withinBound(() -> p.chat(toolRequest()));
            ChatResponse streamed = recordToolStream(p).assertCompleted();
            assertEquals(script.toolCalls(), chat.toolCalls());
            assertEquals(chat.toolCalls(), streamed.toolCalls());
            assertEquals(FinishReason.TOOL_CALLS, chat.finishReason());
        }

        /**
         * Fails when a tool-call id is rewritten (a prefix added, characters replaced) on the way in or
         * out: ids must come back byte for byte and go back to the server unchanged.
         */
        @Test
        @DisplayName("T3 tool-call ids are kept byte for byte, in and out")
        void t3() {
            assumeSupports(Capabilities.Feature.TOOLS);
            String odd = "functions.get_weather:0";
            server.enqueue(Reply.stream(ScriptedStream.ofToolCall(odd, "get_weather", "{\"city\":\"Rome\"}")));
            server.enqueue(Reply.chat("Sunny."));
            LlmProvider p = provider();
            ChatResponse r = recordToolStream(p).assertCompleted();
            assertEquals(odd, r.toolCalls().get(0).id());
            server.takeRequest();
            ChatRequest next = toolRequest().toBuilder().message(ChatMessage.of(r))
                    .message(ChatMessage.toolResult(r.toolCalls().get(0), "{\"sky\":\"clear\"}")).build();
            withinBound(() -> p.chat(next));
            List<ChatMessage> sent = dialect().messages(server.takeRequest());
            assertEquals(odd, ((AssistantMessage) sent.get(1)).toolCalls().get(0).id());
            assertEquals(odd, ((ToolMessage) sent.get(2)).toolCallId());
        }

        /**
         * Fails when fragments of parallel calls that arrive interleaved are appended to the wrong call:
         * fragments belong to the call of their index.
         */
        @Test
        @DisplayName("T4 interleaved fragments of parallel calls never mix")
        void t4() {
            assumeSupports(Capabilities.Feature.TOOLS);
            ScriptedStream script = ScriptedStream.of(List.of(start(0, "call_a", "get_weather"), start(1, "call_b", "get_time"),
                    args(0, "{\"city\":"), args(1, "{\"city\":"), args(1, "\"Lima\"}"), args(0, "\"Kyiv\"}")))
                    .withFinishReason("tool_calls");
            server.enqueue(Reply.stream(script));
            ChatResponse r = recordToolStream(provider()).assertCompleted();
            assertEquals(List.of(new ToolCall("call_a", "get_weather", "{\"city\":\"Kyiv\"}", ToolCall.Status.COMPLETE),
                    new ToolCall("call_b", "get_time", "{\"city\":\"Lima\"}", ToolCall.Status.COMPLETE)), r.toolCalls());
        }

        /**
         * Fails when tool calls sent without an {@code index}, or whole in one delta, are lost or
         * merged: servers do both (openai-compatible.md, rule 7).
         */
        @ParameterizedTest(name = "T5 tool calls in shape {0} are read")
        @EnumSource(value = ScriptedStream.ToolShape.class, names = {"INDEXLESS", "WHOLE"})
        @DisplayName("T5 index-less and whole-in-one-delta tool calls are read")
        void t5(ScriptedStream.ToolShape shape) {
            assumeSupports(Capabilities.Feature.TOOLS);
            ScriptedStream script = ScriptedStream.of(List.of(start(0, "call_1", "get_weather"), args(0, "{\"city\":"),
                    args(0, "\"Nairobi\"}"), start(1, "call_2", "get_time"), args(1, "{\"city\":\"Quito\"}")))
                    .withFinishReason("tool_calls").withToolShape(shape);
            server.enqueue(Reply.stream(script));
            assertEquals(script.toolCalls(), recordToolStream(provider()).assertCompleted().toolCalls());
        }

        /**
         * Fails when a call cut off by the output limit is reported {@code COMPLETE} because its
         * arguments happen to parse: a {@code length} finish makes every open call {@code TRUNCATED}.
         */
        @Test
        @DisplayName("T6 a call cut by the length limit is TRUNCATED, never COMPLETE")
        void t6() {
            assumeSupports(Capabilities.Feature.TOOLS);
            server.enqueue(Reply.stream(ScriptedStream.ofToolCall("call_1", "get_weather", "{\"city\":\"Ber", "n\"}")
                    .withFinishReason("length")));
            ChatResponse r = recordToolStream(provider()).assertCompleted();
            assertEquals(FinishReason.LENGTH, r.finishReason());
            assertEquals(ToolCall.Status.TRUNCATED, r.toolCalls().get(0).status());
            assertEquals("{\"city\":\"Bern\"}", r.toolCalls().get(0).arguments());
        }

        /**
         * Fails when a stream lost in the middle of a call's arguments is taken as complete, or is
         * retried after the call began (its start is output the caller has seen): it must fail once
         * with a {@link StreamInterruptedException} whose partial response holds the call,
         * {@code TRUNCATED}.
         */
        @Test
        @DisplayName("T7 a stream cut mid-arguments fails once, keeping the call as TRUNCATED")
        void t7() {
            assumeSupports(Capabilities.Feature.TOOLS);
            server.setDefault(Reply.stream(ScriptedStream.ofToolCall("call_1", "get_weather", "{\"city\":", "\"Ha", "noi\"}")
                    .cutAfter(3)));
            StreamRecording rec = recordToolStream(provider());
            StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
            assertEquals(List.of(start(0, "call_1", "get_weather"), args(0, "{\"city\":"), args(0, "\"Ha")), rec.deltas());
            assertEquals(List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Ha", ToolCall.Status.TRUNCATED)),
                    e.partialResponse().toolCalls());
            assertEquals(1, server.requestCount(), "no retry after a tool call began");
        }

        /**
         * Fails when a call whose arguments are not JSON breaks the stream or is reported
         * {@code COMPLETE}: the stream completes and the call is {@code INVALID_JSON}, for the tool loop
         * to answer.
         */
        @Test
        @DisplayName("T8 arguments that are not JSON make the call INVALID_JSON; the stream completes")
        void t8() {
            assumeSupports(Capabilities.Feature.TOOLS);
            server.enqueue(Reply.stream(ScriptedStream.ofToolCall("call_1", "get_weather", "{\"city\": Paris}")));
            ChatResponse r = recordToolStream(provider()).assertCompleted();
            assertEquals(ToolCall.Status.INVALID_JSON, r.toolCalls().get(0).status());
            assertEquals("{\"city\": Paris}", r.toolCalls().get(0).arguments());
        }

        /**
         * Fails when arguments that are JSON but not an object (an array, a string, a number) are dropped
         * and the call comes back {@code COMPLETE} with {@code {}}: a tool loop would run the tool with
         * empty arguments. They must be kept verbatim and the call be {@code INVALID_JSON} (a blocking
         * call folds alike, which T2 holds); {@code {}} stands only for a call made with no arguments (issue 27:
         * Anthropic's string {@code input} and non-string {@code partial_json}).
         */
        @Test
        @DisplayName("T11 arguments that are JSON but not an object are kept and make the call INVALID_JSON")
        void t11() {
            assumeSupports(Capabilities.Feature.TOOLS);
            ScriptedStream script = ScriptedStream.ofToolCall("call_1", "get_weather", "[\"Par", "is\"]");
            server.enqueue(Reply.stream(script));
            assertEquals(List.of(new ToolCall("call_1", "get_weather", "[\"Paris\"]", ToolCall.Status.INVALID_JSON)),
                    recordToolStream(provider()).assertCompleted().toolCalls());
        }

        /**
         * Fails when replaying an answer loses its reasoning or tool calls, or a tool result loses its
         * call id or name: {@code ChatMessage.of(response)} and {@code toolResult} must reach the server
         * whole (thinking models reject a tool loop without the reasoning).
         */
        @Test
        @DisplayName("T9 a replayed answer sends back its reasoning and tool calls, and the results")
        void t9() {
            assumeSupports(Capabilities.Feature.TOOLS);
            List<ChatDelta> answer = new ArrayList<>();
            if (capabilities().contains(Capability.REASONING)) {
                answer.add(ChatDelta.reasoning("Need the weather.")); // a server that thinks wants it back
            }
            answer.add(start(0, "call_9", "get_weather"));
            answer.add(args(0, "{\"city\":\"Lagos\"}"));
            server.enqueue(Reply.stream(ScriptedStream.of(answer).withFinishReason("tool_calls")));
            server.enqueue(Reply.chat("Warm."));
            LlmProvider p = provider();
            ChatResponse r = recordToolStream(p).assertCompleted();
            server.takeRequest();
            ChatRequest next = toolRequest().toBuilder().message(ChatMessage.of(r))
                    .message(ChatMessage.toolResult(r.toolCalls().get(0), "{\"celsius\":31}")).build();
            assertEquals("Warm.", withinBound(() -> p.chat(next)).content());
            assertEquals(withoutState(next.messages()), dialect().messages(server.takeRequest()));
        }

        /**
         * Fails when the tools, the tool choice or the parallel-calls setting do not reach the server,
         * or are sent when unset.
         */
        @Test
        @DisplayName("T10 tools, tool choice and parallel calls are sent when set, and only then")
        void t10() {
            assumeSupports(Capabilities.Feature.TOOLS);
            server.enqueue(Reply.chat("a")).enqueue(Reply.chat("b"));
            LlmProvider p = provider();
            boolean parallel = p.capabilities().supports(Capabilities.Feature.PARALLEL_TOOL_CALLS);
            ChatRequest.Builder b = toolRequest().toBuilder().toolChoice(ToolChoice.tool("get_time"));
            withinBound(() -> p.chat((parallel ? b.parallelToolCalls(false) : b).build()));
            Map<String, String> set = dialect().options(server.takeRequest());
            assertEquals("get_weather,get_time", set.get("tools"));
            assertEquals("tool:get_time", set.get("toolChoice"));
            if (parallel) {
                assertEquals("false", set.get("parallelToolCalls"));
            }
            withinBound(() -> p.chat(ChatRequest.of("hi")));
            Map<String, String> unset = dialect().options(server.takeRequest());
            for (String option : List.of("tools", "toolChoice", "parallelToolCalls", "responseFormat")) {
                assertFalse(unset.containsKey(option), () -> option + " was sent though unset: " + unset);
            }
        }
    }

    /** Formats: JSON answers, images, and what a provider cannot do. */
    @Nested
    @DisplayName("formats")
    protected class Formats {

        /**
         * Fails when a JSON answer format does not reach the server, or the JSON answer does not come
         * back as the text.
         */
        @Test
        @DisplayName("J1 JSON object and JSON schema answers are asked for and come back as text")
        void j1() {
            assumeSupports(Capabilities.Feature.JSON_OBJECT);
            LlmProvider p = provider();
            server.enqueue(Reply.chat("{\"city\":\"Paris\"}"));
            ChatResponse r = withinBound(() -> p.chat(ChatRequest.builder().user("City as JSON")
                    .responseFormat(ResponseFormat.JSON_OBJECT).build()));
            assertEquals("{\"city\":\"Paris\"}", r.content());
            assertEquals("json_object", dialect().options(server.takeRequest()).get("responseFormat"));
            if (p.capabilities().supports(Capabilities.Feature.JSON_SCHEMA)) {
                server.enqueue(Reply.chat("{\"city\":\"Paris\"}"));
                withinBound(() -> p.chat(ChatRequest.builder().user("City as JSON")
                        .responseFormat(ResponseFormat.jsonSchema("place", CITY, true)).build()));
                assertEquals("json_schema:place", dialect().options(server.takeRequest()).get("responseFormat"));
            }
        }

        /**
         * Fails when an image part is dropped, altered, or sent as text: the server must get the same
         * bytes and media type.
         */
        @Test
        @DisplayName("I1 an image in a user message reaches the server intact")
        void i1() {
            assumeSupports(Capabilities.Feature.IMAGES);
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', (byte) 0xff, 0};
            ChatRequest req = ChatRequest.builder().user(ContentPart.text("What is in this picture?"),
                    ContentPart.image(png, "image/png")).build();
            server.enqueue(Reply.chat("A cat."));
            assertEquals("A cat.", withinBound(() -> provider().chat(req)).content());
            assertEquals(req.messages(), dialect().messages(server.takeRequest()));
        }

        /**
         * Fails when a request that needs something the provider says it cannot do is sent anyway (the
         * server's error is then confusing, or the feature silently ignored): it must be refused with an
         * {@link UnsupportedFeatureException} naming the feature, before any request goes out.
         */
        @Test
        @DisplayName("U1 a request needing what capabilities() lacks is refused before sending")
        void u1() {
            LlmProvider p = provider();
            Map<Capabilities.Feature, ChatRequest> needs = new java.util.EnumMap<>(Capabilities.Feature.class);
            needs.put(Capabilities.Feature.TOOLS, toolRequest());
            needs.put(Capabilities.Feature.BUILTIN_TOOLS, ChatRequest.builder().user("news?")
                    .tools(ToolDefinition.builtin("$web_search")).build());
            needs.put(Capabilities.Feature.JSON_OBJECT, ChatRequest.builder().user("x")
                    .responseFormat(ResponseFormat.JSON_OBJECT).build());
            needs.put(Capabilities.Feature.JSON_SCHEMA, ChatRequest.builder().user("x")
                    .responseFormat(ResponseFormat.jsonSchema("place", CITY, false)).build());
            needs.put(Capabilities.Feature.IMAGES, ChatRequest.builder().user(ContentPart.text("what?"),
                    ContentPart.image(new byte[] {1, 2, 3}, "image/png")).build());
            needs.put(Capabilities.Feature.IMAGE_URLS, ChatRequest.builder().user(ContentPart.text("what?"),
                    ContentPart.imageUrl(java.net.URI.create("https://example.com/cat.png"))).build());
            int checked = 0;
            for (Map.Entry<Capabilities.Feature, ChatRequest> need : needs.entrySet()) {
                if (p.capabilities().supports(need.getKey())) {
                    continue;
                }
                checked++;
                UnsupportedFeatureException chat = withinBound(() -> assertThrows(UnsupportedFeatureException.class,
                        () -> p.chat(need.getValue())));
                assertEquals(need.getKey(), chat.feature());
                UnsupportedFeatureException stream = withinBound(() -> assertThrows(UnsupportedFeatureException.class, () -> {
                    try (ChatStream s = p.stream(need.getValue())) { // refused by stream() or on the first read
                        s.response();
                    }
                }));
                assertEquals(need.getKey(), stream.feature());
            }
            assertEquals(0, server.requestCount(), "a refused request must not reach the server");
            assumeTrue(checked > 0, "the provider declares every feature the rule can check");
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
        /**
         * Fails when the server's {@code x-should-retry} header (OpenAI and Anthropic send it; the official
         * SDKs obey it) is ignored: a failure the server says not to retry must not be retryable, must carry
         * the directive ({@link LlmException#retryDirective()}), and must not be sent again by a retrying
         * decorator; one it says to retry must be retryable (a decorator then retries it, and succeeds).
         */
        @Test
        @DisplayName("E4 the server's x-should-retry decides whether a failure is retried")
        void e4() {
            LlmException no = chatFailure(Reply.error(503, dialect().errorTypeFor(503), "busy, and retrying will not help")
                    .withHeader("x-should-retry", "false"));
            assertEquals(Optional.of(false), no.retryDirective(), () -> "the directive is not on " + no);
            assertFalse(no.isRetryable(), () -> "the server said not to retry: " + no);
            assertEquals(1, server.requestCount(), "a failure the server said not to retry was sent again");
            server.enqueue(Reply.error(400, dialect().errorTypeFor(400), "try again").withHeader("x-should-retry", "true"));
            server.setDefault(Reply.chat("recovered"));
            try {
                ChatResponse r = withinBound(() -> provider().chat(request()));
                assertEquals("recovered", r.content(), "a retry the server asked for answers");
                assertEquals(3, server.requestCount(), "retried once, as the server asked");
            } catch (LlmException yes) {
                assertEquals(Optional.of(true), yes.retryDirective(), () -> "the directive is not on " + yes);
                assertTrue(yes.isRetryable(), () -> "the server said to retry: " + yes);
            }
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
            server.enqueue(Reply.stream(ScriptedStream.ofText("ok ").withRawEvent(dialect().malformedEvent())));
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
         * a typed error. The server holds the stream after its first delta; once the reader is blocked
         * waiting for more, the kit's clock moves past the idle timeout.
         */
        @Test
        @DisplayName("F4 a stalled stream ends with a typed error at the idle timeout")
        void f4() throws Exception {
            Gate stall = new Gate();
            server.enqueue(Reply.stream("a", "b", "c", "d", "e", "f").holdAfterDeltas(1, stall));
            LlmProvider p = provider();
            BackgroundRead read = new BackgroundRead(() -> p.stream(request()));
            stall.awaitReached(hangBound());
            read.awaitFirstDelta();
            awaitBlocked(read.thread);
            clock.advance(past(IDLE_TIMEOUT));
            StreamRecording rec = read.awaitEnd("a stream silent past its idle timeout");
            assertNotNull(rec.failure(), "a stream silent past its " + IDLE_TIMEOUT.toMillis() + " ms idle timeout must fail");
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
                    dialect().errorEvent(dialect().errorTypeFor(500), "Stream failed"))));
            StreamRecording rec = recordStream(provider());
            StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
            assertEquals("part", e.partialContent());
            assertTrue(e.getCause().getMessage().contains("Stream failed"), e.getCause().getMessage());
        }

        /**
         * Fails when a server that never sends its response head is waited on for ever. The server holds
         * the head; once it has the request and the reader is blocked, the kit's clock moves past the
         * headers timeout.
         */
        @Test
        @DisplayName("F6 a response head that never comes is a typed error")
        void f6() throws Exception {
            Gate head = new Gate();
            server.enqueue(Reply.stream("late").holdHead(head));
            LlmProvider p = provider();
            BackgroundRead read = new BackgroundRead(() -> p.stream(request()));
            head.awaitReached(hangBound());
            awaitBlocked(read.thread);
            clock.advance(past(headersTimeout()));
            read.awaitEnd("a response head that never comes").assertFailed(ProviderUnavailableException.class);
        }
    }

    /** Cancellation: close frees everything. */
    @Nested
    @DisplayName("cancellation")
    protected class Cancellation {

        /**
         * Fails when closing streams early leaks connections or threads: after many early closes a new
         * call must still work, and the live threads must not grow with the number of streams (counted
         * over the second half, once pools that grow lazily up to a bound have filled).
         */
        @Test
        @SeesTheWholeJvm
        @DisplayName("X1 fifty streams closed early free their connections and leave no thread behind")
        void x1() {
            LlmProvider p = provider(Duration.ofSeconds(30));
            server.enqueue(Reply.stream("warm", "up"));
            recordStream(p).assertCompleted();
            // The first half fills whatever pools grow lazily up to their bound; the second half shows a leak.
            int half = earlyCloses() / 2;
            closeEarly(p, half);
            Set<Thread> before = Threads.live();
            closeEarly(p, earlyCloses() - half);
            server.enqueue(Reply.chat("still fine"));
            assertEquals("still fine", withinBound(() -> p.chat(request())).content());
            Duration grace = hangBound().compareTo(THREAD_GRACE) < 0 ? hangBound() : THREAD_GRACE;
            Set<Thread> grown = Threads.newSince(before, grace, 2);
            assertTrue(grown.size() <= 2, () -> "threads grew with early-closed streams: " + grown);
        }

        /**
         * Fails when close() from another thread does not wake a reader blocked on a silent stream: a
         * bot must be able to cancel from outside. The server holds the stream after its first delta
         * until the test ends, and the kit's clock stands still, so nothing but the close can release
         * the reader.
         */
        @Test
        @DisplayName("X2 close from another thread releases a blocked reader with a typed error")
        void x2() throws Exception {
            LlmProvider p = provider(Duration.ofSeconds(60));
            Gate stall = new Gate();
            server.enqueue(Reply.stream("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
                    .holdAfterDeltas(1, stall));
            ChatStream s = p.stream(request());
            BackgroundRead read = new BackgroundRead(() -> s);
            read.awaitFirstDelta();
            // Close only once the reader is blocked waiting for the held rest: a reader still handing
            // out deltas it already has would see the close without any help from abort().
            awaitBlocked(read.thread);
            s.close();
            read.thread.join(hangBound().toMillis());
            assertFalse(read.thread.isAlive(), "close from another thread released the blocked reader");
            assertNull(read.thrown, () -> "the reader failed untyped: " + read.thrown);
            assertNotNull(read.recording.failure(), "the stream completed though it was closed");
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

    /** Opens streams that the server holds after their first delta, and closes each there. */
    private void closeEarly(LlmProvider p, int streams) {
        for (int i = 0; i < streams; i++) {
            Gate rest = new Gate();
            server.enqueue(Reply.stream("a", "b", "c", "d", "e").holdAfterDeltas(1, rest));
            withinBound(() -> {
                try (ChatStream s = p.stream(request())) {
                    assertTrue(s.iterator().hasNext());
                    s.iterator().next();
                }
                return null;
            });
            rest.release(); // the server's writer meets the closed connection and ends
        }
    }

    /** How long X1 gives threads that are ending to end, at most. */
    private static final Duration THREAD_GRACE = Duration.ofSeconds(5);

    /** A little past a timeout, for the kit's clock to move to. */
    private static Duration past(Duration timeout) {
        return timeout.plusSeconds(1);
    }

    /**
     * Waits until a thread is blocked: parked or waiting, or in a native call (a blocking socket read
     * on a platform thread shows as running), and still so, in the same place, on three looks in a row,
     * so that a passing wait on the way is not taken for it. Within the hang bound.
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
            assertTrue(System.nanoTime() < deadline, () -> "the reader never blocked: " + t.getState());
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    /**
     * A stream read to its end on a thread of its own, so a rule can act while the reader waits: it
     * records the deltas and the outcome, and says when the first delta came.
     */
    private final class BackgroundRead {
        final Thread thread;
        /** Counted down at the first delta, or at the end of a stream that had none. */
        private final CountDownLatch firstDeltaOrEnd = new CountDownLatch(1);
        private volatile boolean deltaSeen;
        volatile StreamRecording recording;
        volatile Throwable thrown;

        BackgroundRead(Supplier<ChatStream> open) {
            thread = new Thread(() -> {
                try {
                    recording = StreamRecording.of(open.get(), d -> {
                        deltaSeen = true;
                        firstDeltaOrEnd.countDown();
                    });
                } catch (Throwable t) {
                    thrown = t;
                } finally {
                    firstDeltaOrEnd.countDown();
                }
            }, "contract-reader");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitFirstDelta() throws InterruptedException {
            boolean arrived = firstDeltaOrEnd.await(hangBound().toNanos(), TimeUnit.NANOSECONDS);
            assertNull(thrown, () -> "the reader failed untyped: " + thrown);
            assertTrue(arrived, () -> "no first delta arrived within " + hangBound());
            assertTrue(deltaSeen, () -> "the stream ended before its first delta: " + recording);
        }

        StreamRecording awaitEnd(String what) throws InterruptedException {
            thread.join(hangBound().toMillis());
            assertFalse(thread.isAlive(), () -> "the provider hung: " + what + " was waited on past " + hangBound());
            assertNull(thrown, () -> "the reader failed untyped: " + thrown);
            return recording;
        }
    }

    /** Token counting: {@link LlmProvider#tokenCounter()}. */
    @Nested
    @DisplayName("token counting")
    protected class Counting {

        private final ChatRequest shorter = ChatRequest.builder().system("Be brief.").user("Say hello").build();
        /** The same with two more turns, ending on the same last message. */
        private final ChatRequest longer = ChatRequest.builder().system("Be brief.").user("Say hello")
                .assistant("Hello! What would you like to talk about today?").user("Say hello").build();

        /**
         * Fails when a count is not positive, or does not grow when turns are added before the last message:
         * the count must cover the whole request (system, history, tools), not the last message alone.
         */
        @Test
        @DisplayName("N1 a count is positive and grows when the history grows")
        void n1() {
            TokenCounter counter = provider().tokenCounter();
            TokenCount small = withinBound(() -> counter.count(shorter));
            TokenCount large = withinBound(() -> counter.count(longer));
            assertTrue(small.tokens() > 0, () -> "a count of " + small);
            assertTrue(large.tokens() > small.tokens(), () -> "two more turns counted " + large + " against " + small);
        }

        /**
         * Fails when a count's kind is not what made it: {@code SERVER} exactly when the counter asked the
         * server, a local tokenizer or estimate otherwise.
         */
        @Test
        @DisplayName("N2 a count states its kind truthfully")
        void n2() {
            TokenCounter counter = provider().tokenCounter();
            int before = server.requestCount();
            TokenCount count = withinBound(() -> counter.count(shorter));
            boolean asked = server.requestCount() > before;
            assertEquals(asked, count.kind() == TokenCount.Kind.SERVER, () -> count
                    + (asked ? " though the server was asked" : " though the server was not asked"));
        }

        /**
         * Fails when a failed server count is not a typed exception: a 429 of the count endpoint must be a
         * {@link RateLimitException}, never an untyped failure or a count made up instead.
         */
        @Test
        @DisplayName("N3 a server count's error is typed")
        void n3() {
            TokenCounter counter = provider().tokenCounter();
            TokenCount first = withinBound(() -> counter.count(shorter));
            assumeTrue(first.kind() == TokenCount.Kind.SERVER, "the provider counts without its server");
            // every attempt answers 429, as in the chat rules, so that a retrying provider ends with it too
            server.setDefault(Reply.error(429, dialect().errorTypeFor(429), "Rate limit reached for requests"));
            Throwable e = withinBound(() -> assertThrows(Throwable.class, () -> counter.count(shorter)));
            assertInstanceOf(RateLimitException.class, e, e.toString());
        }
    }

    /** The model catalogue: {@link LlmProvider#models()}. */
    @Nested
    @DisplayName("models")
    protected class Models {

        /**
         * Fails when the catalogue misses a model the server lists (the default model is listed 25th, past
         * the first page of a paginated list), or drops the context window the server reports for it.
         */
        @Test
        @DisplayName("M1 the catalogue lists every model the server lists, the default among them, with the server's window")
        void m1() {
            LlmProvider p = provider();
            String defaultModel = p.endpoint().defaultModel() != null ? p.endpoint().defaultModel() : ScriptedStream.DEFAULT_MODEL;
            List<ModelInfo> listed = new ArrayList<>();
            for (int i = 1; i <= 24; i++) {
                listed.add(new ModelInfo("kit-model-" + i, "Kit model " + i, 8_192 * i, 4_096, Set.of(),
                        ModelInfo.Origin.SERVER, null));
            }
            listed.add(new ModelInfo(defaultModel, "The default", 131_072, 16_384, Set.of(), ModelInfo.Origin.SERVER, null));
            server.setModels(listed);
            List<ModelInfo> models;
            try {
                models = withinBound(p::models);
            } catch (UnsupportedFeatureException none) {
                assumeTrue(false, "the provider has no model catalogue");
                return;
            }
            List<String> ids = models.stream().map(ModelInfo::id).toList();
            assertTrue(ids.containsAll(listed.stream().map(ModelInfo::id).toList()), () -> "the catalogue lists " + ids);
            ModelInfo found = models.stream().filter(m -> m.id().equals(defaultModel)).findFirst().orElseThrow();
            if (dialect().modelsReportWindows()) {
                assertEquals(131_072, found.contextWindow(), () -> "the window the server reports for " + found);
            }
            for (ModelInfo m : models) {
                assertTrue(m.contextWindow() == null || m.origin() != ModelInfo.Origin.UNKNOWN,
                        () -> m + " has a window of unknown origin");
            }
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
                            .withHeader("x-trace-id", "trace-" + API_KEY)
                            .withHeader(dialect().requestIdHeader() != null ? dialect().requestIdHeader() : "x-trace-id",
                                    "trace-" + API_KEY));
                    LlmException e = withinBound(() -> assertThrows(LlmException.class, () -> p.chat(request())));
                    assertNoKeyInChain(e);
                }
                server.enqueue(Reply.stream(ScriptedStream.ofText("x").withRawEvent(
                        dialect().errorEvent(dialect().errorTypeFor(500), "bad key " + API_KEY))));
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
            assertTrue(CapturedLogs.isActive(), "K3 reads the log lines: opt in to the testkit's log capture with -D"
                    + CapturedLogs.PROVIDER_PROPERTY + "=" + CapturedLogs.PROVIDER_CLASS + " (see CapturedLogs)");
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
