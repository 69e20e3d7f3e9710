package dev.alfred.llm.testkit;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.ContextWindowExceededException;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.Usage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-process scripted provider: the script vocabulary of the fake server served without a wire, the
 * contract kit's rules that apply to it (C1, S1–S4, T1, T2, T6, T7, E1–E4, F1–F3, F5, X2, X3, U1), the
 * typed failures as the real providers throw them, and the record of what it received.
 */
class ScriptedProviderTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private final ScriptedProvider llm = ScriptedProvider.create();

    private static ChatRequest ask(String text) {
        return ChatRequest.of(text);
    }

    @Test
    void chatReturnsTheContentModelUsageAndFinishReasonOfItsScript() {
        Usage usage = new Usage(3, 2, 5, 0, 0, 0);
        llm.enqueue(Reply.chat(ScriptedStream.ofText("Par", "is").withModel("m-1")
                .withUsage(usage, ScriptedStream.UsagePlacement.FINISH)));
        ChatResponse r = llm.chat(ask("capital of France?"));
        assertEquals("Paris", r.content());
        assertEquals("m-1", r.model());
        assertEquals(usage, r.usage());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals("stop", r.rawFinishReason());
    }

    @Test
    void aStreamHandsOutTheDeltasInOrderAndAddsUpToWhatChatAnswers() {
        List<ChatDelta> deltas = List.of(ChatDelta.reasoning("think"), ChatDelta.text("Hel"), ChatDelta.text("lo"));
        llm.enqueue(Reply.stream(ScriptedStream.of(deltas))).enqueue(Reply.chat(ScriptedStream.of(deltas)));
        StreamRecording rec = StreamRecording.of(llm.stream(ask("hi")));
        assertEquals(deltas, rec.deltas());
        ChatResponse streamed = rec.assertCompleted();
        ChatResponse whole = llm.chat(ask("hi"));
        assertEquals("Hello", streamed.content());
        assertEquals("think", streamed.reasoning(), "reasoning is reasoning, not text");
        assertEquals(whole, streamed, "a Reply.chat streams and a Reply.stream answers chat alike");
        assertEquals(ScriptedStream.DEFAULT_USAGE, streamed.usage(), "the usage counts once");
    }

    @Test
    void aScriptWithoutUsageReportsNone() {
        llm.enqueue(Reply.chat(ScriptedStream.ofText("x").withUsage(ScriptedStream.DEFAULT_USAGE,
                ScriptedStream.UsagePlacement.NONE)));
        assertNull(llm.chat(ask("x")).usage());
    }

    @Test
    void aRefusalIsARefusal() {
        llm.enqueue(Reply.stream(ScriptedStream.ofRefusal("I can't ", "help with that")));
        ChatResponse r = llm.chat(ask("x"));
        assertTrue(r.isRefusal());
        assertEquals("I can't help with that", r.refusal());
        assertEquals(FinishReason.REFUSAL, r.finishReason());
    }

    @Test
    void aStreamedToolCallArrivesAsStartFragmentsAndEndAndChatGivesTheSameCall() {
        ScriptedStream call = ScriptedStream.ofToolCall("call_Ab9", "weather", "{\"city\":", "\"Paris\"}");
        llm.enqueue(Reply.stream(call)).enqueue(Reply.chat(call));
        StreamRecording rec = StreamRecording.of(llm.stream(ask("weather?")));
        assertEquals(4, rec.deltas().size(), rec.deltas().toString());
        assertInstanceOf(ChatDelta.ToolCallStart.class, rec.deltas().get(0));
        ChatDelta.ToolCallEnd end = assertInstanceOf(ChatDelta.ToolCallEnd.class, rec.deltas().get(3));
        ToolCall expected = new ToolCall("call_Ab9", "weather", "{\"city\":\"Paris\"}", ToolCall.Status.COMPLETE);
        assertEquals(expected, end.call());
        assertEquals(List.of(expected), rec.assertCompleted().toolCalls());
        assertEquals(List.of(expected), llm.chat(ask("weather?")).toolCalls());
        assertEquals(FinishReason.TOOL_CALLS, rec.response().finishReason());
    }

    @Test
    void aCallCutByTheLengthLimitIsTruncatedAndArgumentsThatAreNotJsonInvalid() {
        llm.enqueue(Reply.chat(ScriptedStream.ofToolCall("c1", "f", "{\"a\":").withFinishReason("length")))
                .enqueue(Reply.chat(ScriptedStream.ofToolCall("c2", "f", "not json")));
        assertEquals(ToolCall.Status.TRUNCATED, llm.chat(ask("x")).toolCalls().get(0).status());
        assertEquals(ToolCall.Status.INVALID_JSON, llm.chat(ask("x")).toolCalls().get(0).status());
    }

    @Test
    void aStreamCutAfterSomeDeltasFailsOnceKeepingWhatCame() {
        llm.enqueue(Reply.stream(ScriptedStream.ofText("Hello, ", "wor", "ld").cutAfter(2)));
        StreamRecording rec = StreamRecording.of(llm.stream(ask("x")));
        StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
        assertEquals("Hello, wor", e.partialContent());
        assertInstanceOf(ProviderUnavailableException.class, e.getCause());
        assertTrue(e.getCause().isRetryable());
    }

    @Test
    void aStreamWithoutItsEndMarkerIsTruncatedNotComplete() {
        llm.enqueue(Reply.stream(ScriptedStream.ofText("Hello, ", "wor").withoutDone()))
                .enqueue(Reply.chat(ScriptedStream.ofText("cut").withoutDone()));
        StreamInterruptedException e = StreamRecording.of(llm.stream(ask("x"))).assertFailed(StreamInterruptedException.class);
        assertEquals("Hello, wor", e.partialContent());
        assertTrue(e.getCause().getMessage().contains("end marker"), e.getCause().getMessage());
        assertThrows(StreamInterruptedException.class, () -> llm.chat(ask("x")), "chat of a cut answer fails too");
    }

    @Test
    void aStreamCutBeforeItsFirstDeltaFailsUnwrapped() {
        llm.enqueue(Reply.stream(ScriptedStream.ofText("a").cutAfter(0)));
        StreamRecording rec = StreamRecording.of(llm.stream(ask("x")));
        rec.assertFailed(ProviderUnavailableException.class);
        assertTrue(rec.deltas().isEmpty());
    }

    @ParameterizedTest(name = "HTTP {0} {1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "400, invalid_request_error, -, InvalidRequestException, false",
            "400, invalid_request_error, 'This model''s maximum context length is 8192 tokens', ContextWindowExceededException, false",
            "401, authentication_error, -, AuthenticationException, false",
            "403, permission_error, -, AuthenticationException, false",
            "402, -, -, QuotaExceededException, false",
            "404, not_found_error, -, InvalidRequestException, false",
            "408, -, -, ProviderUnavailableException, true",
            "429, rate_limit_exceeded, -, RateLimitException, true",
            "429, insufficient_quota, -, QuotaExceededException, false",
            "429, exceeded_current_quota_error, -, QuotaExceededException, false",
            "429, -, 'You exceeded your current quota, please check your plan', QuotaExceededException, false",
            "400, invalid_request_error, 'Your credit balance is too low to access the API', QuotaExceededException, false",
            "403, -, -, AuthenticationException, false",
            "500, server_error, -, ProviderUnavailableException, true",
            "502, -, -, ProviderUnavailableException, true",
            "503, -, -, ProviderUnavailableException, true",
            "529, overloaded_error, -, RateLimitException, true",
    })
    void anErrorIsTheTypedExceptionTheRealProvidersThrowInChatAndInStream(int status, String type, String message,
                                                                           String expected, boolean retryable) {
        String text = message == null ? "scripted failure " + status : message;
        llm.setDefault(Reply.error(status, type, text));
        for (boolean stream : new boolean[] {false, true}) {
            LlmException e = stream ? StreamRecording.of(llm.stream(ask("x"))).failure()
                    : assertThrows(LlmException.class, () -> llm.chat(ask("x")));
            assertEquals(expected, e.getClass().getSimpleName(), () -> (stream ? "stream: " : "chat: ") + e);
            assertEquals(retryable, e.isRetryable(), e::toString);
            assertEquals(status, e.httpStatus().orElse(-1));
            assertEquals(Optional.ofNullable(type), e.errorType());
            assertTrue(e.getMessage().startsWith("scripted: HTTP " + status), e.getMessage());
            assertTrue(e.getMessage().contains(text), e.getMessage());
            assertEquals(Optional.of("scripted"), e.providerId());
        }
    }

    @Test
    void aRateLimitCarriesRetryAfterTheServersDirectiveAndTheRequestId() {
        llm.enqueue(Reply.error(429, "rate_limit_exceeded", "slow down").withHeader("Retry-After", "7")
                        .withHeader("X-Request-Id", "req_42"))
                .enqueue(Reply.error(503, "server_error", "busy").withHeader("x-should-retry", "false"))
                .enqueue(Reply.error(400, "invalid_request_error", "try again").withHeader("x-should-retry", "true"));
        RateLimitException limit = assertThrows(RateLimitException.class, () -> llm.chat(ask("x")));
        assertEquals(Optional.of(Duration.ofSeconds(7)), limit.retryAfter());
        assertEquals(Optional.of("req_42"), limit.traceId());
        assertTrue(limit.getMessage().contains("req_42"), limit.getMessage());
        LlmException no = assertThrows(ProviderUnavailableException.class, () -> llm.chat(ask("x")));
        assertEquals(Optional.of(false), no.retryDirective());
        assertFalse(no.isRetryable());
        LlmException yes = assertThrows(InvalidRequestException.class, () -> llm.chat(ask("x")));
        assertEquals(Optional.of(true), yes.retryDirective());
        assertTrue(yes.isRetryable());
    }

    @Test
    void aRawBodyIsMappedByItsStatusAndA200ThatIsNoAnswerIsMalformed() {
        llm.enqueue(Reply.raw(502, "text/html", "<html><h1>502 Bad Gateway</h1></html>"))
                .enqueue(Reply.raw(401, "application/json", "{\"error\":{\"code\":\"invalid_api_key\",\"message\":\"bad key\"}}"))
                .enqueue(Reply.raw(200, "text/html", "<html>login</html>"));
        LlmException gateway = assertThrows(ProviderUnavailableException.class, () -> llm.chat(ask("x")));
        assertTrue(gateway.getMessage().contains("502") && gateway.getMessage().contains("non-JSON body"), gateway.getMessage());
        LlmException auth = assertThrows(AuthenticationException.class, () -> llm.chat(ask("x")));
        assertEquals(Optional.of("invalid_api_key"), auth.errorType());
        assertTrue(auth.getMessage().contains("bad key"), auth.getMessage());
        assertThrows(MalformedResponseException.class, () -> llm.chat(ask("x")));
    }

    @Test
    void faultsAreTypedAsTheHttpProvidersTypeThem() {
        for (Reply.Fault f : List.of(Reply.Fault.CONNECTION_RESET, Reply.Fault.EMPTY_REPLY)) {
            llm.setDefault(Reply.fault(f));
            assertTrue(assertThrows(ProviderUnavailableException.class, () -> llm.chat(ask("x"))).isRetryable());
            StreamRecording.of(llm.stream(ask("x"))).assertFailed(ProviderUnavailableException.class);
        }
        for (Reply.Fault f : List.of(Reply.Fault.MALFORMED_CHUNK, Reply.Fault.RANDOM_DATA)) {
            llm.setDefault(Reply.fault(f));
            assertFalse(assertThrows(MalformedResponseException.class, () -> llm.chat(ask("x"))).isRetryable());
        }
    }

    @Test
    void aRawEventIsAnErrorEventWhenItCarriesAnErrorAndAMalformedChunkOtherwise() {
        llm.enqueue(Reply.stream(ScriptedStream.ofText("part", "never").withRawEventAt(1,
                        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")))
                .enqueue(Reply.stream(ScriptedStream.ofText("ok ").withRawEvent("{not json")))
                .enqueue(Reply.stream(ScriptedStream.ofText("a").withRawEventAt(0,
                        "{\"error\":{\"code\":\"insufficient_quota\",\"message\":\"pay\"}}")));
        StreamInterruptedException overloaded = StreamRecording.of(llm.stream(ask("x")))
                .assertFailed(StreamInterruptedException.class);
        assertEquals("part", overloaded.partialContent());
        assertInstanceOf(RateLimitException.class, overloaded.getCause());
        assertTrue(overloaded.getCause().getMessage().contains("Overloaded"), overloaded.getCause().getMessage());
        StreamInterruptedException malformed = StreamRecording.of(llm.stream(ask("x")))
                .assertFailed(StreamInterruptedException.class);
        assertEquals("ok ", malformed.partialContent());
        assertInstanceOf(MalformedResponseException.class, malformed.getCause());
        StreamRecording.of(llm.stream(ask("x"))).assertFailed(QuotaExceededException.class);
    }

    @Test
    void everyRequestIsRecordedInOrderWithHowItCame() {
        llm.setDefault(Reply.chat("ok"));
        ChatRequest first = ask("one");
        ChatRequest second = ask("two");
        llm.chat(first);
        StreamRecording.of(llm.stream(second));
        assertEquals(2, llm.requestCount());
        assertEquals(new ScriptedProvider.Received(first, false), llm.takeRequest());
        assertEquals(new ScriptedProvider.Received(second, true), llm.takeRequest());
        assertThrows(AssertionError.class, llm::takeRequest);
        assertEquals(2, llm.requests().size(), "requests() keeps the taken ones");
    }

    @Test
    void anEmptyScriptAnswersWithAnErrorThatSaysSo() {
        LlmException e = assertThrows(ProviderUnavailableException.class, () -> llm.chat(ask("x")));
        assertTrue(e.getMessage().contains("no reply was enqueued"), e.getMessage());
    }

    @Test
    void aRequestNeedingWhatTheCapabilitiesLackIsRefusedBeforeItIsRecorded() {
        ScriptedProvider textOnly = ScriptedProvider.create("text-only", Capabilities.TEXT_ONLY);
        ChatRequest withTools = ChatRequest.builder().user("x")
                .tools(List.of(ToolDefinition.function("f", "does f", dev.alfred.llm.JsonSchema.of("{\"type\":\"object\"}")))).build();
        assertThrows(UnsupportedFeatureException.class, () -> textOnly.chat(withTools));
        assertEquals(0, textOnly.requestCount());
        assertEquals("text-only", textOnly.id());
        assertThrows(IllegalArgumentException.class, () -> ScriptedProvider.create(" ", Capabilities.TEXT_ONLY));
    }

    @Test
    void whatExistsOnlyOnAWireOrAClockIsRefusedWhenEnqueued() {
        List<Reply> wireOnly = List.of(Reply.recorded(200, java.util.Map.of(), List.of()),
                Reply.chat("x").afterDelay(Duration.ofMillis(5)), Reply.chat("x").holdAfter(3, new Gate()),
                Reply.stallingStream(Duration.ofMillis(5), "a", "b"), Reply.stream(ScriptedStream.ofText("a").cutAtByte(3)));
        for (Reply r : wireOnly) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> llm.enqueue(r));
            assertTrue(e.getMessage().contains("FakeServer"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> llm.setDefault(r));
        }
    }

    @Test
    void aHeldStreamWaitsAtItsGateUntilReleased() throws Exception {
        Gate afterFirst = new Gate();
        llm.enqueue(Reply.stream("a", "b").holdAfterDeltas(1, afterFirst));
        ChatStream s = llm.stream(ask("x"));
        assertEquals(ChatDelta.text("a"), s.iterator().next());
        assertFalse(afterFirst.isReached(), "the first delta is out before the hold");
        AtomicReference<StreamRecording> rest = new AtomicReference<>();
        Thread reader = new Thread(() -> rest.set(StreamRecording.of(s)));
        reader.start();
        afterFirst.awaitReached(BOUND);
        afterFirst.release();
        reader.join(BOUND.toMillis());
        assertEquals("b", rest.get().text());
        assertEquals("ab", rest.get().assertCompleted().content());
    }

    @Test
    void closeFromAnotherThreadReleasesAReaderHeldAtAGateWithATypedError() throws Exception {
        Gate never = new Gate();
        llm.enqueue(Reply.stream("first", "second").holdAfterDeltas(1, never));
        ChatStream s = llm.stream(ask("x"));
        AtomicReference<StreamRecording> rec = new AtomicReference<>();
        Thread reader = new Thread(() -> rec.set(StreamRecording.of(s)));
        reader.start();
        never.awaitReached(BOUND);
        s.close();
        reader.join(BOUND.toMillis());
        assertFalse(reader.isAlive(), "close released the held reader");
        assertEquals("first", rec.get().text());
        assertTrue(rec.get().failure() != null, "a closed stream does not complete");
        assertFalse(never.isReleased(), "the stream's close does not open the test's gate");
    }

    @Test
    void closingTheProviderReleasesAHeldHeadAndLaterCallsFail() throws Exception {
        Gate head = new Gate();
        llm.enqueue(Reply.chat("late").holdHead(head));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> thrown.set(assertThrows(LlmException.class, () -> llm.chat(ask("x")))));
        caller.start();
        head.awaitReached(BOUND);
        llm.close();
        caller.join(BOUND.toMillis());
        assertFalse(caller.isAlive());
        assertTrue(head.isReleased(), "close releases every gate it was given");
        assertTrue(thrown.get().getMessage().contains("closed"), thrown.get().getMessage());
        LlmException later = assertThrows(LlmException.class, () -> llm.chat(ask("x")));
        assertTrue(later.getMessage().contains("provider is closed"), later.getMessage());
        Gate afterClose = new Gate();
        llm.enqueue(Reply.chat("x").holdHead(afterClose));
        assertTrue(afterClose.isReleased(), "a gate given to a closed provider is released at once");
        llm.close();
    }

    @Test
    void aStreamClosedBeforeReadingFailsAndTheNextCallStillWorks() {
        llm.setDefault(Reply.stream("next"));
        ChatStream s = llm.stream(ask("x"));
        s.close();
        assertThrows(LlmException.class, () -> s.iterator().hasNext());
        assertThrows(LlmException.class, s::response);
        assertEquals("next", StreamRecording.of(llm.stream(ask("x"))).assertCompleted().content());
    }

    @Test
    void manyThreadsAtOnceEachGetOneReplyInArrivalOrderAndNoThreadIsStarted() throws Exception {
        int n = 64;
        for (int i = 0; i < n; i++) {
            llm.enqueue(Reply.chat("answer " + i));
        }
        Set<Thread> before = Threads.live();
        Set<String> answers = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                answers.add(llm.chat(ask("q")).content());
            });
            callers.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : callers) {
            t.join(BOUND.toMillis());
        }
        assertEquals(n, answers.size(), "every reply served once");
        assertEquals(n, llm.requestCount());
        callers.forEach(before::add);
        assertTrue(Threads.newSince(before, Duration.ZERO, 0).isEmpty(), "the provider starts no thread");
    }

    @Test
    void toStringNamesTheProviderAndItsScript() {
        llm.enqueue(Reply.chat("x"));
        assertEquals("ScriptedProvider{scripted, 1 replies queued, 0 received}", llm.toString());
    }
}
