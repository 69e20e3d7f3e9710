package dev.alfred.llm;

import dev.alfred.llm.observe.LlmListener;

import java.util.List;

/**
 * The port through which an application turns texts into vectors, whatever the server: a memory store
 * embeds what it keeps and what it is asked. Its own small interface; a provider module may implement
 * both it and {@link LlmProvider}. Get one from {@link LlmProviders#createEmbeddings} (found by id
 * through {@link java.util.ServiceLoader}, with the same decorators as chat) or from a provider's builder.
 *
 * <p>A call with more inputs than one server request may carry ({@link #limits()}) is split into batches,
 * sent with bounded concurrency and reassembled in input order; one failed batch fails the call with an
 * {@link EmbeddingBatchException} that names the inputs it covered. Implementations are thread-safe.
 */
public interface EmbeddingProvider extends AutoCloseable {

    /**
     * The id this provider is registered under, such as {@code openai}.
     *
     * @return the id
     */
    String id();

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
     * What one server request may carry and how many a call may have in flight. A decorator passes its
     * delegate's on. The default is {@link EmbeddingLimits#NONE}.
     *
     * @return the limits
     */
    default EmbeddingLimits limits() {
        return EmbeddingLimits.NONE;
    }

    /**
     * The limits a request is batched within: those of the model it names, which may differ from the default
     * model's (Voyage AI's token totals do). A decorator that batches (the retry decorator) asks this. The
     * default is {@link #limits()}.
     *
     * @param request the request
     * @return the limits for its model
     */
    default EmbeddingLimits limits(EmbeddingRequest request) {
        return limits();
    }

    /**
     * Whether this provider already retries failed batches (a retry decorator sits inside it). The default
     * is false.
     *
     * @return true when batches are retried inside
     */
    default boolean retries() {
        return false;
    }

    /**
     * Embeds the inputs and blocks until every vector is there. An interrupt of the calling thread cancels
     * the batches in flight and ends the call with an {@link LlmException}.
     *
     * @param request what to embed
     * @return one vector per input, in input order
     * @throws EmbeddingBatchException      when the call was split and one batch failed
     * @throws UnsupportedFeatureException if the server cannot do what the request asks (dimensions, say)
     * @throws LlmException                 when the provider fails; the subtype says how
     * @throws NullPointerException         if request is null
     */
    EmbeddingResponse embed(EmbeddingRequest request);

    /**
     * Embeds texts with the provider's defaults.
     *
     * @param texts the texts
     * @return one vector per text, in order
     * @throws IllegalArgumentException if texts is empty or holds an empty text
     * @throws LlmException             when the provider fails
     */
    default EmbeddingResponse embed(String... texts) {
        return embed(EmbeddingRequest.ofTexts(texts));
    }

    /**
     * This provider with listeners that hear each call's start and end (an OpenTelemetry listener makes an
     * {@code embeddings {model}} span of it). Timed with {@link System#nanoTime()}.
     *
     * @param listeners the listeners, in the order they are called
     * @return the listening provider, which closes this one when closed
     * @throws NullPointerException if a listener is null
     */
    default EmbeddingProvider withListeners(LlmListener... listeners) {
        return LlmListener.attach(this, List.of(listeners), System::nanoTime);
    }

    /** Releases what the provider holds (threads, connections). Calls after closing fail. */
    @Override
    default void close() {
    }
}
