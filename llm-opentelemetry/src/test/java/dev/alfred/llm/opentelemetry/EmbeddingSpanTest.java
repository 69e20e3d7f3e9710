package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.Usage;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.observe.LlmListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code embeddings {model}} span and its metrics, recorded by the real SDK on a fake ticker. */
class EmbeddingSpanTest {

    private static final long MS = 1_000_000L;
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

    /** Answers after 30 ms with vectors of 4; remembers the span current while it was called. */
    private final class Embedder implements EmbeddingProvider {
        final AtomicReference<Span> currentWhileSent = new AtomicReference<>();
        RuntimeException failure;

        @Override
        public String id() {
            return "openai";
        }

        @Override
        public ProviderEndpoint endpoint() {
            return new ProviderEndpoint(URI.create("https://api.openai.com/v1/"), "text-embedding-3-small");
        }

        @Override
        public EmbeddingResponse embed(EmbeddingRequest request) {
            currentWhileSent.set(Span.current());
            now.addAndGet(30 * MS);
            if (failure != null) {
                throw failure;
            }
            return new EmbeddingResponse(request.inputs().stream().map(i -> new float[] {1, 0, 0, 0}).toList(),
                    "text-embedding-3-small-v2", new Usage(9, 0, 9, 0, 0, 0));
        }
    }

    private EmbeddingProvider observed(EmbeddingProvider p, GenAiListener listener) {
        return LlmListener.attach(p, List.of(listener), now::get);
    }

    @Test
    void aCallIsAClientSpanNamedByOperationAndModelWithItsDimensionsEncodingTokensAndResponseModel() {
        Embedder embedder = new Embedder();
        Span app = telemetry.openTelemetry().getTracer("app").spanBuilder("remember").startSpan();
        try (Scope ignored = app.makeCurrent()) {
            observed(embedder, GenAiListener.builder(telemetry.openTelemetry()).build()).embed("Ada likes tea.", "Bob");
        }
        app.end();
        SpanData span = telemetry.span("embeddings text-embedding-3-small");
        assertEquals(SpanKind.CLIENT, span.getKind());
        assertEquals(app.getSpanContext().getSpanId(), span.getParentSpanId());
        assertEquals(span.getSpanContext().getSpanId(), embedder.currentWhileSent.get().getSpanContext().getSpanId(),
                "current while the call is sent, so HTTP spans nest under it");
        var a = span.getAttributes();
        assertEquals("embeddings", a.get(AttributeKey.stringKey("gen_ai.operation.name")));
        assertEquals("openai", a.get(AttributeKey.stringKey("gen_ai.provider.name")));
        assertEquals("text-embedding-3-small", a.get(AttributeKey.stringKey("gen_ai.request.model")));
        assertEquals("text-embedding-3-small-v2", a.get(AttributeKey.stringKey("gen_ai.response.model")));
        assertEquals(4L, a.get(AttributeKey.longKey("gen_ai.embeddings.dimension.count")), "the vectors' length when none was asked");
        assertEquals(List.of("base64"), a.get(AttributeKey.stringArrayKey("gen_ai.request.encoding_formats")));
        assertEquals(9L, a.get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
        assertEquals("api.openai.com", a.get(AttributeKey.stringKey("server.address")));
        assertEquals(443L, a.get(AttributeKey.longKey("server.port")));
        assertNull(a.get(AttributeKey.stringKey("gen_ai.input.messages")));
        assertEquals(30 * MS, span.getEndEpochNanos() - span.getStartEpochNanos());
        telemetry.collect();
        assertEquals(0.03, telemetry.onlyPoint("gen_ai.client.operation.duration").getSum(), 1e-9);
        assertEquals(9, telemetry.onlyPoint("gen_ai.client.token.usage").getSum(), 1e-9);
        assertEquals("input", telemetry.onlyPoint("gen_ai.client.token.usage").getAttributes()
                .get(AttributeKey.stringKey("gen_ai.token.type")));
    }

    @Test
    void theRequestedDimensionsAndEncodingAreWhatTheSpanSays() {
        observed(new Embedder(), GenAiListener.builder(telemetry.openTelemetry()).build()).embed(EmbeddingRequest.builder()
                .text("x").model("m").dimensions(256).encoding(EmbeddingRequest.Encoding.FLOAT).build());
        var a = telemetry.span("embeddings m").getAttributes();
        assertEquals(256L, a.get(AttributeKey.longKey("gen_ai.embeddings.dimension.count")));
        assertEquals(List.of("float"), a.get(AttributeKey.stringArrayKey("gen_ai.request.encoding_formats")));
    }

    @Test
    void aFailedCallSaysItsErrorTypeScrubbedStatusAndLogsTheException() {
        Embedder embedder = new Embedder();
        embedder.failure = new InvalidRequestException("bad input for key sk-abcdefgh12345678", "openai", 400, null, null);
        EmbeddingProvider p = observed(embedder, GenAiListener.builder(telemetry.openTelemetry()).build());
        assertThrows(InvalidRequestException.class, () -> p.embed("x"));
        SpanData span = telemetry.onlySpan();
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertTrue(!span.getStatus().getDescription().contains("abcdefgh12345678"), span.getStatus().getDescription());
        assertEquals(InvalidRequestException.class.getName(), span.getAttributes().get(AttributeKey.stringKey("error.type")));
        assertNull(span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
        assertEquals(1, telemetry.logRecords().size());
        telemetry.collect();
        assertEquals(InvalidRequestException.class.getName(), telemetry.onlyPoint("gen_ai.client.operation.duration")
                .getAttributes().get(AttributeKey.stringKey("error.type")));
        assertTrue(!telemetry.metricNames().contains("gen_ai.client.token.usage"));
    }

    @Test
    void underTheLatestNamesTheInputTokensGoToTheInputUsage() {
        observed(new Embedder(), GenAiListener.builder(telemetry.openTelemetry())
                .conventions(GenAiConventions.LATEST_EXPERIMENTAL).build()).embed("x");
        telemetry.collect();
        assertTrue(telemetry.metricNames().stream().anyMatch(n -> n.contains("input")), telemetry.metricNames().toString());
        assertTrue(telemetry.metricNames().stream().noneMatch(n -> n.contains("output")), telemetry.metricNames().toString());
    }

    @Test
    void theDecoratorListensToEmbeddingsUnlessTurnedOff() {
        Embedder embedder = new Embedder();
        OpenTelemetryDecorator decorator = new OpenTelemetryDecorator(GenAiListener.builder(telemetry.openTelemetry()).build());
        assertSame(embedder, decorator.decorate(embedder, ProviderConfig.of(Map.of("opentelemetry.enabled", "false"))));
        decorator.decorate(embedder, ProviderConfig.empty()).embed("x");
        assertEquals(1, telemetry.finishedSpans().size());
    }
}
