package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.Usage;
import dev.alfred.llm.observe.AgentRun;
import dev.alfred.llm.observe.CallOutcome;
import dev.alfred.llm.observe.ListenerContext;
import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.RunListener;
import dev.alfred.llm.observe.RunOutcome;
import dev.alfred.llm.opentelemetry.internal.GenAiMetrics;
import dev.alfred.llm.opentelemetry.internal.GenAiNames;
import dev.alfred.llm.opentelemetry.internal.GenAiTelemetry;
import dev.alfred.llm.opentelemetry.internal.MessageContent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run span, the call span's edges, the content JSON and the listener's settings, one detail each, on
 * the real SDK: what the conformance tests do not single out.
 */
class GenAiDetailsTest {

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");

    private InMemoryTelemetry telemetry;

    @BeforeEach
    void start() {
        telemetry = new InMemoryTelemetry();
    }

    @AfterEach
    void stop() {
        telemetry.close();
    }

    private GenAiListener.Builder listener() {
        return GenAiListener.builder(telemetry.openTelemetry());
    }

    private static AgentRun run(String name, String provider, ChatRequest request) {
        return new AgentRun(name, provider, new ProviderEndpoint(null, "k3"), request);
    }

    @Test
    void aRunSpanNamesItsAgentAndItsProviderOnlyUnderV141() {
        RunListener v1 = listener().build().onRunStart(run("helper", "kimi", ChatRequest.of("hi")));
        v1.onEnd(new RunOutcome.Cancelled(Usage.ZERO));
        SpanData span = telemetry.onlySpan();
        assertEquals("invoke_agent helper", span.getName());
        assertEquals("helper", span.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name")));
        assertEquals("moonshot_ai", span.getAttributes().get(PROVIDER));
        assertEquals("k3", span.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")));
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode(), "a cancelled run is no error");
        telemetry.spans.reset();
        listener().conventions(GenAiConventions.LATEST_EXPERIMENTAL).build()
                .onRunStart(run(null, "kimi", ChatRequest.builder().user("hi").build())).onEnd(new RunOutcome.Cancelled(Usage.ZERO));
        SpanData latest = telemetry.onlySpan();
        assertEquals("invoke_agent", latest.getName());
        assertNull(latest.getAttributes().get(PROVIDER), "removed from the agent span since v1.41");
        assertNull(latest.getAttributes().get(AttributeKey.stringKey("gen_ai.agent.name")));
    }

    @Test
    void aRunSpanIsTheContextItGivesAndItsEndCarriesTokensFinishAndContent() {
        ChatRequest request = ChatRequest.builder().system("Be brief.").user("hi")
                .tools(ToolDefinition.builtin("web_search")).build();
        RunListener run = listener().captureMessageContent(true).build().onRunStart(run(null, "anthropic", request));
        try (ListenerContext.Scope s = run.context().makeCurrent()) {
            assertTrue(Span.current().getSpanContext().isValid(), "the run span is current");
        }
        assertFalse(Span.current().getSpanContext().isValid());
        run.onEnd(new RunOutcome.Completed(ChatResponse.of("ok"), new Usage(10, 2, 12, 0, 3, 0)));
        Attributes a = telemetry.onlySpan().getAttributes();
        assertEquals(10L, a.get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
        assertEquals(2L, a.get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
        assertNull(a.get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens")), "none read: not set");
        assertEquals(3L, a.get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens")));
        assertEquals("[{\"type\":\"text\",\"content\":\"Be brief.\"}]",
                a.get(AttributeKey.stringKey("gen_ai.system_instructions")), "Anthropic's are apart");
        assertFalse(a.get(AttributeKey.stringKey("gen_ai.input.messages")).contains("Be brief."));
        assertEquals("[{\"type\":\"builtin\",\"name\":\"web_search\"}]", a.get(AttributeKey.stringKey("gen_ai.tool.definitions")));
        assertTrue(a.get(AttributeKey.stringKey("gen_ai.output.messages")).contains("\"ok\""));
    }

    @Test
    void aRunSpanUnderLatestNamesHasNoCacheTokensAndAFailedRunIsAnError() {
        RunListener run = listener().conventions(GenAiConventions.LATEST_EXPERIMENTAL).build()
                .onRunStart(run(null, "kimi", ChatRequest.of("hi")));
        run.onEnd(new RunOutcome.Failed(new LlmException("key sk-abcdefghijklmnopq leaked", null), new Usage(1, 0, 1, 1, 1, 0)));
        SpanData span = telemetry.onlySpan();
        assertNull(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens")));
        assertNull(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens")));
        assertEquals(LlmException.class.getName(), span.getAttributes().get(ERROR_TYPE));
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertFalse(span.getStatus().getDescription().contains("abcdefghijklmnopq"));
        assertNull(span.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")), "no content unless asked");
        telemetry.spans.reset();
        RunListener v1 = listener().build().onRunStart(run(null, "kimi", ChatRequest.of("hi")));
        v1.onEnd(new RunOutcome.Completed(ChatResponse.of("ok"), new Usage(1, 0, 1, 1, 0, 0)));
        assertEquals(1L, telemetry.onlySpan().getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens")));
        assertNull(telemetry.onlySpan().getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens")));
        assertNull(telemetry.onlySpan().getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")));
    }

    @Test
    void withTheNoOpApiNothingIsMadeCurrent() {
        GenAiListener noop = GenAiListener.builder(OpenTelemetry.noop()).build();
        assertSame(ListenerContext.NONE, noop.onRunStart(run(null, "kimi", ChatRequest.of("hi"))).context());
        LlmCall call = new LlmCall("1", "kimi", LlmCall.CHAT, ChatRequest.of("hi"), false, "k3", null, -1);
        LlmListener perCall = noop.forCall(call);
        perCall.onStart(call);
        assertSame(ListenerContext.NONE, perCall.callContext(call));
        Span app = telemetry.openTelemetry().getTracer("app").spanBuilder("app").startSpan();
        try (Scope ignored = app.makeCurrent()) {
            LlmListener under = noop.forCall(call);
            under.onStart(call);
            assertSame(ListenerContext.NONE, under.callContext(call), "the no-op API hands back the parent's span");
        }
        app.end();
    }

    @Test
    void theCallersContextIsCapturedOnlyWhenThereIsOne() {
        GenAiListener l = listener().build();
        assertSame(ListenerContext.NONE, l.captureContext());
        Span app = telemetry.openTelemetry().getTracer("app").spanBuilder("app").startSpan();
        ListenerContext captured;
        try (Scope ignored = app.makeCurrent()) {
            captured = l.captureContext();
        }
        assertNotSame(ListenerContext.NONE, captured);
        try (ListenerContext.Scope s = captured.makeCurrent()) {
            assertEquals(app.getSpanContext(), Span.current().getSpanContext());
        }
        assertFalse(Span.current().getSpanContext().isValid());
        app.end();
    }

    @Test
    void theCallSpanSetsItsServerPortJsonOutputAndOnlyReportedBreakdowns() {
        GenAiListener l = listener().build();
        ChatRequest request = ChatRequest.builder().user("hi").topP(0.5).stop(List.of("END"))
                .responseFormat(ResponseFormat.JSON_OBJECT).build();
        LlmCall call = new LlmCall("1", "kimi", LlmCall.CHAT, request, false, null, "localhost", 0);
        LlmListener perCall = l.forCall(call);
        perCall.onStart(call);
        perCall.onEnd(call, new CallOutcome.Completed(ChatResponse.of("{}"), Duration.ofMillis(5), null, 0));
        SpanData span = telemetry.onlySpan();
        assertEquals("chat", span.getName(), "no model: the operation alone");
        assertEquals(0L, span.getAttributes().get(AttributeKey.longKey("server.port")));
        assertEquals("json", span.getAttributes().get(AttributeKey.stringKey("gen_ai.output.type")));
        assertEquals(0.5, span.getAttributes().get(AttributeKey.doubleKey("gen_ai.request.top_p")));
        assertEquals(List.of("END"), span.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.request.stop_sequences")));
        assertNull(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens")));
        telemetry.spans.reset();
        LlmCall text = new LlmCall("2", "kimi", LlmCall.CHAT, ChatRequest.builder().user("hi")
                .responseFormat(ResponseFormat.TEXT).build(), false, "k3", "localhost", -1);
        LlmListener second = l.forCall(text);
        second.onStart(text);
        second.onEnd(text, new CallOutcome.Completed(ChatResponse.of("x"), Duration.ofMillis(5), null, 0));
        assertNull(telemetry.onlySpan().getAttributes().get(AttributeKey.stringKey("gen_ai.output.type")));
        assertNull(telemetry.onlySpan().getAttributes().get(AttributeKey.longKey("server.port")));
    }

    @Test
    void anImageInTheRequestMakesTheInputModalityUnknownAndAFailureTheOutputsToo() {
        GenAiListener l = listener().conventions(GenAiConventions.LATEST_EXPERIMENTAL).build();
        ChatRequest image = ChatRequest.builder().message(ChatMessage.user(new ContentPart.Text("this?"),
                new ContentPart.ImageBytes(new byte[] {1}, "image/png"))).build();
        LlmCall call = new LlmCall("1", "kimi", LlmCall.CHAT, image, false, "k3", null, -1);
        LlmListener perCall = l.forCall(call);
        perCall.onStart(call);
        perCall.onEnd(call, new CallOutcome.Completed(ChatResponse.of("a cat").withUsage(Usage.of(4, 2, 6)), Duration.ofMillis(5), null, 0));
        LlmCall failing = new LlmCall("2", "kimi", LlmCall.CHAT, ChatRequest.of("hi"), false, "k3", null, -1);
        LlmListener second = l.forCall(failing);
        second.onStart(failing);
        second.onEnd(failing, new CallOutcome.Failed(new LlmException("down", null), null, Duration.ofMillis(5), null, 0));
        telemetry.collect();
        List<LongPointData> output = telemetry.counter("gen_ai.client.inference.usage.output_tokens");
        assertEquals(2, output.size());
        for (LongPointData p : output) {
            assertTrue(List.of("text", "unknown").contains(p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.modality"))));
        }
        assertTrue(output.stream().anyMatch(p -> "unknown".equals(p.getAttributes().get(AttributeKey.stringKey(
                "gen_ai.token.modality"))) && p.getValue() == 0), "the failed call's output is unknown");
        List<LongPointData> input = telemetry.counter("gen_ai.client.inference.usage.input_tokens");
        assertTrue(input.stream().allMatch(p -> "unknown".equals(p.getAttributes().get(AttributeKey.stringKey(
                "gen_ai.token.modality")))), "image: unknown; failed: unknown " + input);
    }

    @Test
    void anExceptionWithoutMessageIsRecordedWithoutOne() {
        GenAiListener l = listener().build();
        LlmCall call = new LlmCall("1", "kimi", LlmCall.CHAT, ChatRequest.of("hi"), false, "k3", null, -1);
        LlmListener perCall = l.forCall(call);
        perCall.onStart(call);
        perCall.onEnd(call, new CallOutcome.Failed(new IllegalStateException(), null, Duration.ofMillis(5), null, 0));
        EventData event = telemetry.onlySpan().getEvents().get(0);
        assertNull(event.getAttributes().get(AttributeKey.stringKey("exception.message")));
        assertTrue(event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace"))
                .startsWith("java.lang.IllegalStateException"));
        assertNull(telemetry.logRecords().get(0).getAttributes().get(AttributeKey.stringKey("exception.message")));
        assertTrue(telemetry.logRecords().get(0).getAttributes().get(AttributeKey.stringKey("exception.stacktrace"))
                .contains("GenAiDetailsTest"), "with its stack");
    }

    @Test
    void theToolDefinitionsAndAssistantPartsAreTheSchemasJson() {
        assertNull(MessageContent.toolDefinitions(List.of()));
        assertEquals("[{\"type\":\"builtin\",\"name\":\"a\"},{\"type\":\"builtin\",\"name\":\"b\"}]",
                MessageContent.toolDefinitions(List.of(ToolDefinition.builtin("a"), ToolDefinition.builtin("b"))));
        String json = MessageContent.inputMessages(List.of(
                new AssistantMessage("Let me look.", "thinking", List.of(new ToolCall("c1", "find", "{\"q\":",
                        ToolCall.Status.TRUNCATED)), ProviderState.NONE),
                ChatMessage.user(ContentPart.imageFile("file-1"))), false);
        assertEquals("[{\"role\":\"assistant\",\"parts\":[{\"type\":\"reasoning\",\"content\":\"thinking\"},"
                + "{\"type\":\"text\",\"content\":\"Let me look.\"},"
                + "{\"type\":\"tool_call\",\"id\":\"c1\",\"name\":\"find\",\"arguments\":\"{\\\"q\\\":\"}]},"
                + "{\"role\":\"user\",\"parts\":[{\"type\":\"file\",\"modality\":\"image\",\"file_id\":\"file-1\"}]}]", json);
    }

    @Test
    void theListenersSettingsShowAndComeFromTheEnvironment() {
        assertEquals("GenAiListener{V1_41}", listener().build().toString());
        assertEquals("GenAiListener{LATEST_EXPERIMENTAL, with message content, exceptions as logs only}",
                listener().conventions(GenAiConventions.LATEST_EXPERIMENTAL).captureMessageContent(true)
                        .exceptionsAsLogsOnly(true).build().toString());
        assertTrue(listener().exceptionsAsLogsOnly(true).exceptionsAsLogsOnly(false).build().recordsExceptionSpanEvents());
        String before = System.getProperty(GenAiListener.EXCEPTION_SIGNAL_PROPERTY);
        System.setProperty(GenAiListener.EXCEPTION_SIGNAL_PROPERTY, "logs");
        try {
            assertFalse(listener().fromEnvironment().build().recordsExceptionSpanEvents(), "the system property");
        } finally {
            if (before == null) {
                System.clearProperty(GenAiListener.EXCEPTION_SIGNAL_PROPERTY);
            } else {
                System.setProperty(GenAiListener.EXCEPTION_SIGNAL_PROPERTY, before);
            }
        }
        assertTrue(listener().fromEnvironment(Map.of("OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN", "logs/dup",
                "otel.semconv.exception.signal.opt-in", "logs")).build().recordsExceptionSpanEvents(), "the variable wins");
        GenAiListener l = listener().build();
        assertSame(l, new OpenTelemetryDecorator(l).listener());
    }

    @Test
    void theNamesOfOtherWellKnownProvidersAndTheInstruments() {
        assertEquals("x_ai", GenAiNames.providerName("openai", "xai"));
        assertEquals("x_ai", GenAiNames.providerName("grok", null));
        assertEquals("gcp.gemini", GenAiNames.providerName("gemini", " "));
        assertEquals("moonshot_ai", GenAiNames.providerName("MOONSHOT", null));
        assertEquals("ollama", GenAiNames.providerName("openai", "ollama"));
        assertTrue(new GenAiMetrics(telemetry.openTelemetry().getMeter("m"), true).latest());
        assertFalse(new GenAiMetrics(telemetry.openTelemetry().getMeter("m"), false).latest());
        OpenTelemetry otel = telemetry.openTelemetry();
        assertSame(otel, new GenAiTelemetry(otel, "s", null, false, false, true).openTelemetry());
    }
}
