package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.observe.CallOutcome;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.AbstractChatStream;
import dev.alfred.llm.testkit.CapturedLogs;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The listener on plain objects and a fake ticker, recorded by the real SDK: exact metric values,
 * message content off and on, tool spans, the two naming generations, and listeners that throw.
 */
class GenAiListenerTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong();
    private InMemoryTelemetry telemetry;

    @BeforeEach
    void start() {
        telemetry = new InMemoryTelemetry();
        CapturedLogs.clear();
    }

    @AfterEach
    void stop() {
        telemetry.close();
    }

    /** Streams the given parts; the first comes 100 ms after the start, each next one 20 ms later, the end 20 ms after. */
    private final class Scripted implements LlmProvider {
        final List<ChatDelta> parts;
        final Usage usage;

        Scripted(Usage usage, ChatDelta... parts) {
            this.parts = List.of(parts);
            this.usage = usage;
        }

        @Override
        public String id() {
            return "anthropic";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            try (ChatStream s = stream(request)) {
                return s.response();
            }
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            Deque<ChatDelta> left = new ArrayDeque<>(parts);
            return new AbstractChatStream("anthropic") {
                boolean first = true;

                @Override
                protected ChatDelta fetch() {
                    now.addAndGet(first ? 100 * MS : 20 * MS);
                    first = false;
                    if (left.isEmpty()) {
                        reportModel("claude-x");
                        reportResponseId("msg_1");
                        reportUsage(usage);
                        reportFinishReason(left.isEmpty() && parts.stream().anyMatch(p -> p instanceof ChatDelta.ToolCallStart)
                                ? FinishReason.TOOL_CALLS : FinishReason.STOP);
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

    private LlmProvider observed(LlmProvider p, GenAiListener listener, LlmListener... others) {
        List<LlmListener> all = new java.util.ArrayList<>(List.of(others));
        all.add(0, listener);
        return LlmListener.attach(p, all, now::get);
    }

    private GenAiListener.Builder listener() {
        return GenAiListener.builder(telemetry.openTelemetry());
    }

    @Test
    void theMetricsCarryTheExactTimesOfTheStream() {
        LlmProvider p = observed(new Scripted(new Usage(7, 5, 12, 0, 0, 0), ChatDelta.text("a"), ChatDelta.text("b"),
                ChatDelta.text("c")), listener().build());
        try (ChatStream s = p.stream(ChatRequest.of("hi"))) {
            s.response();
        }
        // first part at 100 ms, then 120, 140; the end at 160 ms
        telemetry.collect();
        assertEquals(0.16, telemetry.onlyPoint("gen_ai.client.operation.duration").getSum(), 1e-9);
        assertEquals(0.1, telemetry.onlyPoint("gen_ai.client.operation.time_to_first_chunk").getSum(), 1e-9);
        HistogramPointData perChunk = telemetry.onlyPoint("gen_ai.client.operation.time_per_output_chunk");
        assertEquals(2, perChunk.getCount(), "once per chunk after the first (item 6)");
        assertEquals(0.04, perChunk.getSum(), 1e-9, "120 - 100 ms, then 140 - 120 ms");
        assertEquals(0.1, telemetry.onlySpan().getAttributes()
                .get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")), 1e-9);
        assertEquals("anthropic", telemetry.onlySpan().getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")));
        SpanData span = telemetry.onlySpan();
        assertEquals(160 * MS, span.getEndEpochNanos() - span.getStartEpochNanos(), "the span lasts the call");
    }

    @Test
    void theSpanIsAChildOfTheSpanCurrentWhenTheCallStarted() {
        Tracer app = telemetry.openTelemetry().getTracer("app");
        Span handling = app.spanBuilder("handle message").startSpan();
        ChatStream s;
        LlmProvider p = observed(new Scripted(Usage.of(1, 1, 2), ChatDelta.text("a")), listener().build());
        try (Scope ignored = handling.makeCurrent()) {
            s = p.stream(ChatRequest.of("hi"));
        }
        s.response(); // read outside the scope: the parent is the one current at the start
        s.close();
        handling.end();
        SpanData chat = telemetry.finishedSpans().stream().filter(d -> d.getName().startsWith("chat")).findFirst()
                .orElseThrow();
        assertEquals(handling.getSpanContext().getSpanId(), chat.getParentSpanId());
        assertEquals(handling.getSpanContext().getTraceId(), chat.getTraceId());
    }

    @Test
    void aWholeChatHasNoStreamingMetrics() {
        observed(new Scripted(Usage.of(1, 1, 2), ChatDelta.text("a")), listener().build()).chat(ChatRequest.of("hi"));
        telemetry.collect();
        assertEquals(List.of("gen_ai.client.operation.duration", "gen_ai.client.token.usage"),
                List.copyOf(telemetry.metricNames()));
        assertNull(telemetry.onlySpan().getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")));
    }

    @Test
    void messageContentIsRecordedOnlyWhenAskedAsTheConventionsJson() {
        ChatRequest request = ChatRequest.builder()
                .system("Be \"brief\".")
                .user("weather?\n")
                .message(new dev.alfred.llm.AssistantMessage("", "thinking", List.of(new ToolCall("call_1", "get_weather",
                        "{\"city\":\"Paris\"}", ToolCall.Status.COMPLETE)), ProviderState.NONE))
                .message(ChatMessage.toolResult(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}",
                        ToolCall.Status.COMPLETE), "sunny"))
                .message(ChatMessage.user(new ContentPart.Text("and this?"),
                        new ContentPart.ImageBytes(new byte[] {1, 2, 3}, "image/png")))
                .build();
        Scripted provider = new Scripted(Usage.of(1, 1, 2), ChatDelta.text("Sunny."));
        observed(provider, listener().build()).chat(request);
        assertNull(telemetry.onlySpan().getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")));
        telemetry.spans.reset();

        observed(provider, listener().fromEnvironment(Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT",
                "TRUE")).build()).chat(request);
        SpanData span = telemetry.onlySpan();
        assertEquals("[{\"type\":\"text\",\"content\":\"Be \\\"brief\\\".\"}]",
                span.getAttributes().get(AttributeKey.stringKey("gen_ai.system_instructions")));
        assertEquals("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"weather?\\n\"}]},"
                + "{\"role\":\"assistant\",\"parts\":[{\"type\":\"reasoning\",\"content\":\"thinking\"},"
                + "{\"type\":\"tool_call\",\"id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}]},"
                + "{\"role\":\"tool\",\"parts\":[{\"type\":\"tool_call_response\",\"id\":\"call_1\",\"response\":\"sunny\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"and this?\"},"
                + "{\"type\":\"blob\",\"modality\":\"image\",\"mime_type\":\"image/png\",\"content\":\"AQID\"}]}]",
                span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")),
                "a blob carries its bytes in base64, with the rest of the opted-in content (item 11)");
        assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"Sunny.\"}],"
                + "\"finish_reason\":\"stop\"}]", span.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")));
    }

    @Test
    void aSecretInAnImageUrlIsMaskedInTheRecordedContent() {
        ChatRequest request = ChatRequest.builder().message(ChatMessage.user(new ContentPart.Text("this?"),
                new ContentPart.ImageUrl(java.net.URI.create("https://blob.example/cat.png?sv=1&sig=S3cr3tSignature")))).build();
        observed(new Scripted(Usage.of(1, 1, 2), ChatDelta.text("A cat.")), listener().fromEnvironment(
                Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")).build()).chat(request);
        String input = telemetry.onlySpan().getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages"));
        assertFalse(input.contains("S3cr3tSignature"), input);
        assertTrue(input.contains("https://blob.example/cat.png?sv=1&sig=****"), input);
    }

    @Test
    void theCacheWriteAttributeIsNamedAfterTheGeneration() {
        Usage usage = new Usage(10, 4, 14, 2, 3, 1);
        observed(new Scripted(usage, ChatDelta.text("a")), listener().build()).chat(ChatRequest.of("hi"));
        SpanData v1 = telemetry.onlySpan();
        assertEquals(3L, v1.getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens")));
        assertNull(v1.getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_write.input_tokens")));
        assertEquals(1L, v1.getAttributes().get(AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens")));
        telemetry.spans.reset();
        observed(new Scripted(usage, ChatDelta.text("a")), listener().conventions(GenAiConventions.LATEST_EXPERIMENTAL)
                .build()).chat(ChatRequest.of("hi"));
        SpanData latest = telemetry.onlySpan();
        assertEquals(3L, latest.getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_write.input_tokens")));
        assertNull(latest.getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens")));
        telemetry.collect();
        assertEquals(2, telemetry.counter("gen_ai.client.inference.usage.cache_read.input_tokens").get(0).getValue());
        assertEquals(3, telemetry.counter("gen_ai.client.inference.usage.cache_write.input_tokens").get(0).getValue());
        assertEquals(1, telemetry.counter("gen_ai.client.inference.usage.reasoning.output_tokens").get(0).getValue());
    }

    @Test
    void aThrowingListenerBesideItBreaksNothingAndIsLoggedOnce() {
        LlmListener throwing = new LlmListener() {
            @Override
            public void onEnd(LlmCall call, CallOutcome outcome) {
                throw new IllegalStateException("listener bug");
            }
        };
        LlmProvider p = observed(new Scripted(Usage.of(1, 1, 2), ChatDelta.text("a")), listener().build(), throwing);
        assertEquals("a", p.chat(ChatRequest.of("one")).content());
        assertEquals("a", p.chat(ChatRequest.of("two")).content());
        assertEquals(2, telemetry.finishedSpans().size());
        List<CapturedLogs.Line> warnings = CapturedLogs.lines().stream()
                .filter(l -> l.level().equals("WARN") && l.message().contains("LlmListener")).toList();
        assertEquals(1, warnings.size(), CapturedLogs.lines().toString());
        assertTrue(warnings.get(0).message().contains("threw in onEnd"), warnings.get(0).message());
        assertTrue(warnings.get(0).text().contains("listener bug"), warnings.get(0).text());
        assertEquals(1, CapturedLogs.lines().stream().filter(l -> l.level().equals("DEBUG")
                && l.message().contains("LlmListener")).count(), "the second failure at debug level");
    }

    @Test
    void aToolRunIsAnInternalSpanAndUnderTheLatestNamesADuration() {
        LlmProvider p = observed(new Scripted(Usage.of(1, 1, 2)), listener()
                .conventions(GenAiConventions.LATEST_EXPERIMENTAL).build());
        p.listener().onToolExecuted(new ToolExecution("clock", "call_9", Duration.ofMillis(250),
                new IllegalStateException("no clock")));
        SpanData span = telemetry.onlySpan();
        assertEquals("execute_tool clock", span.getName());
        assertEquals(SpanKind.INTERNAL, span.getKind());
        assertEquals("call_9", span.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.id")));
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals(250 * MS, span.getEndEpochNanos() - span.getStartEpochNanos());
        telemetry.collect();
        HistogramPointData d = telemetry.onlyPoint("gen_ai.execute_tool.duration");
        assertEquals(0.25, d.getSum(), 1e-9);
        assertEquals(IllegalStateException.class.getName(), d.getAttributes().get(AttributeKey.stringKey("error.type")));
    }

    @Test
    void anOpenTelemetryInstalledLaterIsUsedFromTheNextCallOn() {
        AtomicReference<OpenTelemetry> global = new AtomicReference<>(OpenTelemetry.noop());
        LlmProvider p = observed(new Scripted(Usage.of(1, 1, 2), ChatDelta.text("a")),
                GenAiListener.builder(global::get).build());
        p.chat(ChatRequest.of("before"));
        assertEquals(0, telemetry.finishedSpans().size());
        global.set(telemetry.openTelemetry());
        p.chat(ChatRequest.of("after"));
        assertEquals(1, telemetry.finishedSpans().size());
    }

    @Test
    void theDecoratorFixesTheGlobalInstanceOnlyWhenAutoconfigureIsAskedFor() {
        java.util.Properties none = new java.util.Properties();
        assertFalse(OpenTelemetryDecorator.autoconfigureRequested(Map.of(), none));
        assertTrue(OpenTelemetryDecorator.autoconfigureRequested(Map.of("OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED", "TRUE"),
                none));
        java.util.Properties off = new java.util.Properties();
        off.setProperty("otel.java.global-autoconfigure.enabled", "false");
        assertFalse(OpenTelemetryDecorator.autoconfigureRequested(Map.of("OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED", "true"),
                off), "the property wins");
        io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
        try {
            OpenTelemetryDecorator.global(false).get();
            assertFalse(io.opentelemetry.api.GlobalOpenTelemetry.isSet(), "an application can still install its SDK");
            OpenTelemetryDecorator.global(true).get(); // no autoconfigure module here: get() settles on the no-op
            assertTrue(io.opentelemetry.api.GlobalOpenTelemetry.isSet());
        } finally {
            io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
        }
    }

    @Test
    void theEnvironmentChoosesTheGenerationAndTheContent() {
        assertSame(GenAiConventions.V1_41, GenAiConventions.from(Map.of()));
        assertSame(GenAiConventions.V1_41, GenAiConventions.from(Map.of("OTEL_SEMCONV_STABILITY_OPT_IN", "http,database")));
        assertSame(GenAiConventions.V1_41, GenAiConventions.from(Map.of("OTEL_SEMCONV_STABILITY_OPT_IN",
                "gen_ai_latest_experimental_not")));
        assertSame(GenAiConventions.LATEST_EXPERIMENTAL, GenAiConventions.from(Map.of("OTEL_SEMCONV_STABILITY_OPT_IN",
                "database , gen_ai_latest_experimental")));
        assertSame(GenAiConventions.LATEST_EXPERIMENTAL, GenAiConventions.from(Map.of("otel.semconv-stability.opt-in",
                "gen_ai_latest_experimental")));
        assertSame(GenAiConventions.V1_41, GenAiConventions.from(Map.of("OTEL_SEMCONV_STABILITY_OPT_IN", "http",
                "otel.semconv-stability.opt-in", "gen_ai_latest_experimental")), "the variable wins over the property");
        assertFalse(listener().fromEnvironment(Map.of()).build().capturesMessageContent());
        assertFalse(listener().fromEnvironment(Map.of("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "yes"))
                .build().capturesMessageContent());
        assertTrue(listener().fromEnvironment(Map.of("otel.instrumentation.genai.capture-message-content", " true"))
                .build().capturesMessageContent());
    }
}
