package dev.alfred.llm.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The real OpenTelemetry SDK with its in-memory span and log record exporters and metric reader. */
final class InMemoryTelemetry implements AutoCloseable {

    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final InMemoryMetricReader reader = InMemoryMetricReader.create();
    final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setLoggerProvider(SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(logs))
                    .build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
            .build();
    private Collection<MetricData> collected = List.of();

    OpenTelemetry openTelemetry() {
        return sdk;
    }

    List<SpanData> finishedSpans() {
        return spans.getFinishedSpanItems();
    }

    List<LogRecordData> logRecords() {
        return logs.getFinishedLogRecordItems();
    }

    /** The finished span of that name. */
    SpanData span(String name) {
        return finishedSpans().stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + finishedSpans()));
    }

    SpanData onlySpan() {
        List<SpanData> all = finishedSpans();
        assertEquals(1, all.size(), "spans: " + all);
        return all.get(0);
    }

    /** Collects the metrics now; later lookups read this collection. */
    InMemoryTelemetry collect() {
        collected = reader.collectAllMetrics();
        return this;
    }

    Set<String> metricNames() {
        Set<String> names = new TreeSet<>();
        collected.forEach(m -> names.add(m.getName()));
        return names;
    }

    MetricData metric(String name) {
        for (MetricData m : collected) {
            if (m.getName().equals(name)) {
                return m;
            }
        }
        return null;
    }

    List<HistogramPointData> histogram(String name) {
        MetricData m = metric(name);
        assertNotNull(m, name + " missing; have " + metricNames());
        return new ArrayList<>(m.getHistogramData().getPoints());
    }

    HistogramPointData onlyPoint(String name) {
        List<HistogramPointData> points = histogram(name);
        assertEquals(1, points.size(), name + ": " + points);
        return points.get(0);
    }

    List<LongPointData> counter(String name) {
        MetricData m = metric(name);
        assertNotNull(m, name + " missing; have " + metricNames());
        return new ArrayList<>(m.getLongSumData().getPoints());
    }

    @Override
    public void close() {
        sdk.close();
    }
}
