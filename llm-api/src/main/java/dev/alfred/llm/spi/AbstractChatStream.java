package dev.alfred.llm.spi;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.Usage;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The skeleton of a {@link ChatStream} for provider authors: it keeps the port's promises (one outcome,
 * empty deltas dropped, a failure after the first delta turned into a {@link StreamInterruptedException},
 * the aggregate built, close from any thread) so that a provider only reads its wire format.
 *
 * <p>A subclass implements {@link #fetch()} and {@link #abort()}, and reports metadata as it reads it
 * with {@link #reportModel}, {@link #reportUsage} and {@link #reportFinishReason}.
 */
public abstract class AbstractChatStream implements ChatStream {

    private final String providerId;
    private final StringBuilder content = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final Iterator<ChatDelta> iterator = new DeltaIterator();
    private volatile boolean closed;
    private ChatDelta pending;
    private boolean done;
    private boolean delivered;
    private LlmException failure;
    private ChatResponse response;
    private String model;
    private Usage usage;
    private FinishReason finishReason;

    /**
     * Creates the skeleton.
     *
     * @param providerId the provider's id, used in the exceptions this class throws
     */
    protected AbstractChatStream(String providerId) {
        this.providerId = providerId;
    }

    /**
     * Reads the next delta, blocking until one is there. Called on the reading thread only.
     *
     * @return the next delta, or null when the stream ended successfully
     * @throws LlmException when the stream fails
     */
    protected abstract ChatDelta fetch();

    /**
     * Aborts the exchange and frees its resources. Called at most once, from any thread (also while
     * {@link #fetch()} is blocked on another), after success, failure or {@link #close()}.
     */
    protected abstract void abort();

    /**
     * Records the model that answered, as the provider named it.
     *
     * @param model the model id; null or blank is ignored
     */
    protected final void reportModel(String model) {
        if (model != null && !model.isBlank()) {
            this.model = model;
        }
    }

    /**
     * Records the usage; a later report replaces an earlier one, so usage that arrives twice counts once.
     *
     * @param usage the usage; null is ignored
     */
    protected final void reportUsage(Usage usage) {
        if (usage != null) {
            this.usage = usage;
        }
    }

    /**
     * Records why the output ended.
     *
     * @param finishReason the reason; null is ignored
     */
    protected final void reportFinishReason(FinishReason finishReason) {
        if (finishReason != null) {
            this.finishReason = finishReason;
        }
    }

    /**
     * Whether {@link #close()} was called; a subclass may check it to tell a cancellation from a failure.
     *
     * @return true once closed
     */
    protected final boolean isClosed() {
        return closed;
    }

    @Override
    public final Iterator<ChatDelta> iterator() {
        return iterator;
    }

    @Override
    public final ChatResponse response() {
        while (iterator.hasNext()) {
            iterator.next();
        }
        return response;
    }

    @Override
    public final void close() {
        closed = true;
        release();
    }

    private void release() {
        if (aborted.compareAndSet(false, true)) {
            abort();
        }
    }

    private boolean advance() {
        if (pending != null) {
            return true;
        }
        if (failure != null) {
            throw failure;
        }
        if (done) {
            return false;
        }
        if (closed) {
            throw fail(closedException());
        }
        try {
            ChatDelta next;
            do {
                next = fetch();
            } while (next != null && next.text().isEmpty());
            if (next == null) {
                done = true;
                response = new ChatResponse(content.toString(), reasoning.toString(), model, usage, finishReason);
                release();
                return false;
            }
            pending = next;
            return true;
        } catch (LlmException e) {
            throw fail(closed ? closedException() : e);
        } catch (RuntimeException e) {
            throw fail(closed ? closedException()
                    : new LlmException(providerId + ": stream failed unexpectedly: " + e, providerId, -1, null, false,
                    null, e));
        }
    }

    private LlmException closedException() {
        return new LlmException(providerId + ": stream was closed before it completed", providerId, -1, null, false,
                null, null);
    }

    private LlmException fail(LlmException e) {
        LlmException outcome = e;
        if (delivered && !(e instanceof StreamInterruptedException)) {
            outcome = new StreamInterruptedException(content.toString(), reasoning.toString(), e);
        }
        failure = outcome;
        release();
        return outcome;
    }

    private final class DeltaIterator implements Iterator<ChatDelta> {
        @Override
        public boolean hasNext() {
            return advance();
        }

        @Override
        public ChatDelta next() {
            if (!advance()) {
                throw new NoSuchElementException("the stream has ended");
            }
            ChatDelta delta = pending;
            pending = null;
            delivered = true;
            (delta.isReasoning() ? reasoning : content).append(delta.text());
            return delta;
        }
    }
}
