package dev.alfred.llm.opentelemetry.internal;

import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.Usage;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.observe.CallOutcome;
import dev.alfred.llm.observe.ListenerContext;
import dev.alfred.llm.observe.LlmCall;
import dev.alfred.llm.observe.LlmListener;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.alfred.llm.opentelemetry.internal.GenAiNames.*;

/**
 * One call's span and metrics. The span starts when the call starts, as a child of the context current
 * then, with what a sampler may need (operation, provider, model, server); it is the call's
 * {@link ListenerContext}, so the listening layer makes it current while the call is sent, and an
 * instrumented HTTP client nests its spans under it and names it in the {@code traceparent}. Retries are
 * its events; each chunk after the first records its time per output chunk; the end sets what the
 * answer says (or how the call failed), ends the span and records the metrics, once. Created per call; its
 * events come one at a time (a close from another thread, or the cleaner, is the call's last).
 */
public final class CallSpan implements LlmListener, ListenerContext {

    private final GenAiTelemetry telemetry;
    private final Context parent;
    private Span span;
    private Context context;
    private Instant startedAt;
    private String providerName;
    /** The metric attributes known at the start: operation, provider, request model, server. */
    private Attributes startAttributes;

    /**
     * Takes the call's parent: the context current now, as the call starts.
     *
     * @param telemetry the instruments and settings
     */
    public CallSpan(GenAiTelemetry telemetry) {
        this.telemetry = telemetry;
        this.parent = Context.current();
    }

    /** Starts the span, with the attributes a sampler may need given at its creation (client-inference.md). */
    @Override
    public void onStart(LlmCall call) {
        providerName = providerName(call.providerId(), call.dialect());
        AttributesBuilder a = Attributes.builder()
                .put(OPERATION_NAME, call.operation())
                .put(PROVIDER_NAME, providerName);
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
        String model = call.requestModel();
        startedAt = Instant.now();
        SpanBuilder b = telemetry.tracer().spanBuilder(model == null ? call.operation() : call.operation() + " " + model)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(parent)
                .setStartTimestamp(startedAt)
                .setAllAttributes(startAttributes);
        if (call.streaming()) {
            b.setAttribute(REQUEST_STREAM, true); // conditionally required: set if and only if streaming
        }
        span = b.startSpan();
        context = parent.with(span);
    }

    /**
     * This span as the call's context, when it is one worth making current: a valid span that is not the
     * parent's own (the no-op API hands back the parent's span, or an invalid one).
     */
    @Override
    public ListenerContext callContext(LlmCall call) {
        return SpanContexts.ownOrNone(span, parent, this);
    }

    @Override
    public ListenerContext.Scope makeCurrent() {
        return SpanContexts.enter(context);
    }

    /** Each chunk after the first: its time since the previous one (gen-ai-metrics.md v1.41). */
    @Override
    public void onOutput(LlmCall call, long nanosSincePrevious) {
        telemetry.metrics().timePerOutputChunk(nanosSincePrevious / 1e9, startAttributes);
    }

    @Override
    public void onRetry(LlmCall call, int attempt, LlmException cause, Duration delay) {
        span.addEvent(RETRY_EVENT, Attributes.of(RETRY_ATTEMPT, (long) attempt, RETRY_DELAY, seconds(delay),
                ERROR_TYPE, cause.getClass().getName()));
    }

    @Override
    public void onEnd(LlmCall call, CallOutcome outcome) {
        Instant end = startedAt.plus(outcome.duration());
        ChatRequest r = call.request();
        setRequestAttributes(r);
        boolean latest = telemetry.latest();
        ChatResponse response = null;
        String errorType = null;
        if (outcome instanceof CallOutcome.Completed) {
            response = ((CallOutcome.Completed) outcome).response();
        } else if (outcome instanceof CallOutcome.Failed) {
            CallOutcome.Failed f = (CallOutcome.Failed) outcome;
            response = f.partial();
            errorType = f.error().getClass().getName();
            GenAiTelemetry.failed(span, f.error());
            telemetry.exception(span, context, f.error(), end);
        } else if (outcome instanceof CallOutcome.Abandoned) {
            // nobody chose to stop it: an error of the program that let the stream go (a leaked connection)
            errorType = ABANDONED;
            span.setStatus(StatusCode.ERROR, "the stream was abandoned: neither read to its end nor closed");
        }
        // a cancel (the caller closed the stream) is no error: no error.type, status unset (recording-errors.md)
        AttributesBuilder metricAttributes = startAttributes.toBuilder();
        Usage usage = null;
        String finish = null;
        if (response != null) {
            if (response.model() != null) {
                span.setAttribute(RESPONSE_MODEL, response.model());
                metricAttributes.put(RESPONSE_MODEL, response.model());
            }
            if (response.id() != null) {
                span.setAttribute(RESPONSE_ID, response.id());
            }
            finish = MessageContent.finishReason(response);
            usage = response.usage();
            if (usage != null) {
                span.setAttribute(USAGE_INPUT_TOKENS, usage.promptTokens());
                span.setAttribute(USAGE_OUTPUT_TOKENS, usage.completionTokens());
                if (usage.cachedTokens() > 0) {
                    span.setAttribute(USAGE_CACHE_READ_INPUT_TOKENS, usage.cachedTokens());
                }
                if (usage.cacheWriteTokens() > 0) {
                    span.setAttribute(latest ? USAGE_CACHE_WRITE_INPUT_TOKENS : USAGE_CACHE_CREATION_INPUT_TOKENS,
                            usage.cacheWriteTokens());
                }
                if (usage.reasoningTokens() > 0) {
                    span.setAttribute(USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningTokens());
                }
            }
            if (telemetry.captureContent() && outcome instanceof CallOutcome.Completed) {
                span.setAttribute(OUTPUT_MESSAGES, MessageContent.outputMessages(response));
            }
        }
        if (finish == null && latest && !(outcome instanceof CallOutcome.Completed)) {
            finish = FINISH_ERROR; // expected but not received: failed, cancelled, cut or abandoned (client-inference.md)
        }
        if (finish != null) {
            span.setAttribute(RESPONSE_FINISH_REASONS, List.of(finish));
        }
        Duration ttfc = outcome.timeToFirstOutput();
        if (ttfc != null) {
            span.setAttribute(RESPONSE_TIME_TO_FIRST_CHUNK, seconds(ttfc));
        }
        if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType);
        }
        Attributes attributes = metricAttributes.build();
        telemetry.metrics().duration(seconds(outcome.duration()),
                errorType == null ? attributes : attributes.toBuilder().put(ERROR_TYPE, errorType).build());
        telemetry.metrics().usage(usage, inputModality(r), attributes, errorType);
        if (call.streaming() && ttfc != null) {
            telemetry.metrics().timeToFirstChunk(seconds(ttfc), attributes);
        }
        // ended last, so that a finished span means the call's metrics are recorded too (the cleaner ends an
        // abandoned call on its own thread; whoever waits for the span sees everything)
        span.end(end);
    }

    /** The request's settings and, with content on, its messages and tools: set at the end, off the first chunk's path. */
    private void setRequestAttributes(ChatRequest r) {
        if (r.temperature() != null) {
            span.setAttribute(REQUEST_TEMPERATURE, r.temperature());
        }
        if (r.topP() != null) {
            span.setAttribute(REQUEST_TOP_P, r.topP());
        }
        if (r.maxTokens() != null) {
            span.setAttribute(REQUEST_MAX_TOKENS, (long) r.maxTokens());
        }
        if (!r.stop().isEmpty()) {
            span.setAttribute(REQUEST_STOP_SEQUENCES, r.stop());
        }
        if (r.responseFormat() != null && r.responseFormat().type() != ResponseFormat.Type.TEXT) {
            span.setAttribute(OUTPUT_TYPE, "json");
        }
        if (telemetry.captureContent()) {
            boolean apart = systemApart(providerName);
            if (apart) {
                String system = MessageContent.systemInstructions(r.messages());
                if (system != null) {
                    span.setAttribute(SYSTEM_INSTRUCTIONS, system);
                }
            }
            span.setAttribute(INPUT_MESSAGES, MessageContent.inputMessages(r.messages(), apart));
            String tools = MessageContent.toolDefinitions(r.tools());
            if (tools != null) {
                span.setAttribute(TOOL_DEFINITIONS, tools);
            }
        }
    }

    /** {@code text} for a request of text alone; {@code unknown} when it holds an image, as usage is not split. */
    static String inputModality(ChatRequest r) {
        for (ChatMessage m : r.messages()) {
            if (m instanceof UserMessage) {
                for (ContentPart p : ((UserMessage) m).parts()) {
                    if (!(p instanceof ContentPart.Text)) {
                        return MODALITY_UNKNOWN;
                    }
                }
            }
        }
        return MODALITY_TEXT;
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
