package dev.alfred.llm.observe;

import dev.alfred.llm.LlmException;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Hears what happens to model calls: when one starts, its first output (time to first token), each
 * retry, its end, and tools run by a tool loop. Every method has a no-op default, so a listener
 * implements only what it needs.
 *
 * <p>Register listeners on a provider with {@link LlmProvider#withListeners(LlmListener...)}, or let
 * {@link LlmProviders} find them: a listener registered with {@link java.util.ServiceLoader} under
 * {@code dev.alfred.llm.observe.LlmListener} hears every provider created through discovery, outside every
 * decorator, so one call with its retries is one start and one end.
 *
 * <p><b>Promises.</b> {@link #onEnd} is called exactly once per started call, with the outcome
 * completed, failed, cancelled, or abandoned (a stream that became unreachable while neither read to its
 * end nor closed: heard on a cleaner thread, some time after). A listener that throws is logged once
 * (then at debug level) and skipped for that event; it never breaks the call. Methods run on the
 * caller's thread: the one that calls {@code chat}, {@code stream}, reads the stream, or closes it (a
 * cancel from another thread is heard there). They sit on the call's path and must be fast; hand slow
 * work to another thread.
 *
 * <p><b>Contexts.</b> A listener that traces may give a call a {@link ListenerContext} ({@link
 * #callContext}), which the layer makes current on the thread while it sends the call and reads its
 * stream up to its first part (the reads that send: a provider sends on the first read, a retry decorator
 * sends again only until the first part), so that an instrumented HTTP client nests under it and names it
 * in the {@code traceparent} it sends. {@link #captureContext()} carries the caller's context to the
 * thread that runs {@code chatAsync} or opens a {@code publisher}'s stream; {@link #onRunStart} gives a
 * tool loop run its own.
 *
 * <p><b>State per call.</b> {@link #forCall(LlmCall)} is asked once at the start of each call; a listener
 * that keeps state per call (a span, a timer) returns a fresh object there, which then hears that
 * call's events. Implementations must be thread-safe: calls run concurrently.
 */
public interface LlmListener {

    /** A listener that does nothing. */
    LlmListener NONE = new LlmListener() {
    };

    /**
     * The listener that hears one call's events, asked once when the call starts, before
     * {@link #onStart}. The default is this listener itself.
     *
     * @param call the call that starts
     * @return the listener for this call; null counts as this listener
     */
    default LlmListener forCall(LlmCall call) {
        return this;
    }

    /**
     * A call starts: nothing is sent yet.
     *
     * @param call the call
     */
    default void onStart(LlmCall call) {
    }

    /**
     * The context this listener keeps for the call, such as its span, asked once just after
     * {@link #onStart}: the layer makes it current on the thread around the provider's {@code chat} and
     * {@code stream}, and around each read of the stream until its first part has been handed out (the
     * reads that send). The default, {@link ListenerContext#NONE}, costs the call nothing.
     *
     * @param call the call
     * @return the context; null counts as {@link ListenerContext#NONE}
     */
    default ListenerContext callContext(LlmCall call) {
        return ListenerContext.NONE;
    }

    /**
     * A stream handed out its first part (text, reasoning or a tool call), the time to first token.
     * Streams only; at most once per call.
     *
     * @param call              the call
     * @param timeToFirstOutput from the start of the call to its first part
     */
    default void onFirstOutput(LlmCall call, Duration timeToFirstOutput) {
    }

    /**
     * A stream handed out another part after its first: once per part, with the time since the previous
     * one was handed out (the time per output chunk). A long rather than a {@link Duration}, so that
     * hearing each part allocates nothing. Streams only.
     *
     * @param call               the call
     * @param nanosSincePrevious nanoseconds from the previous part to this one, never negative
     */
    default void onOutput(LlmCall call, long nanosSincePrevious) {
    }

    /**
     * An attempt failed and the retry decorator will try again after a wait. Fired by {@code llm-retry}
     * when it sits inside the listening layer.
     *
     * @param call    the call
     * @param attempt the number of the attempt that failed, from 1
     * @param cause   why it failed
     * @param delay   the wait before the next attempt
     */
    default void onRetry(LlmCall call, int attempt, LlmException cause, Duration delay) {
    }

    /**
     * A call ended, exactly once: completed, failed, cancelled or abandoned.
     *
     * @param call    the call
     * @param outcome how it ended, with its timing
     */
    default void onEnd(LlmCall call, CallOutcome outcome) {
    }

    /**
     * A tool loop ran a tool (fired by {@code llm-tools} through {@link LlmProvider#listener()}). Not tied
     * to a model call, so it reaches the registered listener, never one returned by {@link #forCall}.
     *
     * @param execution what ran, how long, and how it failed if it did
     */
    default void onToolExecuted(ToolExecution execution) {
    }

    /**
     * The context of the calling thread, to be made current on another thread that works for it: asked
     * by {@link LlmProvider#chatAsync} and {@link LlmProvider#publisher} on the caller's thread, so that
     * the call they run elsewhere is a child of the caller's span, and by a tool loop before it hands a
     * tool to a tool thread. Not tied to a call, so it is asked of the registered listener. The default is
     * {@link ListenerContext#NONE}.
     *
     * @return the context; null counts as {@link ListenerContext#NONE}
     */
    default ListenerContext captureContext() {
        return ListenerContext.NONE;
    }

    /**
     * A tool loop starts a run over this provider (fired by {@code llm-tools} through
     * {@link LlmProvider#listener()}, on the thread that reads the run): the returned listener gives the
     * run its context and hears its end. Not tied to a call, so it is asked of the registered listener.
     * The default is {@link RunListener#NONE}.
     *
     * @param run the run
     * @return the run's listener; null counts as {@link RunListener#NONE}
     */
    default RunListener onRunStart(AgentRun run) {
        return RunListener.NONE;
    }

    /**
     * An embeddings call starts. The listener returned hears its end and gives the context made current
     * while it is sent. The default is {@link EmbeddingListener#NONE}.
     *
     * @param call the call
     * @return the call's listener
     */
    default EmbeddingListener onEmbeddingStart(EmbeddingCall call) {
        return EmbeddingListener.NONE;
    }

    /**
     * An embedding provider whose calls these listeners hear ({@link #onEmbeddingStart}); with no listeners,
     * the provider itself. Listeners on an already listening provider join its layer.
     *
     * @param provider  the provider
     * @param listeners the listeners
     * @param ticker    the nanosecond ticker that times calls
     * @return the listening provider
     * @throws NullPointerException if an argument or a listener is null
     */
    static EmbeddingProvider attach(EmbeddingProvider provider, List<? extends LlmListener> listeners,
                                    LongSupplier ticker) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(ticker, "ticker");
        List<LlmListener> copy = List.copyOf(listeners);
        if (copy.isEmpty()) {
            return provider;
        }
        return ListeningEmbeddingProvider.wrap(provider, copy, ticker);
    }

    /**
     * Wraps a provider so that these listeners hear its calls, timing them with the given ticker. A
     * provider already wrapped this way gains the listeners on the same layer, so retries are heard by
     * all of them. {@link LlmProvider#withListeners(LlmListener...)} is this with {@link System#nanoTime()}.
     *
     * @param provider  the provider
     * @param listeners the listeners, in the order they are called
     * @param ticker    a monotonic clock in nanoseconds, such as {@code System::nanoTime}
     * @return the listening provider; the provider itself when there are no listeners
     * @throws NullPointerException if an argument or a listener is null
     */
    static LlmProvider attach(LlmProvider provider, List<? extends LlmListener> listeners, LongSupplier ticker) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(ticker, "ticker");
        List<LlmListener> copy = List.copyOf(listeners);
        if (copy.isEmpty()) {
            return provider;
        }
        return ListeningProvider.wrap(provider, copy, ticker);
    }
}
