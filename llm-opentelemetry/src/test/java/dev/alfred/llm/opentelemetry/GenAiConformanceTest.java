package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.Usage;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.spi.AbstractChatStream;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24, item by item, with the real SDK's in-memory exporters: each test names the item it shows.
 * Calls go to a scripted provider on a fake ticker (10 ms to the first part, 20 ms between parts); the
 * provider notes which span is current wherever it works, as an instrumented HTTP client would see it.
 */
class GenAiConformanceTest {

    private static final long MS = 1_000_000L;
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<List<String>> FINISH = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    private static final AttributeKey<String> INPUT = AttributeKey.stringKey("gen_ai.input.messages");
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system_instructions");
    private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    private static final AttributeKey<String> MODALITY = AttributeKey.stringKey("gen_ai.token.modality");

    private final AtomicLong now = new AtomicLong();
    private InMemoryTelemetry telemetry;

    @BeforeEach
    void start() {
        telemetry = new InMemoryTelemetry();
    }

    @AfterEach
    void stop() {
        telemetry.close();
    }

    /** How a scripted stream ends after its parts. */
    enum End { COMPLETE, CUT, FAIL_AT_START }

    /** A provider that streams the given parts, noting the current span in {@code stream} and in each read. */
    private final class Scripted implements LlmProvider {
        final String id;
        final ProviderEndpoint endpoint;
        final List<ChatDelta> parts;
        final End end;
        final List<SpanContext> seen = new ArrayList<>();

        Scripted(String id, ProviderEndpoint endpoint, End end, ChatDelta... parts) {
            this.id = id;
            this.endpoint = endpoint;
            this.end = end;
            this.parts = List.of(parts);
        }

        Scripted(ChatDelta... parts) {
            this("kimi", ProviderEndpoint.UNKNOWN, End.COMPLETE, parts);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ProviderEndpoint endpoint() {
            return endpoint;
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            seen.add(Span.current().getSpanContext());
            if (end == End.FAIL_AT_START) {
                throw new LlmException("refused at https://api.example/v1?key=sk-abcdefghijklmnop1234", null);
            }
            try (ChatStream s = open()) {
                return s.response();
            }
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            seen.add(Span.current().getSpanContext());
            if (end == End.FAIL_AT_START) {
                throw new LlmException("refused", null);
            }
            return open();
        }

        private ChatStream open() {
            Deque<ChatDelta> left = new ArrayDeque<>(parts);
            return new AbstractChatStream(id) {
                boolean first = true;

                @Override
                protected ChatDelta fetch() {
                    seen.add(Span.current().getSpanContext());
                    now.addAndGet(first ? 10 * MS : 20 * MS);
                    first = false;
                    if (left.isEmpty()) {
                        if (end == End.CUT) {
                            throw new LlmException("the connection broke", null);
                        }
                        reportModel("m-1");
                        reportUsage(new Usage(5, 3, 8, 0, 0, 0));
                        reportFinishReason(FinishReason.STOP);
                        return null;
                    }
                    return left.removeFirst();
                }

                @Override
                protected void abort() {
                }
            };
        }
    }

    private LlmProvider observed(LlmProvider p, GenAiListener listener) {
        return LlmListener.attach(p, List.of(listener), now::get);
    }

    private GenAiListener.Builder listener() {
        return GenAiListener.builder(telemetry.openTelemetry());
    }

    private GenAiListener latest() {
        return listener().conventions(GenAiConventions.LATEST_EXPERIMENTAL).build();
    }

    private SpanData chatSpan() {
        return telemetry.finishedSpans().stream().filter(s -> s.getName().startsWith("chat")).findFirst()
                .orElseThrow(() -> new AssertionError("no chat span in " + telemetry.finishedSpans()));
    }

    // ---- item 1: the span is current while the request is sent and the stream read ----

    @Test
    void item1TheSpanIsCurrentWhereTheStreamIsOpenedAndSentAndNowhereElse() {
        Scripted provider = new Scripted(ChatDelta.text("a"), ChatDelta.text("b"));
        ChatStream s = observed(provider, listener().build()).stream(ChatRequest.of("hi"));
        assertFalse(Span.current().getSpanContext().isValid(), "not current on the caller's thread between reads");
        for (ChatDelta ignored : s) {
            assertFalse(Span.current().getSpanContext().isValid());
        }
        s.close();
        SpanData chat = chatSpan();
        assertEquals(4, provider.seen.size(), "stream() and three reads: " + provider.seen);
        assertEquals(chat.getSpanContext(), provider.seen.get(0), "the GenAI span, started at the call's start, is current");
        assertEquals(chat.getSpanContext(), provider.seen.get(1), "and on the read that sends the request");
        assertFalse(provider.seen.get(2).isValid(), "after the first part nothing is sent and nothing switched");
        assertFalse(provider.seen.get(3).isValid());
    }

    @Test
    void item1TheSpanIsCurrentWhileAWholeChatIsSent() {
        Scripted provider = new Scripted(ChatDelta.text("a"));
        observed(provider, listener().build()).chat(ChatRequest.of("hi"));
        assertEquals(chatSpan().getSpanContext(), provider.seen.get(0));
        assertEquals(10 * MS + 20 * MS, chatSpan().getEndEpochNanos() - chatSpan().getStartEpochNanos(),
                "started at the call's start, ended at its end");
    }

    // ---- item 2: abandoned streams end their span and metrics ----

    @Test
    void item2AStreamNobodyHoldsEndsItsCallAsAbandonedOnce() {
        readOnePartAndLetGo(observed(new Scripted(ChatDelta.text("a"), ChatDelta.text("b")), listener().build()));
        for (int i = 0; i < 1000 && telemetry.finishedSpans().isEmpty(); i++) {
            System.gc(); // the state waited for: the cleaner ended the call
            Thread.onSpinWait();
        }
        SpanData span = telemetry.onlySpan();
        assertEquals("abandoned", span.getAttributes().get(ERROR_TYPE));
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals(10 * MS, span.getEndEpochNanos() - span.getStartEpochNanos(), "timed to its last part");
        telemetry.collect();
        HistogramPointData duration = telemetry.onlyPoint("gen_ai.client.operation.duration");
        assertEquals(1, duration.getCount());
        assertEquals("abandoned", duration.getAttributes().get(ERROR_TYPE));
    }

    private static void readOnePartAndLetGo(LlmProvider p) {
        ChatStream s = p.stream(ChatRequest.of("hi"));
        s.iterator().next();
    }

    // ---- item 3: chatAsync and publisher keep the caller's context ----

    @Test
    void item3ChatAsyncAndPublisherCallsAreChildrenOfTheCallersSpan() throws Exception {
        LlmProvider p = observed(new Scripted(ChatDelta.text("a")), listener().build());
        Span handling = telemetry.openTelemetry().getTracer("app").spanBuilder("handle").startSpan();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch done = new CountDownLatch(1);
            try (Scope ignored = handling.makeCurrent()) {
                p.chatAsync(ChatRequest.of("async"), pool).get(5, TimeUnit.SECONDS);
                p.publisher(ChatRequest.of("published"), pool).subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        s.request(Long.MAX_VALUE);
                    }

                    @Override
                    public void onNext(ChatDelta item) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onComplete() {
                        done.countDown();
                    }
                });
            }
            assertTrue(done.await(5, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        handling.end();
        List<SpanData> chats = telemetry.finishedSpans().stream().filter(s -> s.getName().startsWith("chat")).toList();
        assertEquals(2, chats.size());
        for (SpanData chat : chats) {
            assertEquals(handling.getSpanContext().getSpanId(), chat.getParentSpanId(), chat.getName());
            assertEquals(handling.getSpanContext().getTraceId(), chat.getTraceId());
        }
    }

    // ---- item 4: a cancel is no error, in spans and metrics alike ----

    @Test
    void item4ACancelledStreamIsNoErrorInTheSpanNorInTheMetrics() {
        for (GenAiListener l : List.of(listener().build(), latest())) {
            telemetry.spans.reset();
            try (ChatStream s = observed(new Scripted(ChatDelta.text("a"), ChatDelta.text("b")), l)
                    .stream(ChatRequest.of("hi"))) {
                s.iterator().next();
            }
            SpanData span = telemetry.onlySpan();
            assertNull(span.getAttributes().get(ERROR_TYPE), l.toString());
            assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        }
        telemetry.collect();
        for (String name : List.of("gen_ai.client.operation.duration", "gen_ai.client.inference.duration")) {
            assertNull(telemetry.onlyPoint(name).getAttributes().get(ERROR_TYPE), name);
        }
        assertEquals(List.of("error"), telemetry.onlySpan().getAttributes().get(FINISH),
                "latest: a generation that did not end has the finish reason error");
    }

    // ---- item 5: the provider name of an OpenAI-compatible dialect ----

    @Test
    void item5TheProviderNameIsTheDialectsWellKnownValue() {
        Map<String, String> expected = Map.of("azure", "azure.ai.openai", "deepseek", "deepseek", "groq", "groq",
                "mistral", "mistral_ai");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            telemetry.spans.reset();
            ProviderEndpoint endpoint = new ProviderEndpoint(URI.create("https://api.example"), "m")
                    .withDialect(e.getKey());
            observed(new Scripted("openai", endpoint, End.COMPLETE, ChatDelta.text("a")), listener().build())
                    .chat(ChatRequest.of("hi"));
            assertEquals(e.getValue(), telemetry.onlySpan().getAttributes().get(PROVIDER), e.getKey());
        }
        telemetry.collect();
        assertEquals(4, telemetry.histogram("gen_ai.client.operation.duration").size(), "one series per provider name");
        telemetry.spans.reset();
        observed(new Scripted("openai", ProviderEndpoint.UNKNOWN, End.COMPLETE, ChatDelta.text("a")), listener().build())
                .chat(ChatRequest.of("hi"));
        assertEquals("openai", telemetry.onlySpan().getAttributes().get(PROVIDER), "no dialect: the id");
    }

    // ---- item 6: time per output chunk, once per chunk after the first ----

    @Test
    void item6TimePerOutputChunkIsRecordedForEachChunkAfterTheFirst() {
        observed(new Scripted(ChatDelta.text("a"), ChatDelta.text("b"), ChatDelta.text("c"), ChatDelta.text("d")),
                listener().build()).stream(ChatRequest.of("hi")).response();
        telemetry.collect();
        HistogramPointData perChunk = telemetry.onlyPoint("gen_ai.client.operation.time_per_output_chunk");
        assertEquals(3, perChunk.getCount());
        assertEquals(0.06, perChunk.getSum(), 1e-9);
        assertEquals(0.02, perChunk.getMin(), 1e-9);
        assertEquals(0.02, perChunk.getMax(), 1e-9);
    }

    // ---- item 7: the latest names' usage and finish reasons ----

    @Test
    void item7LatestUsageCountersCarryTheModalityAndACallWithoutUsageRecordsZeroUnknown() {
        GenAiListener l = latest();
        observed(new Scripted(ChatDelta.text("a")), l).chat(ChatRequest.of("hi"));
        assertThrows(LlmException.class, () -> observed(new Scripted("kimi", ProviderEndpoint.UNKNOWN,
                End.FAIL_AT_START), l).chat(ChatRequest.of("hi")));
        telemetry.collect();
        List<LongPointData> input = telemetry.counter("gen_ai.client.inference.usage.input_tokens");
        assertEquals(2, input.size(), input.toString());
        for (LongPointData point : input) {
            String modality = point.getAttributes().get(MODALITY);
            assertEquals("text".equals(modality) ? 5 : 0, point.getValue(), modality);
            assertTrue(modality.equals("text") || modality.equals("unknown"), modality);
            assertNull(point.getAttributes().get(ERROR_TYPE), "the counters have no error.type");
        }
        List<LongPointData> output = telemetry.counter("gen_ai.client.inference.usage.output_tokens");
        assertEquals(2, output.size());
        List<HistogramPointData> perOperation = telemetry.histogram("gen_ai.client.inference.operation.input_tokens");
        assertEquals(2, perOperation.size());
        assertTrue(perOperation.stream().anyMatch(p -> LlmException.class.getName().equals(p.getAttributes()
                .get(ERROR_TYPE)) && p.getSum() == 0), "the failed call's zero, with its error.type: " + perOperation);
        assertEquals(2, telemetry.histogram("gen_ai.client.inference.operation.output_tokens").size());
    }

    @Test
    void item7LatestFailedAndCutCallsHaveTheFinishReasonErrorAndTheV141OnesNone() {
        for (GenAiListener l : List.of(latest(), listener().build())) {
            telemetry.spans.reset();
            assertThrows(LlmException.class, () -> observed(new Scripted("kimi", ProviderEndpoint.UNKNOWN, End.CUT,
                    ChatDelta.text("a")), l).stream(ChatRequest.of("hi")).response());
            List<String> finish = telemetry.onlySpan().getAttributes().get(FINISH);
            assertEquals(l.conventions() == GenAiConventions.LATEST_EXPERIMENTAL ? List.of("error") : null, finish,
                    l.toString());
        }
        telemetry.spans.reset();
        observed(new Scripted(ChatDelta.text("a")), latest()).chat(ChatRequest.of("hi"));
        assertEquals(List.of("stop"), telemetry.onlySpan().getAttributes().get(FINISH), "a completed call's own");
    }

    // ---- item 8: system messages where they were sent ----

    @Test
    void item8SystemMessagesStayInTheHistoryInOrderUnlessTheProviderTakesThemApart() {
        ChatRequest request = ChatRequest.builder().system("Be brief.").user("one").assistant("1").system("Now French.")
                .user("two").build();
        GenAiListener content = listener().captureMessageContent(true).build();
        observed(new Scripted(ChatDelta.text("a")), content).chat(request);
        SpanData kimi = telemetry.onlySpan();
        assertNull(kimi.getAttributes().get(SYSTEM), "Kimi takes them in the history");
        assertEquals("[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Be brief.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"one\"}]},"
                + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"1\"}]},"
                + "{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":\"Now French.\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"two\"}]}]",
                kimi.getAttributes().get(INPUT));
        telemetry.spans.reset();
        observed(new Scripted("anthropic", ProviderEndpoint.UNKNOWN, End.COMPLETE, ChatDelta.text("a")), content)
                .chat(request);
        SpanData anthropic = telemetry.onlySpan();
        assertTrue(anthropic.getAttributes().get(SYSTEM).contains("Be brief."), "Anthropic takes them apart");
        assertFalse(anthropic.getAttributes().get(INPUT).contains("\"system\""));
    }

    // ---- item 9: gen_ai.request.stream only when streaming ----

    @Test
    void item9RequestStreamIsSetOnlyOnStreamedCalls() {
        LlmProvider p = observed(new Scripted(ChatDelta.text("a")), listener().build());
        p.chat(ChatRequest.of("hi"));
        assertNull(telemetry.onlySpan().getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")));
        telemetry.spans.reset();
        p.stream(ChatRequest.of("hi")).response();
        assertEquals(true, telemetry.onlySpan().getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")));
    }

    // ---- item 10: exceptions as log records ----

    @Test
    void item10AFailureIsALogRecordInTheSpansContextScrubbedAndTheSpanEventOnlyUntilLogsOnly() {
        LlmProvider failing = new Scripted("kimi", ProviderEndpoint.UNKNOWN, End.FAIL_AT_START);
        assertThrows(LlmException.class, () -> observed(failing, listener().build()).chat(ChatRequest.of("hi")));
        SpanData span = telemetry.onlySpan();
        LogRecordData log = telemetry.logRecords().get(0);
        assertEquals(1, telemetry.logRecords().size());
        assertEquals("gen_ai.client.operation.exception", log.getEventName());
        assertEquals(span.getSpanContext(), log.getSpanContext(), "in the span's context");
        assertEquals(LlmException.class.getName(), log.getAttributes().get(AttributeKey.stringKey("exception.type")));
        String message = log.getAttributes().get(AttributeKey.stringKey("exception.message"));
        assertTrue(message.startsWith("refused at https://api.example/v1?key=****"), message);
        assertFalse(log.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")).contains("abcdefghijklmnop"));
        assertFalse(span.getStatus().getDescription().contains("abcdefghijklmnop"), span.getStatus().getDescription());
        assertEquals(1, span.getEvents().stream().filter(e -> e.getName().equals("exception")).count(),
                "the span event too, by default, as the conventions ask of an instrumentation that had it");

        telemetry.spans.reset();
        GenAiListener logsOnly = listener().fromEnvironment(Map.of("OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN", "logs")).build();
        assertFalse(logsOnly.recordsExceptionSpanEvents());
        assertThrows(LlmException.class, () -> observed(failing, logsOnly).chat(ChatRequest.of("hi")));
        assertTrue(telemetry.onlySpan().getEvents().isEmpty(), "logs only");
        assertEquals(2, telemetry.logRecords().size());
        assertTrue(listener().fromEnvironment(Map.of("OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN", "logs/dup")).build()
                .recordsExceptionSpanEvents());
        assertFalse(listener().fromEnvironment(Map.of("otel.semconv.exception.signal.opt-in", " LOGS ")).build()
                .recordsExceptionSpanEvents());
    }

    // ---- item 11: blob parts carry their content ----

    @Test
    void item11AnImageBlobPartCarriesItsBytesInBase64() {
        ChatRequest request = ChatRequest.builder().message(ChatMessage.user(new ContentPart.Text("this?"),
                new ContentPart.ImageBytes(new byte[] {(byte) 0xff, 0, 1}, "image/jpeg"))).build();
        observed(new Scripted(ChatDelta.text("a")), listener().captureMessageContent(true).build()).chat(request);
        assertTrue(telemetry.onlySpan().getAttributes().get(INPUT).contains(
                "{\"type\":\"blob\",\"modality\":\"image\",\"mime_type\":\"image/jpeg\",\"content\":\"/wAB\"}"),
                telemetry.onlySpan().getAttributes().get(INPUT));
    }

    // ---- item 12: execute_tool spans ----

    @Test
    void item12AToolSpanHasItsTypeAndItsArgumentsAndResultOnlyWithContent() {
        ToolExecution ran = new ToolExecution("clock", "call_1", Duration.ofMillis(5), null, "{\"tz\":\"UTC\"}", "12:00");
        for (boolean content : new boolean[] {false, true}) {
            telemetry.spans.reset();
            observed(new Scripted(), listener().captureMessageContent(content).build()).listener().onToolExecuted(ran);
            Attributes a = telemetry.onlySpan().getAttributes();
            assertEquals("function", a.get(AttributeKey.stringKey("gen_ai.tool.type")));
            assertEquals("execute_tool", a.get(AttributeKey.stringKey("gen_ai.operation.name")));
            assertEquals(content ? "{\"tz\":\"UTC\"}" : null, a.get(AttributeKey.stringKey("gen_ai.tool.call.arguments")));
            assertEquals(content ? "12:00" : null, a.get(AttributeKey.stringKey("gen_ai.tool.call.result")));
        }
    }

    // ---- item 13: the scope's version and schema URL ----

    @Test
    void item13TheScopeHasAVersionAndTheSchemaOfItsGeneration() {
        observed(new Scripted(ChatDelta.text("a")), listener().build()).chat(ChatRequest.of("hi"));
        observed(new Scripted(ChatDelta.text("a")), latest()).chat(ChatRequest.of("hi"));
        List<SpanData> spans = telemetry.finishedSpans();
        assertEquals("dev.alfred.llm.opentelemetry", spans.get(0).getInstrumentationScopeInfo().getName());
        assertNotNull(GenAiListener.VERSION, "filled in by the build");
        assertEquals(GenAiListener.VERSION, spans.get(0).getInstrumentationScopeInfo().getVersion());
        assertTrue(GenAiListener.VERSION.matches("\\d+\\.\\d+\\.\\d+.*"), GenAiListener.VERSION);
        assertEquals("https://opentelemetry.io/schemas/1.41.0", spans.get(0).getInstrumentationScopeInfo().getSchemaUrl());
        assertEquals("https://opentelemetry.io/schemas/1.44.0", spans.get(1).getInstrumentationScopeInfo().getSchemaUrl());
        telemetry.collect();
        assertEquals("https://opentelemetry.io/schemas/1.41.0", telemetry.metric("gen_ai.client.operation.duration")
                .getInstrumentationScopeInfo().getSchemaUrl());
        assertEquals(GenAiListener.VERSION, telemetry.metric("gen_ai.client.inference.duration")
                .getInstrumentationScopeInfo().getVersion());
    }

    // ---- item 14: a tool's failure is scrubbed ----

    @Test
    void item14AToolsExceptionMessageReachesTheSpanScrubbed() {
        IllegalStateException thrown = new IllegalStateException(
                "GET https://maps.example/geo?city=Paris&api_key=AIzaSyTopSecret123456 failed with sk-proj-abcdefghij12");
        observed(new Scripted(), listener().build()).listener()
                .onToolExecuted(new ToolExecution("geo", "call_2", Duration.ofMillis(1), thrown));
        SpanData span = telemetry.onlySpan();
        String status = span.getStatus().getDescription();
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertFalse(status.contains("TopSecret"), status);
        assertFalse(status.contains("abcdefghij12"), status);
        assertTrue(status.contains("api_key=****"), status);
        assertFalse(span.toString().contains("TopSecret"), "nowhere on the span");
        assertEquals(IllegalStateException.class.getName(), span.getAttributes().get(ERROR_TYPE));
    }

    // ---- every end once ----

    @Test
    void aStreamReadToItsEndThenClosedAndCollectedEndsOnce() {
        ChatStream s = observed(new Scripted(ChatDelta.text("a")), listener().build()).stream(ChatRequest.of("hi"));
        s.response();
        s.close();
        s.close();
        assertEquals(1, telemetry.finishedSpans().size());
        assertEquals(1, telemetry.collect().onlyPoint("gen_ai.client.operation.duration").getCount());
    }

    @Test
    void aCutStreamFailsWithItsPartialAnswerOnce() {
        ChatStream s = observed(new Scripted("kimi", ProviderEndpoint.UNKNOWN, End.CUT, ChatDelta.text("a")),
                listener().build()).stream(ChatRequest.of("hi"));
        LlmException e = assertThrows(LlmException.class, s::response);
        s.close();
        assertNotNull(e);
        SpanData span = telemetry.onlySpan();
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertTrue(span.getAttributes().get(ERROR_TYPE).endsWith("Exception"), span.getAttributes().toString());
        assertEquals(1, telemetry.collect().onlyPoint("gen_ai.client.operation.duration").getCount());
        assertFalse(e instanceof StreamInterruptedException && ((StreamInterruptedException) e).partialResponse() == null);
    }
}
