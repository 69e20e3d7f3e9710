package dev.alfred.llm.opentelemetry.internal;

import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.observe.EmbeddingCall;
import dev.alfred.llm.observe.EmbeddingListener;
import dev.alfred.llm.observe.EmbeddingOutcome;
import dev.alfred.llm.observe.ListenerContext;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static dev.alfred.llm.opentelemetry.internal.GenAiNames.*;

/**
 * One embeddings call's CLIENT span {@code embeddings {model}} and its metrics (gen-ai-spans.md §Embeddings,
 * v1.41): started as a child of the context current when the call starts, made current while the call is
 * sent (so the HTTP spans of its batches nest under it), ended once with the response model, the input
 * tokens, the dimensions, or the error. Inputs are never recorded. Created per call.
 */
public final class EmbeddingSpan implements EmbeddingListener, ListenerContext {

    private final GenAiTelemetry telemetry;
    private final Context parent;
    private final EmbeddingCall call;
    private final Span span;
    private final Context context;
    private final Instant startedAt;
    private final Attributes startAttributes;

    /**
     * Starts the span.
     *
     * @param telemetry the instruments and settings
     * @param call      the call
     */
    public EmbeddingSpan(GenAiTelemetry telemetry, EmbeddingCall call) {
        this.telemetry = telemetry;
        this.parent = Context.current();
        this.call = call;
        AttributesBuilder a = Attributes.builder()
                .put(OPERATION_NAME, EmbeddingCall.OPERATION)
                .put(PROVIDER_NAME, providerName(call.providerId(), call.dialect()));
        if (call.requestModel() != null) {
            a.put(REQUEST_MODEL, call.requestModel());
        }
        if (call.serverAddress() != null) {
            a.put(SERVER_ADDRESS, call.serverAddress());
            if (call.serverPort() >= 0) {
                a.put(SERVER_PORT, (long) call.serverPort());
            }
        }
        startAttributes = a.build();
        startedAt = Instant.now();
        EmbeddingRequest r = call.request();
        String model = call.requestModel();
        span = telemetry.tracer().spanBuilder(model == null ? EmbeddingCall.OPERATION : EmbeddingCall.OPERATION + " " + model)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setStartTimestamp(startedAt)
                .setAllAttributes(startAttributes)
                .setAttribute(REQUEST_ENCODING_FORMATS, List.of(r.encoding().name().toLowerCase(Locale.ROOT)))
                .startSpan();
        context = parent.with(span);
    }

    @Override
    public ListenerContext context() {
        return SpanContexts.ownOrNone(span, parent, this);
    }

    @Override
    public ListenerContext.Scope makeCurrent() {
        return SpanContexts.enter(context);
    }

    @Override
    public void onEnd(EmbeddingOutcome outcome) {
        Instant end = startedAt.plus(outcome.duration());
        AttributesBuilder metricAttributes = startAttributes.toBuilder();
        Integer dimensions = call.request().dimensions();
        long inputTokens = -1;
        String errorType = null;
        if (outcome instanceof EmbeddingOutcome.Completed) {
            EmbeddingResponse response = ((EmbeddingOutcome.Completed) outcome).response();
            if (response.model() != null) {
                span.setAttribute(RESPONSE_MODEL, response.model());
                metricAttributes.put(RESPONSE_MODEL, response.model());
            }
            inputTokens = response.usage().promptTokens() > 0 ? response.usage().promptTokens() : response.usage().totalTokens();
            span.setAttribute(USAGE_INPUT_TOKENS, inputTokens);
            if (dimensions == null) {
                dimensions = response.dimensions();
            }
        } else {
            Throwable error = ((EmbeddingOutcome.Failed) outcome).error();
            errorType = error.getClass().getName();
            span.setAttribute(ERROR_TYPE, errorType);
            GenAiTelemetry.failed(span, error);
            telemetry.exception(span, context, error, end);
        }
        if (dimensions != null) {
            span.setAttribute(EMBEDDINGS_DIMENSION_COUNT, (long) dimensions);
        }
        Attributes attributes = metricAttributes.build();
        telemetry.metrics().duration(CallSpan.seconds(outcome.duration()),
                errorType == null ? attributes : attributes.toBuilder().put(ERROR_TYPE, errorType).build());
        telemetry.metrics().inputUsage(inputTokens, attributes, errorType);
        span.end(end); // last, as a chat call's: a finished span means the metrics are recorded
    }
}
