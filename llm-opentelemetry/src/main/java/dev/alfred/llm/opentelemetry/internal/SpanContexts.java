package dev.alfred.llm.opentelemetry.internal;

import dev.alfred.llm.observe.ListenerContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * What the call and run spans share as listener contexts: a span made current only when it records
 * something of its own, and an OpenTelemetry scope as a listener's. Stateless; thread-safe.
 */
final class SpanContexts {

    private SpanContexts() {
    }

    /**
     * The span's context, or none when the span records nothing new: an invalid span, or the no-op API's,
     * which is its parent's.
     *
     * @param span   the span
     * @param parent the context it was started in
     * @param self   the listener context that makes the span current
     * @return self, or {@link ListenerContext#NONE}
     */
    static ListenerContext ownOrNone(Span span, Context parent, ListenerContext self) {
        if (!span.getSpanContext().isValid() || span.getSpanContext().equals(Span.fromContext(parent).getSpanContext())) {
            return ListenerContext.NONE;
        }
        return self;
    }

    /**
     * Makes an OpenTelemetry context current until the returned scope is closed.
     *
     * @param context the context
     * @return the scope
     */
    static ListenerContext.Scope enter(Context context) {
        io.opentelemetry.context.Scope s = context.makeCurrent();
        return s::close;
    }
}
