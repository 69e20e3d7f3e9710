package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.config.ProviderRegistry;
import dev.alfred.llm.Usage;
import dev.alfred.llm.kimi.KimiProvider;
import dev.alfred.llm.retry.Backoff;
import dev.alfred.llm.retry.RetryPolicy;
import dev.alfred.llm.retry.RetryingLlmProvider;
import dev.alfred.llm.retry.Sleeper;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.KeyLeaks;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GenAI spans and metrics of the real Kimi provider over real HTTP to the fake server, recorded by the
 * real OpenTelemetry SDK into its in-memory exporter and reader.
 */
class OpenTelemetryKimiTest {

    private static final String KEY = "sk-otel-test-8f3a9c2e7b1d4f6a0c5e";
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private FakeServer server;
    private KimiProvider kimi;
    private InMemoryTelemetry telemetry;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        kimi = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build();
        telemetry = new InMemoryTelemetry();
    }

    @AfterEach
    void stop() {
        kimi.close();
        server.close();
        telemetry.close();
        GlobalOpenTelemetry.resetForTest();
    }

    private LlmProvider observed(LlmProvider p) {
        return new OpenTelemetryDecorator(GenAiListener.builder(telemetry.openTelemetry()).build())
                .decorate(p, ProviderConfig.empty());
    }

    /** No waiting: the retry tests are about what is recorded, not about time. */
    private static RetryingLlmProvider retrying(LlmProvider p) {
        Sleeper noWait = d -> { };
        return new RetryingLlmProvider(p, RetryPolicy.builder().sleeper(noWait).random(() -> 0.5)
                .backoff(new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1), Backoff.Jitter.NONE)).build());
    }

    @Test
    void aStreamedCallIsOneClientSpanWithTheConventionsAttributesAndTheV141Metrics() {
        server.enqueue(Reply.stream(ScriptedStream.ofText("Hel", "lo", "!").withModel("kimi-k3-0601")
                .withUsage(new Usage(11, 3, 14, 4, 0, 0), ScriptedStream.UsagePlacement.BOTH)));
        try (ChatStream s = observed(kimi).stream(ChatRequest.builder().user("hi").temperature(0.3).maxTokens(64)
                .build())) {
            assertEquals("Hello!", s.response().content());
        }
        SpanData span = telemetry.onlySpan();
        assertEquals("chat kimi-k3", span.getName());
        assertEquals(SpanKind.CLIENT, span.getKind());
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        Attributes a = span.getAttributes();
        assertEquals("chat", a.get(AttributeKey.stringKey("gen_ai.operation.name")));
        assertEquals("moonshot_ai", a.get(AttributeKey.stringKey("gen_ai.provider.name")));
        assertEquals("kimi-k3", a.get(AttributeKey.stringKey("gen_ai.request.model")));
        assertEquals(true, a.get(AttributeKey.booleanKey("gen_ai.request.stream")));
        assertEquals(0.3, a.get(AttributeKey.doubleKey("gen_ai.request.temperature")));
        assertEquals(64L, a.get(AttributeKey.longKey("gen_ai.request.max_tokens")));
        assertEquals(server.baseUri().getHost(), a.get(AttributeKey.stringKey("server.address")));
        assertEquals((long) server.baseUri().getPort(), a.get(AttributeKey.longKey("server.port")));
        assertEquals("kimi-k3-0601", a.get(AttributeKey.stringKey("gen_ai.response.model")));
        assertEquals("chatcmpl-fake", a.get(AttributeKey.stringKey("gen_ai.response.id")));
        assertEquals(List.of("stop"), a.get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")));
        assertEquals(11L, a.get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
        assertEquals(3L, a.get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
        assertEquals(4L, a.get(AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens")));
        assertTrue(a.get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")) > 0);
        assertNull(a.get(ERROR_TYPE));
        assertNull(a.get(AttributeKey.stringKey("gen_ai.input.messages")), "no content unless asked");

        telemetry.collect();
        assertEquals(List.of("gen_ai.client.operation.duration", "gen_ai.client.operation.time_per_output_chunk",
                "gen_ai.client.operation.time_to_first_chunk", "gen_ai.client.token.usage"),
                new ArrayList<>(telemetry.metricNames()));
        HistogramPointData duration = telemetry.onlyPoint("gen_ai.client.operation.duration");
        assertEquals(1, duration.getCount());
        assertEquals("moonshot_ai", duration.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name")));
        assertEquals("kimi-k3-0601", duration.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")));
        assertEquals(List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92),
                duration.getBoundaries(), "the conventions' bucket advice");
        List<HistogramPointData> tokens = telemetry.histogram("gen_ai.client.token.usage");
        assertEquals(2, tokens.size());
        for (HistogramPointData p : tokens) {
            String type = p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type"));
            assertEquals("input".equals(type) ? 11.0 : 3.0, p.getSum(), type);
        }
        assertEquals(1, telemetry.onlyPoint("gen_ai.client.operation.time_to_first_chunk").getCount());
    }

    @Test
    void aFailedCallSetsErrorTypeAndStatusAndNeverTheKeyEvenWhenTheServerEchoesIt() {
        server.setDefault(Reply.raw(401, "text/plain", "invalid key " + KEY + " and the first half "
                + KEY.substring(0, 20)));
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> observed(kimi).chat(ChatRequest.of("hi")));
        SpanData span = telemetry.onlySpan();
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals(AuthenticationException.class.getName(), span.getAttributes().get(ERROR_TYPE));
        assertNull(span.getAttributes().get(AttributeKey.booleanKey("gen_ai.request.stream")), "unset unless streamed");
        assertTrue(span.getEvents().stream().anyMatch(ev -> ev.getName().equals("exception")),
                "the span event too, by default");
        assertEquals(1, telemetry.logRecords().size(), "the exception's log record");
        KeyLeaks.assertNone(KEY, "the exception's log record", telemetry.logRecords().toString());
        KeyLeaks.assertNone(KEY, "the span", span.toString());
        KeyLeaks.assertNone(KEY, "the exception", e.getMessage());
        telemetry.collect();
        HistogramPointData duration = telemetry.onlyPoint("gen_ai.client.operation.duration");
        assertEquals(AuthenticationException.class.getName(), duration.getAttributes().get(ERROR_TYPE));
        assertNull(telemetry.metric("gen_ai.client.token.usage"), "no usage from a failed call");
        assertNull(telemetry.metric("gen_ai.client.operation.time_to_first_chunk"), "not streamed");
        KeyLeaks.assertNone(KEY, "the metrics", telemetry.metricNames() + " " + duration);
    }

    @Test
    void aCallRetriedTwiceIsOneSpanWithTwoRetryEventsAndOneDuration() {
        server.enqueue(Reply.error(503, "server_unavailable", "busy"))
                .enqueue(Reply.error(503, "server_unavailable", "busy"))
                .enqueue(Reply.stream("ok"));
        try (ChatStream s = observed(retrying(kimi)).stream(ChatRequest.of("hi"))) {
            assertEquals("ok", s.response().content());
        }
        assertEquals(3, server.requestCount());
        SpanData span = telemetry.onlySpan();
        List<EventData> retries = span.getEvents().stream().filter(ev -> ev.getName().equals("retry")).toList();
        assertEquals(2, retries.size());
        assertEquals(1L, retries.get(0).getAttributes().get(AttributeKey.longKey("retry.attempt")));
        assertEquals(2L, retries.get(1).getAttributes().get(AttributeKey.longKey("retry.attempt")));
        assertEquals(0.1, retries.get(0).getAttributes().get(AttributeKey.doubleKey("retry.delay")));
        assertEquals(0.2, retries.get(1).getAttributes().get(AttributeKey.doubleKey("retry.delay")));
        assertEquals("dev.alfred.llm.ProviderUnavailableException", retries.get(0).getAttributes().get(ERROR_TYPE));
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
        assertEquals(1, telemetry.collect().onlyPoint("gen_ai.client.operation.duration").getCount());
    }

    @Test
    void aStreamClosedBeforeItsEndIsCancelledAndEndsItsSpanOnce() {
        server.enqueue(Reply.stream(ScriptedStream.ofText("a", "b", "c", "d").chunked(4, Duration.ZERO)));
        ChatStream s = observed(kimi).stream(ChatRequest.of("hi"));
        s.iterator().next();
        s.iterator().next();
        s.close();
        s.close();
        SpanData span = telemetry.onlySpan();
        assertNull(span.getAttributes().get(ERROR_TYPE), "the caller's choice is no error");
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode(), "the caller's choice is no error");
        assertTrue(span.getAttributes().get(AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk")) > 0);
        telemetry.collect();
        assertNull(telemetry.onlyPoint("gen_ai.client.operation.duration").getAttributes().get(ERROR_TYPE),
                "one story in spans and metrics");
        assertEquals(1, telemetry.onlyPoint("gen_ai.client.operation.time_per_output_chunk").getCount(),
                "the second part, 1 after the first");
    }

    @Test
    void theDecoratorIsFoundThroughTheSpiAndSitsOutsideRetries() {
        GlobalOpenTelemetry.set(telemetry.openTelemetry());
        ProviderRegistry registry = LlmProviders.registry();
        assertEquals(List.of("retry", "opentelemetry"), registry.decorators().stream().map(d -> d.id()).toList());
        server.enqueue(Reply.error(503, "server_unavailable", "busy")).enqueue(Reply.chat("ok"));
        ProviderConfig config = ProviderConfig.builder().set("KIMI_API_KEY", KEY)
                .set("KIMI_BASE_URL", server.baseUri().toString()).set("RETRY_BASE_DELAY", "1ms").build();
        try (LlmProvider p = registry.create("kimi", config)) {
            assertEquals("ok", p.chat(ChatRequest.of("hi")).content());
        }
        SpanData span = telemetry.onlySpan();
        assertEquals(1, span.getEvents().stream().filter(ev -> ev.getName().equals("retry")).count(),
                "one span over both attempts");
        try (LlmProvider off = registry.create("kimi", ProviderConfig.builder().set("KIMI_API_KEY", KEY)
                .set("KIMI_BASE_URL", server.baseUri().toString()).set("OPENTELEMETRY_ENABLED", "false").build())) {
            server.enqueue(Reply.chat("quiet"));
            off.chat(ChatRequest.of("hi"));
        }
        assertEquals(1, telemetry.finishedSpans().size(), "turned off by its setting");
    }

    @Test
    void theLatestNamesReplaceTheV141OnesWhenOptedIn() {
        server.enqueue(Reply.stream(ScriptedStream.ofText("a", "b")
                .withUsage(new Usage(10, 2, 12, 0, 0, 0), ScriptedStream.UsagePlacement.BOTH)));
        GenAiListener latest = GenAiListener.builder(telemetry.openTelemetry())
                .fromEnvironment(Map.of("OTEL_SEMCONV_STABILITY_OPT_IN", "http, gen_ai_latest_experimental")).build();
        try (ChatStream s = kimi.withListeners(latest).stream(ChatRequest.of("hi"))) {
            s.response();
        }
        telemetry.collect();
        assertEquals(List.of("gen_ai.client.inference.duration", "gen_ai.client.inference.operation.input_tokens",
                "gen_ai.client.inference.operation.output_tokens", "gen_ai.client.inference.time_per_output_chunk",
                "gen_ai.client.inference.time_to_first_chunk", "gen_ai.client.inference.usage.input_tokens",
                "gen_ai.client.inference.usage.output_tokens"), new ArrayList<>(telemetry.metricNames()));
        assertEquals(10, telemetry.counter("gen_ai.client.inference.usage.input_tokens").get(0).getValue());
        assertEquals(2, telemetry.counter("gen_ai.client.inference.usage.output_tokens").get(0).getValue());
        assertFalse(telemetry.metricNames().contains("gen_ai.client.token.usage"));
    }
}
