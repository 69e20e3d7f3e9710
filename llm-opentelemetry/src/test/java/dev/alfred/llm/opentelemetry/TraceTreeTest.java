package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.kimi.KimiProvider;
import dev.alfred.llm.retry.Backoff;
import dev.alfred.llm.retry.RetryPolicy;
import dev.alfred.llm.retry.RetryingLlmProvider;
import dev.alfred.llm.retry.Sleeper;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.tools.Tool;
import dev.alfred.llm.tools.ToolLoop;
import dev.alfred.llm.tools.ToolRun;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.instrumentation.javahttpclient.JavaHttpClientTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole trace of a tool loop over the real Kimi provider, real HTTP to the fake server, the
 * OpenTelemetry {@code java.net.http} instrumentation library on the provider's client and the real SDK
 * (issue 24 items 1 and 12): one trace, {@code invoke_agent} over its {@code chat} spans, each over its
 * HTTP attempts (a 503 and its retry), and the {@code execute_tool} span; the {@code traceparent} the
 * server received names the HTTP span under the GenAI span.
 */
class TraceTreeTest {

    private static final String KEY = "sk-trace-test-5b2e9d7c1a3f8e6b";

    /** The tool's arguments. */
    public record Zone(String tz) {
    }

    private FakeServer server;
    private InMemoryTelemetry telemetry;
    private HttpClient http;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        telemetry = new InMemoryTelemetry();
        http = JavaHttpClientTelemetry.create(telemetry.openTelemetry()).newHttpClient(HttpClient.newHttpClient());
    }

    @AfterEach
    void stop() {
        server.close();
        telemetry.close();
    }

    private LlmProvider provider(KimiProvider kimi, boolean content) {
        Sleeper noWait = d -> { };
        LlmProvider retrying = new RetryingLlmProvider(kimi, RetryPolicy.builder().sleeper(noWait).random(() -> 0.5)
                .backoff(new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1), Backoff.Jitter.NONE)).build());
        return new OpenTelemetryDecorator(GenAiListener.builder(telemetry.openTelemetry()).captureMessageContent(content)
                .build()).decorate(retrying, ProviderConfig.empty());
    }

    private void script() {
        server.enqueue(Reply.error(503, "server_unavailable", "busy"))
                .enqueue(Reply.stream(ScriptedStream.ofToolCall("call_1", "clock", "{\"tz\":", "\"UTC\"}")))
                .enqueue(Reply.stream("It is ", "noon."));
    }

    private String run(LlmProvider provider) {
        ToolLoop loop = ToolLoop.builder(provider)
                .tool(Tool.of("clock", "The time now in a time zone", Zone.class, z -> "12:00 " + z.tz())).build();
        try (ToolRun run = loop.start(ChatRequest.builder().model("kimi-k3").user("What time is it?").build())) {
            return run.response().content();
        }
    }

    @Test
    void aToolLoopWithARetriedCallIsOneTraceRunChatHttpAttemptsAndTool() {
        script();
        try (KimiProvider kimi = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).httpClient(http).build()) {
            assertEquals("It is noon.", run(provider(kimi, true)));
        }
        List<SpanData> spans = telemetry.finishedSpans();
        print(spans);
        assertEquals(1, spans.stream().map(SpanData::getTraceId).distinct().count(), "one trace: " + spans);
        SpanData agent = telemetry.span("invoke_agent");
        assertEquals(SpanKind.INTERNAL, agent.getKind());
        assertTrue(!agent.getParentSpanContext().isValid(), "the root");
        List<SpanData> chats = children(spans, agent, "chat kimi-k3");
        assertEquals(2, chats.size(), "two rounds");
        List<SpanData> tools = children(spans, agent, "execute_tool clock");
        assertEquals(1, tools.size());
        assertEquals("function", tools.get(0).getAttributes().get(AttributeKey.stringKey("gen_ai.tool.type")));
        assertEquals("{\"tz\":\"UTC\"}", tools.get(0).getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.arguments")));
        assertEquals("12:00 UTC", tools.get(0).getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.result")));
        assertTrue(agent.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.definitions")).contains("\"clock\""));
        assertTrue(chats.get(0).getAttributes().get(AttributeKey.stringKey("gen_ai.tool.definitions")).contains("\"clock\""));

        List<SpanData> firstAttempts = children(spans, chats.get(0), "POST");
        assertEquals(2, firstAttempts.size(), "the 503 and its retry under the first chat span");
        assertEquals(SpanKind.CLIENT, firstAttempts.get(0).getKind());
        assertEquals(503L, firstAttempts.get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code")));
        assertEquals(200L, firstAttempts.get(1).getAttributes().get(AttributeKey.longKey("http.response.status_code")));
        assertEquals(1, children(spans, chats.get(1), "POST").size());
        assertEquals(1, chats.get(0).getEvents().size(), "the retry, an event on the GenAI span");
        assertEquals("retry", chats.get(0).getEvents().get(0).getName());
        assertEquals(0.1, chats.get(0).getEvents().get(0).getAttributes().get(AttributeKey.doubleKey("retry.delay")));

        List<RecordedRequest> received = server.takeRequests();
        assertEquals(3, received.size());
        List<SpanData> http = spans.stream().filter(s -> s.getName().equals("POST"))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        for (int i = 0; i < 3; i++) {
            String traceparent = received.get(i).header("traceparent").orElseThrow();
            assertTrue(traceparent.startsWith("00-" + agent.getTraceId() + "-" + http.get(i).getSpanId() + "-"),
                    "the server sees the HTTP attempt, whose parent is the GenAI span: " + traceparent);
            assertEquals(http.get(i).getParentSpanId(), chats.get(i == 2 ? 1 : 0).getSpanId());
        }
    }

    @Test
    void withoutContentTheToolLoopsTraceHoldsNoArgumentsResultsOrDefinitions() {
        script();
        try (KimiProvider kimi = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build()) {
            run(provider(kimi, false));
        }
        for (SpanData s : telemetry.finishedSpans()) {
            assertNull(s.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.arguments")), s.getName());
            assertNull(s.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.result")), s.getName());
            assertNull(s.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.definitions")), s.getName());
            assertNull(s.getAttributes().get(AttributeKey.stringKey("gen_ai.input.messages")), s.getName());
        }
        assertEquals(1, telemetry.finishedSpans().stream().map(SpanData::getTraceId).distinct().count());
        assertEquals(4, telemetry.finishedSpans().size(), "run, two chats, one tool; no HTTP spans without the library");
    }

    private static List<SpanData> children(List<SpanData> spans, SpanData parent, String name) {
        return spans.stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId()) && s.getName().equals(name))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).collect(Collectors.toList());
    }

    /**
     * The trace as the logging exporter prints it (java.util.logging, one line per span, as they ended),
     * then the same lines in tree order, indented by parent, for the observability guide.
     */
    private static void print(List<SpanData> spans) {
        LoggingSpanExporter.create().export(spans);
        StringBuilder tree = new StringBuilder("trace tree:\n");
        spans.stream().filter(s -> !s.getParentSpanContext().isValid()).forEach(root -> tree(spans, root, "", tree));
        System.out.print(tree);
    }

    private static void tree(List<SpanData> spans, SpanData span, String indent, StringBuilder out) {
        out.append(indent).append('\'').append(span.getName()).append("' : ").append(span.getTraceId()).append(' ')
                .append(span.getSpanId()).append(' ').append(span.getKind()).append(" [tracer: ")
                .append(span.getInstrumentationScopeInfo().getName()).append(':')
                .append(span.getInstrumentationScopeInfo().getVersion()).append("] ").append(span.getStatus())
                .append(' ').append(span.getAttributes()).append('\n');
        spans.stream().filter(s -> s.getParentSpanId().equals(span.getSpanId()))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .forEach(child -> tree(spans, child, indent + "  ", out));
    }
}
