package dev.alfred.llm.spi;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.Usage;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The skeleton of a {@link ChatStream} for provider authors: it keeps the port's promises (one outcome,
 * empty parts dropped, tool calls finished only at the end of the answer, a failure after the first
 * part turned into a {@link StreamInterruptedException} holding the partial response, the aggregate
 * built by a {@link ResponseAccumulator}, close from any thread) so that a provider only reads its
 * wire format.
 *
 * <p>A subclass implements {@link #fetch()} and {@link #abort()}: {@code fetch} returns text,
 * reasoning, tool-call start and argument parts as it reads them, and reports metadata with
 * {@link #reportModel}, {@link #reportUsage}, {@link #reportFinishReason}, {@link #reportResponseId},
 * {@link #reportState} and {@link #warn}. When {@code fetch} says the answer ended, this class finishes
 * the open tool calls (judging their status) and hands out their {@link ChatDelta.ToolCallEnd} parts
 * before the stream completes. Not thread-safe except {@link #close()}: one reader at a time.
 */
public abstract class AbstractChatStream implements ChatStream {

    private final String providerId;
    private final ResponseAccumulator accumulator;
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final Iterator<ChatDelta> iterator = new DeltaIterator();
    private volatile boolean closed;
    private ChatDelta pending;
    private ArrayDeque<ChatDelta.ToolCallEnd> ends;
    private boolean done;
    private boolean delivered;
    private LlmException failure;
    private ChatResponse response;

    /**
     * Creates the skeleton with the default bounds on tool calls.
     *
     * @param providerId the provider's id, used in the exceptions this class throws
     */
    protected AbstractChatStream(String providerId) {
        this(providerId, new ResponseAccumulator(providerId, dev.alfred.llm.ResponseLimits.DEFAULT));
    }

    /**
     * Creates the skeleton with an accumulator of chosen bounds.
     *
     * @param providerId  the provider's id, used in the exceptions this class throws
     * @param accumulator a fresh accumulator for this stream
     * @throws NullPointerException if accumulator is null
     */
    protected AbstractChatStream(String providerId, ResponseAccumulator accumulator) {
        this.providerId = providerId;
        this.accumulator = Objects.requireNonNull(accumulator, "accumulator");
    }

    /**
     * Reads the next part, blocking until one is there. Called on the reading thread only.
     *
     * @return the next part, or null when the answer ended successfully
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
        accumulator.model(model);
    }

    /**
     * Records the provider's id of the response; the first one stays.
     *
     * @param id the id; null is ignored
     */
    protected final void reportResponseId(String id) {
        accumulator.id(id);
    }

    /**
     * Records the usage; a later report replaces an earlier one, so usage that arrives twice counts once.
     *
     * @param usage the usage; null is ignored
     */
    protected final void reportUsage(Usage usage) {
        accumulator.usage(usage);
    }

    /**
     * Records why the output ended.
     *
     * @param finishReason the reason; null is ignored
     */
    protected final void reportFinishReason(FinishReason finishReason) {
        accumulator.finishReason(finishReason, null);
    }

    /**
     * Records why the output ended, with the provider's own word for it.
     *
     * @param finishReason the reason; null is ignored
     * @param raw          the provider's value, or null
     */
    protected final void reportFinishReason(FinishReason finishReason, String raw) {
        accumulator.finishReason(finishReason, raw);
    }

    /**
     * Records provider state to pass back on the next turn.
     *
     * @param state the state; null is ignored
     */
    protected final void reportState(ProviderState state) {
        accumulator.state(state);
    }

    /**
     * Records a source cited for the text that follows (its span starts at the text folded so far).
     *
     * @param citation the citation
     */
    protected final void reportCitation(dev.alfred.llm.Citation citation) {
        accumulator.citation(citation);
    }

    /**
     * The length of the text handed out or queued so far: where a citation of the next text begins.
     *
     * @return the count of characters folded
     */
    protected final int reportedContentLength() {
        return accumulator.contentLength();
    }

    /**
     * Records a tool the server ran, or its result (a use with an earlier id replaces it).
     *
     * @param use the use
     */
    protected final void reportServerTool(dev.alfred.llm.ServerToolUse use) {
        accumulator.serverTool(use);
    }

    /**
     * The server tool of an id reported so far.
     *
     * @param id the use's id
     * @return the use, or null
     */
    protected final dev.alfred.llm.ServerToolUse reportedServerTool(String id) {
        return accumulator.serverTool(id);
    }

    /**
     * Keeps a field the provider does not model, as raw JSON, with a warning naming it.
     *
     * @param path where it was
     * @param json its value
     */
    protected final void reportProviderField(String path, String json) {
        accumulator.providerField(path, json);
    }

    /**
     * Adds a warning to the response (a setting ignored, a stream oddity repaired).
     *
     * @param warning the text
     */
    protected final void warn(String warning) {
        accumulator.warn(warning);
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
            if (ends == null) {
                ChatDelta next;
                do {
                    next = fetch();
                } while (next != null && isEmpty(next));
                if (next != null) {
                    accumulator.accept(next);
                    pending = next;
                    return true;
                }
                ends = new ArrayDeque<>(accumulator.endToolCalls());
            }
            pending = ends.poll();
            if (pending != null) {
                return true;
            }
            done = true;
            response = accumulator.response();
            release();
            return false;
        } catch (LlmException e) {
            throw fail(closed ? closedException() : e);
        } catch (RuntimeException e) {
            throw fail(closed ? closedException()
                    : new LlmException(providerId + ": stream failed unexpectedly: " + e, providerId, -1, null, false,
                    null, e));
        }
    }

    private static boolean isEmpty(ChatDelta d) {
        if (d instanceof ChatDelta.Text t) {
            return t.text().isEmpty();
        }
        if (d instanceof ChatDelta.Reasoning r) {
            return r.text().isEmpty();
        }
        if (d instanceof ChatDelta.Refusal r) {
            return r.text().isEmpty();
        }
        return d instanceof ChatDelta.ToolCallArguments a && a.fragment().isEmpty();
    }

    private LlmException closedException() {
        return new LlmException(providerId + ": stream was closed before it completed", providerId, -1, null, false,
                null, null);
    }

    private LlmException fail(LlmException e) {
        LlmException outcome = e;
        if (delivered && !(e instanceof StreamInterruptedException)) {
            outcome = new StreamInterruptedException(accumulator.partialResponse(), e);
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
            return delta;
        }
    }
}
