package dev.alfred.llm.opentelemetry.internal;

import dev.alfred.llm.observe.CallOutcome;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.alfred.llm.opentelemetry.internal.GenAiNames.*;

/**
 * One call's span and metrics. Nothing is built while the call runs, so the call's path to its first
 * chunk pays for no span: at the end the span is built whole, as a child of the context that was current
 * when the call started, with its start set its duration before its end; retries seen meanwhile become
 * its events, at the time they happened. Then the metrics are recorded. Created per call; its events come
 * one at a time (a close from another thread is the call's last).
 */
public final class CallSpan implements LlmListener {

    private final Tracer tracer;
    private final GenAiMetrics metrics;
    private final boolean captureContent;
    private final Context parent;
    private List<Retry> retries;

    /** A retry, kept until the span is built. */
    private static final class Retry {
        final Instant at;
        final int attempt;
        final Duration delay;
        final String errorType;

        Retry(Instant at, int attempt, Duration delay, String errorType) {
            this.at = at;
            this.attempt = attempt;
            this.delay = delay;
            this.errorType = errorType;
        }
    }

    /**
     * Takes a call's parent context; the span is built when the call ends.
     *
     * @param tracer         the tracer
     * @param metrics        the metrics
     * @param captureContent whether to record the messages
     */
    public CallSpan(Tracer tracer, GenAiMetrics metrics, boolean captureContent) {
        this.tracer = tracer;
        this.metrics = metrics;
        this.captureContent = captureContent;
        this.parent = Context.current();
    }

    /**
     * What a call's span and its metrics share: operation, provider, request model and server (the
     * conventions' metric attributes, less the response model and {@code error.type}).
     */
    private static AttributesBuilder callAttributes(LlmCall call) {
        AttributesBuilder a = Attributes.builder()
                .put(OPERATION_NAME, call.operation())
                .put(PROVIDER_NAME, providerName(call.providerId()));
        if (call.requestModel() != null) {
            a.put(REQUEST_MODEL, call.requestModel());
        }
        if (call.serverAddress() != null) {
            a.put(SERVER_ADDRESS, call.serverAddress());
            if (call.serverPort() >= 0) {
                a.put(SERVER_PORT, (long) call.serverPort());
            }
        }
        return a;
    }

    /** The span as the call's start describes it: name, kind, parent, the call's and the request's attributes. */
    private SpanBuilder startOf(LlmCall call, Attributes shared) {
        String model = call.requestModel();
        SpanBuilder b = tracer.spanBuilder(model == null ? call.operation() : call.operation() + " " + model)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setAllAttributes(shared)
                .setAttribute(REQUEST_STREAM, call.streaming());
        ChatRequest r = call.request();
        if (r.temperature() != null) {
            b.setAttribute(REQUEST_TEMPERATURE, r.temperature());
        }
        if (r.topP() != null) {
            b.setAttribute(REQUEST_TOP_P, r.topP());
        }
        if (r.maxTokens() != null) {
            b.setAttribute(REQUEST_MAX_TOKENS, (long) r.maxTokens());
        }
        if (!r.stop().isEmpty()) {
            b.setAttribute(REQUEST_STOP_SEQUENCES, r.stop());
        }
        if (r.responseFormat() != null && r.responseFormat().type() != ResponseFormat.Type.TEXT) {
            b.setAttribute(OUTPUT_TYPE, "json");
        }
        if (captureContent) {
            String system = MessageContent.systemInstructions(r.messages());
            if (system != null) {
                b.setAttribute(SYSTEM_INSTRUCTIONS, system);
            }
            b.setAttribute(INPUT_MESSAGES, MessageContent.inputMessages(r.messages()));
        }
        return b;
    }

    @Override
    public void onRetry(LlmCall call, int attempt, LlmException cause, Duration delay) {
        if (retries == null) {
            retries = new ArrayList<>(2);
        }
        retries.add(new Retry(Instant.now(), attempt, delay, cause.getClass().getName()));
    }

    @Override
    public void onEnd(LlmCall call, CallOutcome outcome) {
        Instant end = Instant.now();
        Attributes shared = callAttributes(call).build();
        Span span = startOf(call, shared).setStartTimestamp(end.minus(outcome.duration())).startSpan();
        if (retries != null) {
            for (Retry r : retries) {
                span.addEvent(RETRY_EVENT, Attributes.of(RETRY_ATTEMPT, (long) r.attempt, RETRY_DELAY, seconds(r.delay),
                        ERROR_TYPE, r.errorType), r.at);
            }
        }
        ChatResponse response = null;
        String errorType = null;
        if (outcome instanceof CallOutcome.Completed) {
            response = ((CallOutcome.Completed) outcome).response();
        } else if (outcome instanceof CallOutcome.Failed) {
            CallOutcome.Failed f = (CallOutcome.Failed) outcome;
            response = f.partial();
            errorType = f.error().getClass().getName();
            span.setStatus(StatusCode.ERROR, String.valueOf(f.error().getMessage()));
            span.recordException(f.error());
        } else {
            errorType = CANCELLED; // the caller's choice: error.type says so, the status stays unset
        }
        AttributesBuilder metricAttributes = shared.toBuilder();
        Usage usage = null;
        if (response != null) {
            if (response.model() != null) {
                span.setAttribute(RESPONSE_MODEL, response.model());
                metricAttributes.put(RESPONSE_MODEL, response.model());
            }
            if (response.id() != null) {
                span.setAttribute(RESPONSE_ID, response.id());
            }
            String finish = MessageContent.finishReason(response);
            if (finish != null) {
                span.setAttribute(RESPONSE_FINISH_REASONS, List.of(finish));
            }
            usage = response.usage();
            if (usage != null) {
                span.setAttribute(USAGE_INPUT_TOKENS, usage.promptTokens());
                span.setAttribute(USAGE_OUTPUT_TOKENS, usage.completionTokens());
                if (usage.cachedTokens() > 0) {
                    span.setAttribute(USAGE_CACHE_READ_INPUT_TOKENS, usage.cachedTokens());
                }
                if (usage.cacheWriteTokens() > 0) {
                    span.setAttribute(metrics.latest() ? USAGE_CACHE_WRITE_INPUT_TOKENS : USAGE_CACHE_CREATION_INPUT_TOKENS,
                            usage.cacheWriteTokens());
                }
                if (usage.reasoningTokens() > 0) {
                    span.setAttribute(USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens());
                }
            }
            if (captureContent && outcome instanceof CallOutcome.Completed) {
                span.setAttribute(OUTPUT_MESSAGES, MessageContent.outputMessages(response));
            }
        }
        Duration ttfc = outcome.timeToFirstOutput();
        if (ttfc != null) {
            span.setAttribute(RESPONSE_TIME_TO_FIRST_CHUNK, seconds(ttfc));
        }
        if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType);
        }
        span.end(end);

        Attributes attributes = metricAttributes.build();
        metrics.duration(seconds(outcome.duration()),
                errorType == null ? attributes : attributes.toBuilder().put(ERROR_TYPE, errorType).build());
        if (usage != null) {
            metrics.usage(usage, attributes);
        }
        if (call.streaming() && ttfc != null) {
            metrics.timeToFirstChunk(seconds(ttfc), attributes);
            if (outcome instanceof CallOutcome.Completed && outcome.outputChunks() > 1) {
                Duration afterFirst = outcome.duration().minus(ttfc);
                metrics.timePerOutputChunk(seconds(afterFirst) / (outcome.outputChunks() - 1), attributes);
            }
        }
    }

    /**
     * A duration in seconds, as the conventions measure time.
     *
     * @param d the duration
     * @return the seconds, fractions included
     */
    public static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
