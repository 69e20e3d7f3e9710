package dev.alfred.llm.opentelemetry.internal;

import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.spi.SecretScrubber;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.context.Context;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

import static dev.alfred.llm.opentelemetry.internal.GenAiNames.*;

/**
 * What one OpenTelemetry instance gives a listener: the tracer, the metrics and the logger of the
 * instrumentation scope (named, versioned, with the schema of the naming generation), and the listener's
 * settings. Built again only when the instance changes. Immutable and thread-safe.
 */
public final class GenAiTelemetry {

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final GenAiMetrics metrics;
    private final Logger logger;
    private final boolean latest;
    private final boolean captureContent;
    private final boolean exceptionSpanEvents;

    /**
     * Builds the instruments.
     *
     * @param openTelemetry       the instance
     * @param scope               the instrumentation scope's name
     * @param version             the scope's version, or null when unknown
     * @param latest              true for the latest names, false for v1.41's
     * @param captureContent      whether message content is recorded
     * @param exceptionSpanEvents whether an exception is also recorded as the (deprecated) span event, besides
     *                            its log record
     */
    public GenAiTelemetry(OpenTelemetry openTelemetry, String scope, String version, boolean latest, boolean captureContent,
                          boolean exceptionSpanEvents) {
        this.openTelemetry = openTelemetry;
        this.latest = latest;
        this.captureContent = captureContent;
        this.exceptionSpanEvents = exceptionSpanEvents;
        String schema = latest ? GenAiNames.SCHEMA_URL_LATEST : GenAiNames.SCHEMA_URL_V1_41;
        TracerBuilder tb = openTelemetry.tracerBuilder(scope).setSchemaUrl(schema);
        MeterBuilder mb = openTelemetry.meterBuilder(scope).setSchemaUrl(schema);
        LoggerBuilder lb = openTelemetry.getLogsBridge().loggerBuilder(scope).setSchemaUrl(schema);
        if (version != null) {
            tb.setInstrumentationVersion(version);
            mb.setInstrumentationVersion(version);
            lb.setInstrumentationVersion(version);
        }
        this.tracer = tb.build();
        this.metrics = new GenAiMetrics(mb.build(), latest);
        this.logger = lb.build();
    }

    /**
     * The instance these instruments come from.
     *
     * @return the instance
     */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    Tracer tracer() {
        return tracer;
    }

    GenAiMetrics metrics() {
        return metrics;
    }

    boolean latest() {
        return latest;
    }

    boolean captureContent() {
        return captureContent;
    }

    /**
     * Records that an operation failed: the span's status {@code ERROR} with the exception's message as its
     * description, scrubbed (recording-errors.md v1.41). No exception event: see {@link #exception}.
     */
    static void failed(Span span, Throwable error) {
        span.setStatus(StatusCode.ERROR, scrub(error.getMessage()));
    }

    /**
     * Records a client operation's exception the way v1.41 wants it: a log record
     * {@code gen_ai.client.operation.exception} of severity WARN in the span's context (gen-ai-exceptions.md),
     * with {@code exception.type}, {@code exception.message} and {@code exception.stacktrace}, the last two
     * scrubbed; the span event {@code exception}, which exceptions-spans.md deprecates, only when asked for
     * ({@code OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN=logs/dup}).
     */
    void exception(Span span, Context context, Throwable error, Instant at) {
        String message = scrub(error.getMessage());
        String type = error.getClass().getName();
        String stackTrace = scrub(stackTrace(error));
        LogRecordBuilder log = logger.logRecordBuilder()
                .setEventName(EXCEPTION_EVENT)
                .setSeverity(Severity.WARN)
                .setSeverityText("WARN")
                .setContext(context)
                .setTimestamp(at)
                .setAttribute(EXCEPTION_TYPE, type)
                .setAttribute(EXCEPTION_STACKTRACE, stackTrace);
        if (message != null) {
            log.setAttribute(EXCEPTION_MESSAGE, message);
        }
        log.emit();
        if (exceptionSpanEvents) {
            Attributes a = message == null ? Attributes.of(EXCEPTION_TYPE, type, EXCEPTION_STACKTRACE, stackTrace)
                    : Attributes.of(EXCEPTION_TYPE, type, EXCEPTION_MESSAGE, message, EXCEPTION_STACKTRACE, stackTrace);
            span.addEvent("exception", a, at);
        }
    }

    /**
     * Records a tool a tool loop ran: an INTERNAL span {@code execute_tool {name}} ending now, begun its
     * duration ago, a child of the context current (the run's span), with {@code gen_ai.tool.type}
     * {@code function}; arguments and result only with content on; on failure {@code error.type} and the
     * scrubbed message as the status. Under the latest names, its {@code gen_ai.execute_tool.duration}.
     *
     * @param execution the tool run
     */
    public void toolExecuted(ToolExecution execution) {
        Instant end = Instant.now();
        SpanBuilder b = tracer.spanBuilder(EXECUTE_TOOL + " " + execution.toolName())
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(end.minus(execution.duration()))
                .setAttribute(OPERATION_NAME, EXECUTE_TOOL)
                .setAttribute(TOOL_NAME, execution.toolName())
                .setAttribute(TOOL_CALL_ID, execution.toolCallId())
                .setAttribute(TOOL_TYPE, TOOL_TYPE_FUNCTION);
        if (captureContent) {
            if (execution.arguments() != null) {
                b.setAttribute(TOOL_CALL_ARGUMENTS, execution.arguments());
            }
            if (execution.result() != null) {
                b.setAttribute(TOOL_CALL_RESULT, execution.result());
            }
        }
        Span span = b.startSpan();
        AttributesBuilder attributes = Attributes.builder().put(OPERATION_NAME, EXECUTE_TOOL)
                .put(TOOL_NAME, execution.toolName()).put(TOOL_TYPE, TOOL_TYPE_FUNCTION);
        if (execution.failed()) {
            String type = execution.error().getClass().getName();
            span.setAttribute(ERROR_TYPE, type);
            failed(span, execution.error());
            attributes.put(ERROR_TYPE, type);
        }
        span.end(end);
        metrics.toolDuration(CallSpan.seconds(execution.duration()), attributes.build());
    }

    /** Text that leaves the process: keys and URL secrets masked, as everywhere in the library. */
    static String scrub(String text) {
        return SecretScrubber.NONE.scrub(text);
    }

    private static String stackTrace(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
