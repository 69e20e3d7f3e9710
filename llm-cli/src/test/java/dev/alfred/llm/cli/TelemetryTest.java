package dev.alfred.llm.cli;

import io.opentelemetry.api.GlobalOpenTelemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * alfred-chat with OpenTelemetry: the SDK is set up from OTEL_* variables when an exporter is named, and the
 * console exporter shows the offline default's span and metrics; with none named, no SDK class is loaded.
 */
class TelemetryTest {

    /** The console exporters write through java.util.logging, under their class names. */
    private static final List<String> EXPORTER_LOGGERS = List.of("io.opentelemetry.exporter.logging.LoggingSpanExporter",
            "io.opentelemetry.exporter.logging.LoggingMetricExporter");

    /**
     * Held here: the JDK keeps loggers only weakly, and a logger collected before the exporter asks for
     * it comes back new, without the handler (seen on JDK 25).
     */
    private final List<Logger> loggers = EXPORTER_LOGGERS.stream().map(Logger::getLogger).toList();
    private final List<String> exported = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            exported.add(r.getParameters() == null ? r.getMessage() : java.text.MessageFormat.format(r.getMessage(),
                    r.getParameters()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @AfterEach
    void reset() {
        loggers.forEach(l -> l.removeHandler(capture));
        GlobalOpenTelemetry.resetForTest();
    }

    private static int run(Map<String, String> env, ByteArrayOutputStream err, String... args) {
        AlfredChat app = new AlfredChat(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, false)
                .demoPace(java.time.Duration.ZERO, java.time.Duration.ofMillis(1));
        return app.execute(args);
    }

    @Test
    void theConsoleExporterShowsTheOfflineDefaultsSpanAndMetrics() {
        loggers.forEach(l -> l.addHandler(capture));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(Map.of("OTEL_TRACES_EXPORTER", "console", "OTEL_METRICS_EXPORTER", "console"), err, "hi");
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String all = String.join("\n", exported);
        assertTrue(all.contains("'chat kimi-k3'") && all.contains("gen_ai.provider.name=moonshot_ai"), all);
        assertTrue(all.contains("name=gen_ai.client.operation.duration"), "the metrics are flushed at exit: " + all);
        assertTrue(all.contains("name=gen_ai.client.operation.time_to_first_chunk"), all);
    }

    @Test
    void anExporterTheSdkDoesNotKnowIsAUsageErrorNamingIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(ExitCode.USAGE, run(Map.of("OTEL_TRACES_EXPORTER", "bogus"), err, "hi"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("otel.traces.exporter: bogus"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onlyANamedExporterTurnsTheSdkOn() {
        assertFalse(Telemetry.requested(Map.of()));
        assertFalse(Telemetry.requested(Map.of("OTEL_TRACES_EXPORTER", " ", "OTEL_SERVICE_NAME", "bot")));
        assertTrue(Telemetry.requested(Map.of("OTEL_METRICS_EXPORTER", "console")));
        assertTrue(Telemetry.requested(Map.of("otel.traces.exporter", "console")));
    }

    /** Lists the classes a fresh alfred-chat JVM loads for the offline default, with the given variables. */
    private static List<String> loadedClasses(Map<String, String> otel) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                AlfredChat.class.getName(), "--offline", "hi");
        pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("KIMI_") || k.startsWith("MOONSHOT_"));
        pb.environment().putAll(otel);
        pb.redirectErrorStream(true);
        Path log = Files.createTempFile("alfred-chat-classes", ".txt");
        try {
            pb.redirectOutput(log.toFile());
            Process p = pb.start();
            p.getOutputStream().close(); // nothing piped in: with a prompt, standard input is read to its end first
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "alfred-chat did not finish");
            assertEquals(0, p.exitValue(), Files.readString(log));
            List<String> classes = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                if (line.contains("[class,load]")) {
                    classes.add(line);
                }
            }
            return classes;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void withoutOtelVariablesNoSdkClassIsLoaded() throws Exception {
        List<String> plain = loadedClasses(Map.of());
        assertTrue(plain.stream().anyMatch(l -> l.contains("dev.alfred.llm.opentelemetry.GenAiListener")),
                "the decorator is there, on the API alone");
        assertEquals(List.of(), plain.stream().filter(l -> l.contains("io.opentelemetry.sdk.")).toList());
        List<String> observed = loadedClasses(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none"));
        assertTrue(observed.stream().anyMatch(l -> l.contains("io.opentelemetry.sdk.OpenTelemetrySdk ")),
                "with a variable set, the SDK loads: the check above can fail");
    }
}
