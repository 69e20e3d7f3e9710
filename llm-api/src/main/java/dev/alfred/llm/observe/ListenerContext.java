package dev.alfred.llm.observe;

/**
 * Something a listener makes current on a thread for a while, such as a tracing context: a call's span
 * while the listening layer sends the call and reads its stream, so that what runs there (an HTTP
 * client's instrumentation, which names the span in the {@code traceparent} it sends; a log appender)
 * sees it; a tool loop run's span while the loop works; or the context of the thread that asked for work
 * to be done on another ({@link dev.alfred.llm.LlmProvider#chatAsync chatAsync},
 * {@link dev.alfred.llm.LlmProvider#publisher publisher}, a tool loop's tools). The library knows no
 * tracing system: this interface is the whole contract, so that {@code llm-api} needs none.
 *
 * <pre>{@code
 * ListenerContext context = () -> { io.opentelemetry.context.Scope s = otelContext.makeCurrent(); return s::close; };
 * }</pre>
 *
 * <p>Implementations are thread-safe: a context may be made current on several threads, one scope each.
 */
@FunctionalInterface
public interface ListenerContext {

    /** A context that changes nothing: what a listener without one returns. */
    ListenerContext NONE = () -> Scope.NONE;

    /**
     * Makes this context current on the calling thread until the returned scope is closed. Scopes are
     * closed on the thread that opened them, the last opened first.
     *
     * @return the scope, which restores what was current before; never null
     */
    Scope makeCurrent();

    /**
     * The time a {@link ListenerContext} is current: closing it restores what was current before, on
     * the thread that opened it.
     */
    @FunctionalInterface
    interface Scope extends AutoCloseable {

        /** A scope that restores nothing: what a context that changed nothing returns. */
        Scope NONE = () -> {
        };

        /** Restores what was current before; never throws. */
        @Override
        void close();
    }
}
