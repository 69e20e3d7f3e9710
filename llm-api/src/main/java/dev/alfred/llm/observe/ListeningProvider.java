package dev.alfred.llm.observe;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.ProviderEndpoint;

import dev.alfred.llm.spi.CallEvents;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The listening layer: a provider whose calls its listeners hear (start, each output, retries, end), with
 * their contexts current where the call is sent, and the caller's context carried to the thread that
 * runs {@code chatAsync} or opens a {@code publisher}'s stream. Per streamed part it reads the ticker and
 * tells the listeners; the rest is paid once per call. Thread-safe when the delegate is.
 */
final class ListeningProvider implements LlmProvider {

    private static final AtomicLong CALLS = new AtomicLong();

    private final LlmProvider delegate;
    private final ListenerChain chain;
    private final LongSupplier ticker;
    private final String defaultModel;
    private final String host;
    private final int port;
    private final String dialect;

    private ListeningProvider(LlmProvider delegate, List<LlmListener> listeners, LongSupplier ticker) {
        this.delegate = delegate;
        this.chain = new ListenerChain(listeners);
        this.ticker = ticker;
        ProviderEndpoint endpoint = Objects.requireNonNullElse(delegate.endpoint(), ProviderEndpoint.UNKNOWN);
        this.defaultModel = endpoint.defaultModel();
        this.host = endpoint.host();
        this.port = host == null ? -1 : endpoint.port();
        this.dialect = endpoint.dialect();
    }

    /** Wraps a provider; a listening provider gains the listeners on its own layer instead of a second one. */
    static LlmProvider wrap(LlmProvider provider, List<LlmListener> listeners, LongSupplier ticker) {
        if (provider instanceof ListeningProvider) {
            ListeningProvider inner = (ListeningProvider) provider;
            List<LlmListener> all = new ArrayList<>(inner.chain.registered());
            all.addAll(listeners);
            return new ListeningProvider(inner.delegate, all, ticker);
        }
        return new ListeningProvider(provider, listeners, ticker);
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    @Override
    public boolean retries() {
        return delegate.retries();
    }

    @Override
    public ProviderEndpoint endpoint() {
        return delegate.endpoint();
    }

    @Override
    public TokenCounter tokenCounter() {
        return delegate.tokenCounter();
    }

    @Override
    public List<ModelInfo> models() {
        return delegate.models();
    }

    /**
     * The listeners' tool hook: {@link LlmListener#onToolExecuted} reaches every registered listener.
     *
     * @return the hook
     */
    @Override
    public LlmListener listener() {
        return chain;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ObservedCall call = start(Objects.requireNonNull(request, "request"), false);
        CallEvents previous = call.begin();
        ListenerContext.Scope scope = call.enterContext();
        try {
            ChatResponse response = delegate.chat(request);
            call.complete(response);
            return response;
        } catch (RuntimeException | Error e) {
            call.fail(e);
            throw e;
        } finally {
            scope.close();
            ObservedCall.finish(previous);
        }
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        ObservedCall call = start(Objects.requireNonNull(request, "request"), true);
        CallEvents previous = call.begin();
        ListenerContext.Scope scope = call.enterContext();
        ChatStream inner;
        try {
            inner = delegate.stream(request);
        } catch (RuntimeException | Error e) {
            call.fail(e);
            throw e;
        } finally {
            scope.close();
            ObservedCall.finish(previous);
        }
        return new ListeningStream(inner, call);
    }

    /**
     * {@link #chat} on the executor, with the caller's context (as the listeners capture it here, on the
     * caller's thread) current there, so that the call is a child of the caller's span.
     */
    @Override
    public CompletableFuture<ChatResponse> chatAsync(ChatRequest request, Executor executor) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(executor, "executor");
        ListenerContext caller = chain.captureContext();
        return CompletableFuture.supplyAsync(() -> {
            try (ListenerContext.Scope ignored = caller.makeCurrent()) {
                return chat(request);
            }
        }, executor);
    }

    /**
     * A publisher whose streams are opened and read on the executor with the caller's context (as the
     * listeners capture it here, on the caller's thread) current, so that each subscription's call is a
     * child of the caller's span. The executor's tasks are wrapped; a refused task is refused as before.
     */
    @Override
    public Flow.Publisher<ChatDelta> publisher(ChatRequest request, Executor executor) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(executor, "executor");
        ListenerContext caller = chain.captureContext();
        if (caller == ListenerContext.NONE) {
            return LlmProvider.super.publisher(request, executor);
        }
        Executor inCallerContext = task -> executor.execute(() -> {
            try (ListenerContext.Scope ignored = caller.makeCurrent()) {
                task.run();
            }
        });
        return LlmProvider.super.publisher(request, inCallerContext);
    }

    private ObservedCall start(ChatRequest request, boolean streaming) {
        String model = request.model() != null ? request.model() : defaultModel;
        LlmCall call = new LlmCall(Long.toString(CALLS.incrementAndGet()), delegate.id(), LlmCall.CHAT, request,
                streaming, model, host, port, dialect);
        return new ObservedCall(call, chain, ticker);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "ListeningProvider{" + delegate + ", " + chain + "}";
    }
}
