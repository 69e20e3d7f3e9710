package dev.alfred.llm.bench;

import dev.alfred.llm.opentelemetry.GenAiListener;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real OpenTelemetry SDK as S5 records into it: every span sampled and exported at once to an
 * exporter that counts and discards, metrics aggregated in memory.
 */
final class ObservedSdk implements AutoCloseable {

    private final AtomicLong exported = new AtomicLong();
    private final OpenTelemetrySdk sdk;
    private final GenAiListener listener;

    ObservedSdk() {
        SpanExporter counting = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                exported.addAndGet(spans.size());
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(counting)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
                .build();
        listener = GenAiListener.builder(sdk).build();
    }

    GenAiListener listener() {
        return listener;
    }

    long spans() {
        return exported.get();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
