package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.opentelemetry.internal.CallSpan;
import dev.alfred.llm.opentelemetry.internal.GenAiMetrics;
import dev.alfred.llm.opentelemetry.internal.GenAiNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An {@link LlmListener} that turns model calls into OpenTelemetry GenAI spans and metrics: a CLIENT span
 * {@code chat {model}} per call (retries as span events, time to first chunk, usage, finish reasons,
 * {@code error.type}), and the duration, token, time-to-first-chunk and time-per-output-chunk metrics,
 * under the naming generation chosen ({@link GenAiConventions}). A tool run reported by a tool loop is an
 * INTERNAL span {@code execute_tool {name}}.
 *
 * <pre>{@code
 * LlmProvider observed = provider.withListeners(GenAiListener.builder(openTelemetry).build());
 * }</pre>
 *
 * <p>Message content is recorded only when asked ({@link Builder#captureMessageContent(boolean)}, or
 * {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true}); image bytes never. The API key never
 * reaches it: it sees requests and answers, and exceptions the providers have scrubbed.
 *
 * <p>Per streamed part it does nothing: the listening layer counts parts. Before the first part it only
 * notes the caller's context; the span is built whole when the call ends (its start set back by the
 * call's duration, under that context), so observing adds next to nothing to the time to first token. The OpenTelemetry instance may be a supplier (such as
 * {@code GlobalOpenTelemetry::getOrNoop}); its instruments are built again only when it returns another
 * instance, so an SDK installed after the provider was created is used from the next call on. Thread-safe.
 */
public final class GenAiListener implements LlmListener {

    /** The instrumentation scope name of the tracer and the meter. */
    public static final String SCOPE = "dev.alfred.llm.opentelemetry";
    /** The environment variable that turns message content on when {@code true}. */
    public static final String CAPTURE_CONTENT_VARIABLE = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";
    /** The system property that does the same. */
    public static final String CAPTURE_CONTENT_PROPERTY = "otel.instrumentation.genai.capture-message-content";

    private final Supplier<OpenTelemetry> openTelemetry;
    private final GenAiConventions conventions;
    private final boolean captureContent;
    private volatile Instruments instruments;

    private GenAiListener(Builder b) {
        this.openTelemetry = b.openTelemetry;
        this.conventions = b.conventions;
        this.captureContent = b.captureContent;
    }

    /**
     * A builder over a fixed OpenTelemetry instance.
     *
     * @param openTelemetry the instance, such as the SDK the application configured
     * @return the builder, with v1.41 names and no content
     * @throws NullPointerException if openTelemetry is null
     */
    public static Builder builder(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new Builder(() -> openTelemetry);
    }

    /**
     * A builder over an OpenTelemetry instance asked anew at each call, such as
     * {@code GlobalOpenTelemetry::getOrNoop}.
     *
     * @param openTelemetry the supplier; it must not return null
     * @return the builder, with v1.41 names and no content
     * @throws NullPointerException if openTelemetry is null
     */
    public static Builder builder(Supplier<OpenTelemetry> openTelemetry) {
        return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /**
     * The naming generation.
     *
     * @return the conventions
     */
    public GenAiConventions conventions() {
        return conventions;
    }

    /**
     * Whether message content is recorded.
     *
     * @return true when it is
     */
    public boolean capturesMessageContent() {
        return captureContent;
    }

    /**
     * The call's listener, which builds its span and records its metrics when the call ends.
     *
     * @param call the call
     * @return the call's listener
     */
    @Override
    public LlmListener forCall(LlmCall call) {
        Instruments i = current();
        return new CallSpan(i.tracer, i.metrics, captureContent);
    }

    /**
     * Records a tool run as an INTERNAL span {@code execute_tool {name}} that ends now and began its
     * duration ago, and (latest names) its duration metric.
     *
     * @param execution the tool run
     */
    @Override
    public void onToolExecuted(ToolExecution execution) {
        Instruments i = current();
        Instant end = Instant.now();
        Span span = i.tracer.spanBuilder("execute_tool " + execution.toolName())
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(end.minus(execution.duration()))
                .setAttribute(GenAiNames.OPERATION_NAME, "execute_tool")
                .setAttribute(GenAiNames.TOOL_NAME, execution.toolName())
                .setAttribute(GenAiNames.TOOL_CALL_ID, execution.toolCallId())
                .startSpan();
        Attributes attributes = Attributes.of(GenAiNames.OPERATION_NAME, "execute_tool",
                GenAiNames.TOOL_NAME, execution.toolName());
        if (execution.failed()) {
            String type = execution.error().getClass().getName();
            span.setAttribute(GenAiNames.ERROR_TYPE, type);
            span.setStatus(StatusCode.ERROR, String.valueOf(execution.error().getMessage()));
            attributes = attributes.toBuilder().put(GenAiNames.ERROR_TYPE, type).build();
        }
        span.end(end);
        i.metrics.toolDuration(CallSpan.seconds(execution.duration()), attributes);
    }

    private Instruments current() {
        OpenTelemetry otel = openTelemetry.get();
        Instruments i = instruments;
        if (i == null || i.openTelemetry != otel) {
            i = new Instruments(otel, conventions == GenAiConventions.LATEST_EXPERIMENTAL);
            instruments = i;
        }
        return i;
    }

    @Override
    public String toString() {
        return "GenAiListener{" + conventions + (captureContent ? ", with message content" : "") + "}";
    }

    /** The tracer and metrics of one OpenTelemetry instance. */
    private static final class Instruments {
        final OpenTelemetry openTelemetry;
        final Tracer tracer;
        final GenAiMetrics metrics;

        Instruments(OpenTelemetry otel, boolean latest) {
            this.openTelemetry = otel;
            String version = GenAiListener.class.getPackage().getImplementationVersion();
            this.tracer = version == null ? otel.getTracer(SCOPE) : otel.getTracer(SCOPE, version);
            this.metrics = new GenAiMetrics(version == null ? otel.getMeter(SCOPE)
                    : otel.meterBuilder(SCOPE).setInstrumentationVersion(version).build(), latest);
        }
    }

    /** Settings of a {@link GenAiListener}. Not thread-safe. */
    public static final class Builder {
        private final Supplier<OpenTelemetry> openTelemetry;
        private GenAiConventions conventions = GenAiConventions.V1_41;
        private boolean captureContent;

        private Builder(Supplier<OpenTelemetry> openTelemetry) {
            this.openTelemetry = openTelemetry;
        }

        /**
         * Sets the naming generation. Default {@link GenAiConventions#V1_41}.
         *
         * @param conventions the generation
         * @return this builder
         * @throws NullPointerException if conventions is null
         */
        public Builder conventions(GenAiConventions conventions) {
            this.conventions = Objects.requireNonNull(conventions, "conventions");
            return this;
        }

        /**
         * Records message content (system instructions, input and output messages) on spans. Off by
         * default, as the conventions ask: content may be sensitive.
         *
         * @param capture whether to record it
         * @return this builder
         */
        public Builder captureMessageContent(boolean capture) {
            this.captureContent = capture;
            return this;
        }

        /**
         * Takes both settings from the environment: {@code OTEL_SEMCONV_STABILITY_OPT_IN} and
         * {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT}, each else from its system property.
         *
         * @param settings the environment variables and system properties, by name
         * @return this builder
         * @throws NullPointerException if settings is null
         */
        public Builder fromEnvironment(Map<String, String> settings) {
            conventions(GenAiConventions.from(settings));
            String capture = settings.get(CAPTURE_CONTENT_VARIABLE);
            if (capture == null) {
                capture = settings.get(CAPTURE_CONTENT_PROPERTY);
            }
            return captureMessageContent(capture != null && capture.trim().toLowerCase(Locale.ROOT).equals("true"));
        }

        /**
         * Takes both settings from this process's environment variables and system properties.
         *
         * @return this builder
         */
        public Builder fromEnvironment() {
            Map<String, String> settings = new HashMap<>(System.getenv());
            for (String p : new String[] {GenAiConventions.OPT_IN_PROPERTY, CAPTURE_CONTENT_PROPERTY}) {
                String v = System.getProperty(p);
                if (v != null) {
                    settings.put(p, v);
                }
            }
            return fromEnvironment(settings);
        }

        /**
         * Builds the listener.
         *
         * @return the listener
         */
        public GenAiListener build() {
            return new GenAiListener(this);
        }
    }
}
