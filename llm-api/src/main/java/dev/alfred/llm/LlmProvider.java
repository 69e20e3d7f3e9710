package dev.alfred.llm;

import dev.alfred.llm.config.ProviderConfig;

import dev.alfred.llm.observe.LlmListener;

import dev.alfred.llm.internal.PullPublisher;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * The port through which an application talks to a large language model, whatever the provider.
 * Get one from {@link LlmProviders#create(String, ProviderConfig)} or from a provider's own builder.
 * Implementations are thread-safe: one instance serves many concurrent calls.
 */
public interface LlmProvider extends AutoCloseable {

    /**
     * The id this provider is registered under, such as {@code kimi}.
     *
     * @return the id
     */
    String id();

    /**
     * What this provider can do. A request that needs more is refused with an
     * {@link UnsupportedFeatureException} by {@link #chat} and {@link #stream} before anything is sent.
     * The default is {@link Capabilities#TEXT_ONLY}.
     *
     * @return the capabilities
     */
    default Capabilities capabilities() {
        return Capabilities.TEXT_ONLY;
    }

    /**
     * Where this provider sends requests and its default model, for observability. A decorator passes its
     * delegate's on. The default is {@link ProviderEndpoint#UNKNOWN}.
     *
     * @return the endpoint
     */
    default ProviderEndpoint endpoint() {
        return ProviderEndpoint.UNKNOWN;
    }

    /**
     * The hook through which a tool loop reports the tools it ran to this provider's listeners
     * ({@link LlmListener#onToolExecuted}); it never throws. A decorator passes its delegate's on. The
     * default, for a provider without listeners, is {@link LlmListener#NONE}.
     *
     * @return the hook
     */
    default LlmListener listener() {
        return LlmListener.NONE;
    }

    /**
     * Whether this provider already retries failed calls: a retry decorator sits inside it (providers from
     * {@link LlmProviders} come wrapped in one when {@code llm-retry} is on the class path). A decorator
     * passes its delegate's answer on; a retry decorator says true, so that wrapping twice, which would
     * multiply the attempts, can be avoided. The default is false.
     *
     * @return true when calls are retried inside
     */
    default boolean retries() {
        return false;
    }

    /**
     * This provider with listeners that hear its calls: start, first output, retries (from a retry
     * decorator inside), and end, exactly once per call. Calls on a provider already listened to reach
     * the old and the new listeners, on one layer. Timed with {@link System#nanoTime()}; see
     * {@link LlmListener#attach} for another ticker.
     *
     * @param listeners the listeners, in the order they are called
     * @return the listening provider, which closes this one when closed
     * @throws NullPointerException if a listener is null
     */
    default LlmProvider withListeners(LlmListener... listeners) {
        return LlmListener.attach(this, List.of(listeners), System::nanoTime);
    }

    /**
     * Counts a request's input tokens as this provider would send it: its server's count endpoint, its
     * models' tokenizer, or, by default, {@link TokenCounter#estimate()} (which says it is one). A decorator
     * passes its delegate's on.
     *
     * @return the counter
     */
    default TokenCounter tokenCounter() {
        return TokenCounter.estimate();
    }

    /**
     * The models this provider's server offers, with each one's context window and features where the
     * server reports them, else from the provider's dated built-in table or configuration
     * ({@link ModelInfo#origin()}). A decorator passes its delegate's on.
     *
     * @return the models, in the server's order
     * @throws UnsupportedFeatureException if the provider has no catalogue ({@link Capabilities.Feature#MODEL_CATALOGUE});
     *                                     the default
     * @throws LlmException                when the server fails
     */
    default List<ModelInfo> models() {
        throw new UnsupportedFeatureException(id() + " has no model catalogue", id(),
                Capabilities.Feature.MODEL_CATALOGUE);
    }

    /**
     * Sends a request and blocks until the whole answer is there.
     *
     * @param request what to ask
     * @return the answer
     * @throws LlmException         when the provider fails; the subtype says how (an
     *                              {@link UnsupportedFeatureException} before anything is sent when the request
     *                              needs what {@link #capabilities()} lacks)
     * @throws NullPointerException if request is null
     */
    ChatResponse chat(ChatRequest request);

    /**
     * Returns at once with a stream of the request's answer. The exchange starts at the latest when the
     * stream is first read (a provider may send on that thread, which is cheapest); failures, HTTP errors
     * included, surface while reading the stream.
     *
     * @param request what to ask
     * @return the stream, which the caller must close
     * @throws LlmException         if the request cannot even be sent: the provider is closed, or the request
     *                              needs what {@link #capabilities()} lacks ({@link UnsupportedFeatureException})
     *                              or breaks a rule of the provider ({@link InvalidRequestException}); a
     *                              provider may also report these on the first read instead
     * @throws NullPointerException if request is null
     */
    ChatStream stream(ChatRequest request);

    /**
     * {@link #chat(ChatRequest)} on the given executor. Cancelling the future does not abort the call;
     * use {@link #stream(ChatRequest)} for cancellable work.
     *
     * @param request  what to ask
     * @param executor where to block; it must allow blocking calls
     * @return a future of the answer, failed with the {@link LlmException} when the call fails
     * @throws NullPointerException if an argument is null
     */
    default CompletableFuture<ChatResponse> chatAsync(ChatRequest request, Executor executor) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(executor, "executor");
        return CompletableFuture.supplyAsync(() -> chat(request), executor);
    }

    /**
     * A cold {@link Flow.Publisher} of the request's deltas: each subscription opens its own stream
     * when demand first arrives, reads only as far as the subscriber's demand, and closes the stream
     * on cancel. The stream is read on the executor, which must allow blocking calls.
     *
     * @param request  what to ask
     * @param executor where to read the stream
     * @return the publisher; it signals the {@link LlmException} of a failed stream with
     *         {@code onError}
     * @throws NullPointerException if an argument is null
     */
    default Flow.Publisher<ChatDelta> publisher(ChatRequest request, Executor executor) {
        Objects.requireNonNull(request, "request");
        return new PullPublisher<ChatDelta, ChatStream>(() -> stream(request), executor);
    }

    /**
     * Releases what the provider holds (threads, connections). Calls after closing fail. The default
     * does nothing.
     */
    @Override
    default void close() {
    }
}
