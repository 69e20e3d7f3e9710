package dev.alfred.llm.observe;

/**
 * What a listener keeps for one embeddings call ({@link LlmListener#onEmbeddingStart}): a context made
 * current while the call is sent (so that an OpenTelemetry span parents the HTTP calls), and the call's end,
 * heard once. Called on the calling thread.
 */
public interface EmbeddingListener {

    /** An embedding listener that hears nothing and has no context. */
    EmbeddingListener NONE = new EmbeddingListener() {
    };

    /**
     * The context to make current while the call is sent. The default is {@link ListenerContext#NONE}.
     *
     * @return the context
     */
    default ListenerContext context() {
        return ListenerContext.NONE;
    }

    /**
     * The call ended.
     *
     * @param outcome how
     */
    default void onEnd(EmbeddingOutcome outcome) {
    }
}
