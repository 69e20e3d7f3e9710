package dev.alfred.llm.retry.internal;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.spi.AbstractChatStream;

import java.time.Duration;
import java.util.Iterator;

/**
 * A stream retried only until its first delta reaches the caller: a failure before that closes the
 * failed attempt and opens the next one, so the caller sees one clean stream; a failure after it ends
 * the stream (as a stream-interrupted failure with the partial output), never a duplicated or
 * restarted answer. Closing it closes the attempt under way and wakes a reader waiting to retry.
 */
public final class RetryingChatStream extends AbstractChatStream {

    private final LlmProvider delegate;
    private final ChatRequest request;
    private final RetryRules policy;
    private final Attempts attempts;
    private final Object lock = new Object();
    private volatile ChatStream current;
    private Iterator<ChatDelta> deltas;
    private boolean delivered;
    private volatile boolean aborted;
    private Thread waiting;

    /**
     * Opens the first attempt at once.
     *
     * @param delegate the provider to retry
     * @param request  the request
     * @param policy   the rules
     */
    public RetryingChatStream(LlmProvider delegate, ChatRequest request, RetryRules policy) {
        // The delegate's own stream enforces the bounds on tool calls; this one only passes its parts on.
        super(delegate.id(), new ResponseAccumulator(delegate.id(), dev.alfred.llm.ResponseLimits.NONE));
        this.delegate = delegate;
        this.request = request;
        this.policy = policy;
        this.attempts = new Attempts(policy, delegate.id());
        this.current = delegate.stream(request);
        this.deltas = current.iterator();
    }

    @Override
    protected ChatDelta fetch() {
        while (true) {
            try {
                if (current == null) {
                    current = delegate.stream(request);
                    deltas = current.iterator();
                    if (aborted) {
                        current.close();
                    }
                }
                if (deltas.hasNext()) {
                    ChatDelta d = deltas.next();
                    delivered = true;
                    return d;
                }
                ChatResponse r = current.response();
                reportResponseId(r.id());
                reportModel(r.model());
                reportUsage(r.usage());
                reportFinishReason(r.finishReason(), r.rawFinishReason());
                reportState(r.state());
                r.citations().forEach(this::reportCitation);
                r.serverTools().forEach(this::reportServerTool);
                r.providerFields().forEach(this::reportProviderField);
                r.warnings().forEach(this::warn);
                attempts.onSuccess();
                return null;
            } catch (LlmException e) {
                if (delivered || aborted) {
                    throw e;
                }
                ChatStream failed = current;
                current = null;
                failed.close();
                sleep(attempts.next(e), e);
            }
        }
    }

    private void sleep(Duration wait, LlmException cause) {
        synchronized (lock) {
            if (aborted) {
                throw cause;
            }
            waiting = Thread.currentThread();
        }
        try {
            policy.sleep(wait);
        } catch (InterruptedException e) {
            if (!aborted) {
                Thread.currentThread().interrupt();
            }
            throw new LlmException(delegate.id() + ": interrupted while waiting to retry", delegate.id(), -1, null, false,
                    null, cause);
        } finally {
            synchronized (lock) {
                waiting = null;
            }
            if (aborted) {
                Thread.interrupted(); // clear the interrupt abort() may have sent us
            }
        }
    }

    @Override
    protected void abort() {
        synchronized (lock) {
            aborted = true;
            if (waiting != null) {
                waiting.interrupt();
            }
        }
        ChatStream c = current;
        if (c != null) {
            c.close();
        }
    }
}
