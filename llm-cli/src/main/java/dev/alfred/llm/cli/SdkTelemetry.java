package dev.alfred.llm.cli;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenTelemetry SDK, configured by its autoconfigure module from {@code OTEL_*} settings and installed
 * as the global OpenTelemetry, which the {@code llm-opentelemetry} decorator records into. Loaded only
 * when {@link Telemetry#requested} says so.
 */
final class SdkTelemetry {

    private SdkTelemetry() {
    }

    /**
     * Starts the SDK. Exporters the user did not name are {@code none} (the SDK's own default, {@code otlp},
     * is not shipped); the service is {@code alfred-chat} unless named. The given settings win over the
     * process's, so that what alfred-chat was started with is what counts.
     *
     * @param settings the environment and system properties
     * @return the SDK, to close at the end; closing flushes the last spans and metrics
     * @throws IllegalArgumentException when the SDK refuses a setting
     */
    static AutoCloseable start(Map<String, String> settings) {
        Map<String, String> defaults = Map.of("otel.traces.exporter", "none", "otel.metrics.exporter", "none",
                "otel.logs.exporter", "none", "otel.service.name", "alfred-chat");
        Map<String, String> given = new HashMap<>();
        settings.forEach((k, v) -> {
            if (k.startsWith("OTEL_")) {
                given.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
            } else if (k.startsWith("otel.")) {
                given.put(k, v);
            }
        });
        try {
            OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> defaults)
                    .addPropertiesCustomizer(config -> given)
                    .disableShutdownHook()
                    .setResultAsGlobal()
                    .build()
                    .getOpenTelemetrySdk();
            return sdk::close;
        } catch (ConfigurationException e) {
            throw new IllegalArgumentException("OpenTelemetry: " + e.getMessage(), e);
        }
    }
}
