package dev.alfred.llm;

import java.util.Iterator;

/**
 * A streamed answer, read by pulling: iterate the {@link ChatDelta}s as they arrive, then take the
 * aggregated {@link #response()}. Reading blocks the calling thread, which suits virtual threads.
 *
 * <p>Exactly one outcome: the stream either completes and {@link #response()} returns, or it fails
 * with one {@link LlmException}, thrown by {@code hasNext()}, {@code next()} or {@code response()} and
 * again by any later call. A failure after the first delta is a {@link StreamInterruptedException}
 * holding the partial output. {@link #close()} cancels the exchange at once, from any thread; a stream
 * is read by one thread at a time and iterated once ({@link #iterator()} returns the same live
 * iterator every time). Always close it, best with try-with-resources.
 */
public interface ChatStream extends Iterable<ChatDelta>, AutoCloseable {

    /**
     * The live iterator of this stream's deltas; every call returns the same one. Its {@code hasNext()}
     * blocks until a delta arrives or the stream ends.
     *
     * @return the iterator
     * @throws LlmException from {@code hasNext()} or {@code next()} when the stream fails or was closed
     */
    @Override
    Iterator<ChatDelta> iterator();

    /**
     * Reads the stream to its end, if it has not been read yet, and returns the whole answer: text,
     * reasoning, model, usage and finish reason.
     *
     * @return the aggregated response
     * @throws LlmException if the stream failed or was closed before its end
     */
    ChatResponse response();

    /**
     * Cancels the stream: the exchange is aborted and its connection freed. Safe from any thread, and
     * more than once; a reader blocked in {@code hasNext()} gets an {@link LlmException}.
     */
    @Override
    void close();
}
