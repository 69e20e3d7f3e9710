package dev.alfred.llm.opentelemetry.internal;

import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.Usage;
import dev.alfred.llm.observe.AgentRun;
import dev.alfred.llm.observe.ListenerContext;
import dev.alfred.llm.observe.RunListener;
import dev.alfred.llm.observe.RunOutcome;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;

import java.util.List;

import static dev.alfred.llm.opentelemetry.internal.GenAiNames.*;

/**
 * One tool loop run as an {@code invoke_agent} INTERNAL span (gen-ai-agent-spans.md v1.41, "Invoke agent
 * internal span": an agent in the same process), started when the run starts as a child of the context
 * current then. It is the run's {@link ListenerContext}: the tool loop makes it current while it works,
 * so the run's {@code chat} spans and {@code execute_tool} spans are its children, one trace per run. Its
 * end sets the tokens of all rounds, the final answer's finish reason and, on failure, {@code error.type}
 * and the status; with content on, the tools, the first request's messages and the final answer.
 */
public final class RunSpan implements RunListener, ListenerContext {

    private final GenAiTelemetry telemetry;
    private final Context parent;
    private final Span span;
    private final Context context;

    /**
     * Starts the run's span.
     *
     * @param telemetry the instruments and settings
     * @param run       the run
     */
    public RunSpan(GenAiTelemetry telemetry, AgentRun run) {
        this.telemetry = telemetry;
        this.parent = Context.current();
        String providerName = providerName(run.providerId(), run.endpoint().dialect());
        SpanBuilder b = telemetry.tracer()
                .spanBuilder(run.agentName() == null ? INVOKE_AGENT : INVOKE_AGENT + " " + run.agentName())
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(parent)
                .setAttribute(OPERATION_NAME, INVOKE_AGENT);
        if (!telemetry.latest()) {
            b.setAttribute(PROVIDER_NAME, providerName); // required in v1.41; removed from this span since (migration.md)
        }
        if (run.agentName() != null) {
            b.setAttribute(AGENT_NAME, run.agentName());
        }
        if (run.requestModel() != null) {
            b.setAttribute(REQUEST_MODEL, run.requestModel());
        }
        if (telemetry.captureContent()) {
            String tools = MessageContent.toolDefinitions(run.request().tools());
            if (tools != null) {
                b.setAttribute(TOOL_DEFINITIONS, tools);
            }
            boolean apart = systemApart(providerName);
            if (apart) {
                String system = MessageContent.systemInstructions(run.request().messages());
                if (system != null) {
                    b.setAttribute(SYSTEM_INSTRUCTIONS, system);
                }
            }
            b.setAttribute(INPUT_MESSAGES, MessageContent.inputMessages(run.request().messages(), apart));
        }
        this.span = b.startSpan();
        this.context = parent.with(span);
    }

    /** This span, when it is one worth making current (see {@link CallSpan#callContext}). */
    @Override
    public ListenerContext context() {
        return SpanContexts.ownOrNone(span, parent, this);
    }

    @Override
    public ListenerContext.Scope makeCurrent() {
        return SpanContexts.enter(context);
    }

    @Override
    public void onEnd(RunOutcome outcome) {
        Usage usage = outcome.usage();
        span.setAttribute(USAGE_INPUT_TOKENS, usage.promptTokens());
        span.setAttribute(USAGE_OUTPUT_TOKENS, usage.completionTokens());
        if (!telemetry.latest()) { // removed from this span since v1.41 (migration.md)
            if (usage.cachedTokens() > 0) {
                span.setAttribute(USAGE_CACHE_READ_INPUT_TOKENS, usage.cachedTokens());
            }
            if (usage.cacheWriteTokens() > 0) {
                span.setAttribute(USAGE_CACHE_CREATION_INPUT_TOKENS, usage.cacheWriteTokens());
            }
        }
        if (outcome instanceof RunOutcome.Completed) {
            ChatResponse answer = ((RunOutcome.Completed) outcome).response();
            String finish = MessageContent.finishReason(answer);
            if (finish != null) {
                span.setAttribute(RESPONSE_FINISH_REASONS, List.of(finish));
            }
            if (telemetry.captureContent()) {
                span.setAttribute(OUTPUT_MESSAGES, MessageContent.outputMessages(answer));
            }
        } else if (outcome instanceof RunOutcome.Failed) {
            Throwable error = ((RunOutcome.Failed) outcome).error();
            span.setAttribute(ERROR_TYPE, error.getClass().getName());
            GenAiTelemetry.failed(span, error); // its exception is recorded once, where it was thrown
        }
        // a cancelled run (closed by its caller) is no error, as a cancelled call is none
        span.end();
    }
}
