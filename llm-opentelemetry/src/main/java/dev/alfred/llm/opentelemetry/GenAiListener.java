package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.observe.AgentRun;
import dev.alfred.llm.observe.ListenerContext;
import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.RunListener;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.opentelemetry.internal.CallSpan;
import dev.alfred.llm.opentelemetry.internal.EmbeddingSpan;
import dev.alfred.llm.observe.EmbeddingCall;
import dev.alfred.llm.observe.EmbeddingListener;
import dev.alfred.llm.opentelemetry.internal.GenAiTelemetry;
import dev.alfred.llm.opentelemetry.internal.RunSpan;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;

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
 * {@code OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true}), image bytes then as a blob part's
 * base64 content, as the conventions' schema requires. The API key never reaches it: it sees requests and
 * answers, and exceptions the providers have scrubbed, whose messages it scrubs again (a tool's too).
 *
 * <p>The span starts when the call starts, as a child of the context current then, and is current while
 * the call is sent and its stream read up to its first part (the reads that send), so that an instrumented HTTP client's spans are its children and
 * the {@code traceparent} it sends names it; {@code chatAsync} and {@code publisher} calls are children of
 * the context of the thread that created them. Every call ends its span and records its metrics once:
 * completed, failed, cancelled (no error: status unset) or abandoned (a stream nobody closed, ended by
 * the listening layer's cleaner: {@code error.type=abandoned}). A tool loop run is an {@code invoke_agent}
 * span over its calls and tools ({@link #onRunStart}). Per streamed part after the first it records the
 * time per output chunk. The OpenTelemetry instance may be a supplier (such as
 * {@code GlobalOpenTelemetry::getOrNoop}); its instruments are built again only when it returns another
 * instance, so an SDK installed after the provider was created is used from the next call on. Thread-safe.
 */
public final class GenAiListener implements LlmListener {

    /** The instrumentation scope name of the tracer and the meter. */
    public static final String SCOPE = "dev.alfred.llm.opentelemetry";
    /**
     * The scope's version: this module's, as its jar's manifest or, in a build, its Maven properties say;
     * null when neither is there.
     */
    static final String VERSION = version();
    /**
     * The environment variable that chooses how exceptions are recorded (exceptions/README.md): {@code logs}
     * for the log record alone; otherwise ({@code logs/dup}, or unset) the log record and the span event.
     */
    public static final String EXCEPTION_SIGNAL_VARIABLE = "OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN";
    /** The system property that does the same. */
    public static final String EXCEPTION_SIGNAL_PROPERTY = "otel.semconv.exception.signal.opt-in";
    /** The environment variable that turns message content on when {@code true}. */
    public static final String CAPTURE_CONTENT_VARIABLE = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";
    /** The system property that does the same. */
    public static final String CAPTURE_CONTENT_PROPERTY = "otel.instrumentation.genai.capture-message-content";

    private final Supplier<OpenTelemetry> openTelemetry;
    private final GenAiConventions conventions;
    private final boolean captureContent;
    private final boolean exceptionSpanEvents;
    private volatile GenAiTelemetry telemetry;

    private GenAiListener(Builder b) {
        this.openTelemetry = b.openTelemetry;
        this.conventions = b.conventions;
        this.captureContent = b.captureContent;
        this.exceptionSpanEvents = b.exceptionSpanEvents;
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
     * The call's listener: its span, started now as a child of the context current on this thread, and
     * its metrics, recorded when the call ends.
     *
     * @param call the call
     * @return the call's listener
     */
    @Override
    public LlmListener forCall(LlmCall call) {
        return new CallSpan(current());
    }

    /**
     * An embeddings call: its CLIENT span {@code embeddings {model}}, started now as a child of the context
     * current on this thread and made current while the call is sent, with
     * {@code gen_ai.embeddings.dimension.count}, {@code gen_ai.request.encoding_formats}, the response model
     * and input tokens, and the duration and token-usage metrics. The inputs are never recorded.
     *
     * @param call the call
     * @return the call's span
     */
    @Override
    public EmbeddingListener onEmbeddingStart(EmbeddingCall call) {
        return new EmbeddingSpan(current(), call);
    }

    /**
     * The context current on this thread (the caller's span, baggage), which the listening layer makes
     * current where {@code chatAsync} runs and a {@code publisher} opens its stream, and a tool loop
     * where its tools run.
     *
     * @return the context, or {@link ListenerContext#NONE} when nothing is current
     */
    @Override
    public ListenerContext captureContext() {
        Context context = Context.current();
        if (context == Context.root()) {
            return ListenerContext.NONE;
        }
        return () -> {
            io.opentelemetry.context.Scope s = context.makeCurrent();
            return s::close;
        };
    }

    /**
     * A tool loop run: an {@code invoke_agent} INTERNAL span, started now as a child of the context current
     * on this thread, which the loop makes current while it works, so its {@code chat} and
     * {@code execute_tool} spans are one trace under it.
     *
     * @param run the run
     * @return the run's span
     */
    @Override
    public RunListener onRunStart(AgentRun run) {
        return new RunSpan(current(), run);
    }

    /**
     * Records a tool run as an INTERNAL span {@code execute_tool {name}} that ends now and began its
     * duration ago, a child of the context current (a tool loop's run span), with {@code gen_ai.tool.type}
     * {@code function}; its arguments and result only with message content on; a failure's message
     * scrubbed in the status. Under the latest names, also its duration metric.
     *
     * @param execution the tool run
     */
    @Override
    public void onToolExecuted(ToolExecution execution) {
        current().toolExecuted(execution);
    }

    private GenAiTelemetry current() {
        OpenTelemetry otel = openTelemetry.get();
        GenAiTelemetry t = telemetry;
        if (t == null || t.openTelemetry() != otel) {
            t = new GenAiTelemetry(otel, SCOPE, VERSION, conventions == GenAiConventions.LATEST_EXPERIMENTAL,
                    captureContent, exceptionSpanEvents);
            telemetry = t;
        }
        return t;
    }

    /**
     * Whether an exception is also recorded as the span event {@code exception} besides its log record.
     *
     * @return true unless {@code OTEL_SEMCONV_EXCEPTION_SIGNAL_OPT_IN=logs}
     */
    public boolean recordsExceptionSpanEvents() {
        return exceptionSpanEvents;
    }

    @Override
    public String toString() {
        return "GenAiListener{" + conventions + (captureContent ? ", with message content" : "")
                + (exceptionSpanEvents ? "" : ", exceptions as logs only") + "}";
    }

    private static String version() {
        String v = GenAiListener.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (java.io.InputStream in = GenAiListener.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return null;
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Settings of a {@link GenAiListener}. Not thread-safe. */
    public static final class Builder {
        private final Supplier<OpenTelemetry> openTelemetry;
        private GenAiConventions conventions = GenAiConventions.V1_41;
        private boolean captureContent;
        private boolean exceptionSpanEvents = true;

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
         * Records exceptions as the {@code gen_ai.client.operation.exception} log record only, without the span
         * event {@code exception} that v1.41 deprecates. Default: both, as the conventions ask of an
         * instrumentation that recorded span events before (exceptions/README.md).
         *
         * @param logsOnly true for the log record alone
         * @return this builder
         */
        public Builder exceptionsAsLogsOnly(boolean logsOnly) {
            this.exceptionSpanEvents = !logsOnly;
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
            String signal = settings.get(EXCEPTION_SIGNAL_VARIABLE);
            if (signal == null) {
                signal = settings.get(EXCEPTION_SIGNAL_PROPERTY);
            }
            exceptionsAsLogsOnly(signal != null && signal.trim().equalsIgnoreCase("logs"));
            return captureMessageContent(capture != null && capture.trim().toLowerCase(Locale.ROOT).equals("true"));
        }

        /**
         * Takes both settings from this process's environment variables and system properties.
         *
         * @return this builder
         */
        public Builder fromEnvironment() {
            Map<String, String> settings = new HashMap<>(System.getenv());
            for (String p : new String[] {GenAiConventions.OPT_IN_PROPERTY, CAPTURE_CONTENT_PROPERTY,
                    EXCEPTION_SIGNAL_PROPERTY}) {
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
