package dev.alfred.llm.observe;

import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.ProviderEndpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The listening layer of an embedding provider: each call's start and end reach its listeners once, with
 * their contexts current while the call is sent. A listener that throws never breaks the call. Thread-safe
 * when the delegate is.
 */
final class ListeningEmbeddingProvider implements EmbeddingProvider {

    private static final AtomicLong CALLS = new AtomicLong();

    private final EmbeddingProvider delegate;
    private final ListenerChain chain;
    private final LongSupplier ticker;
    private final ProviderEndpoint endpoint;

    private ListeningEmbeddingProvider(EmbeddingProvider delegate, List<LlmListener> listeners, LongSupplier ticker) {
        this.delegate = delegate;
        this.chain = new ListenerChain(listeners);
        this.ticker = ticker;
        this.endpoint = Objects.requireNonNullElse(delegate.endpoint(), ProviderEndpoint.UNKNOWN);
    }

    static EmbeddingProvider wrap(EmbeddingProvider provider, List<LlmListener> listeners, LongSupplier ticker) {
        if (provider instanceof ListeningEmbeddingProvider) {
            ListeningEmbeddingProvider inner = (ListeningEmbeddingProvider) provider;
            List<LlmListener> all = new ArrayList<>(inner.chain.registered());
            all.addAll(listeners);
            return new ListeningEmbeddingProvider(inner.delegate, all, ticker);
        }
        return new ListeningEmbeddingProvider(provider, listeners, ticker);
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public ProviderEndpoint endpoint() {
        return delegate.endpoint();
    }

    @Override
    public EmbeddingLimits limits() {
        return delegate.limits();
    }

    @Override
    public EmbeddingLimits limits(EmbeddingRequest request) {
        return delegate.limits(request);
    }

    @Override
    public boolean retries() {
        return delegate.retries();
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        String host = endpoint.host();
        EmbeddingCall call = new EmbeddingCall("e" + CALLS.incrementAndGet(), delegate.id(), request,
                request.model() != null ? request.model() : endpoint.defaultModel(), host,
                host == null ? -1 : endpoint.port(), endpoint.dialect());
        List<LlmListener> registered = chain.registered();
        EmbeddingListener[] perCall = new EmbeddingListener[registered.size()];
        ListenerContext[] contexts = new ListenerContext[perCall.length];
        for (int i = 0; i < perCall.length; i++) {
            try {
                EmbeddingListener l = registered.get(i).onEmbeddingStart(call);
                perCall[i] = l == null ? EmbeddingListener.NONE : l;
                contexts[i] = perCall[i].context();
            } catch (Throwable t) {
                chain.failed(i, "onEmbeddingStart", t);
                perCall[i] = EmbeddingListener.NONE;
            }
        }
        long start = ticker.getAsLong();
        EmbeddingOutcome outcome = null;
        ListenerContext.Scope scope = Contexts.of(chain, contexts).makeCurrent();
        try {
            EmbeddingResponse response = delegate.embed(request);
            outcome = new EmbeddingOutcome.Completed(response, since(start));
            return response;
        } catch (RuntimeException | Error e) {
            outcome = new EmbeddingOutcome.Failed(e, since(start));
            throw e;
        } finally {
            scope.close();
            for (int i = 0; i < perCall.length; i++) {
                try {
                    perCall[i].onEnd(outcome);
                } catch (Throwable t) {
                    chain.failed(i, "onEnd", t);
                }
            }
        }
    }

    private Duration since(long start) {
        return Duration.ofNanos(Math.max(0, ticker.getAsLong() - start));
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "Listening[" + delegate + "]";
    }
}
