package dev.alfred.llm.cli;

import java.util.List;
import java.util.Map;

/**
 * Whether alfred-chat turns on the OpenTelemetry SDK: only when the user names an exporter
 * ({@code OTEL_TRACES_EXPORTER} or {@code OTEL_METRICS_EXPORTER}, or their system properties). Otherwise
 * nothing of the SDK is loaded: this class names none of its types, and {@link SdkTelemetry} is reached
 * only after the check.
 */
final class Telemetry {

    /** The settings that turn the SDK on, as environment variables and as system properties. */
    static final List<String> SWITCHES = List.of("OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER",
            "otel.traces.exporter", "otel.metrics.exporter");

    private Telemetry() {
    }

    /**
     * Whether the user asked for an exporter.
     *
     * @param settings the environment and system properties
     * @return true when one of {@link #SWITCHES} is set and not blank
     */
    static boolean requested(Map<String, String> settings) {
        for (String s : SWITCHES) {
            String v = settings.get(s);
            if (v != null && !v.isBlank()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts the SDK from the settings, as the global OpenTelemetry, when they ask for it.
     *
     * @param settings the environment and system properties
     * @return what to close at the end (it flushes what is left to export), or null when not asked
     * @throws IllegalArgumentException when the SDK refuses a setting (an unknown exporter, say)
     */
    static AutoCloseable startIfRequested(Map<String, String> settings) {
        return requested(settings) ? SdkTelemetry.start(settings) : null;
    }
}
