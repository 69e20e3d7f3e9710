package dev.alfred.llm.retry;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.TokenCounter;
import java.util.List;
import dev.alfred.llm.retry.internal.Attempts;
import dev.alfred.llm.retry.internal.RetryRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import dev.alfred.llm.retry.internal.RetryingChatStream;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Adds retries to any provider, after a {@link RetryPolicy}: {@code RetryingLlmProvider.wrap(provider)}.
 * Chats are retried whole; streams only until their first delta reaches the caller. The failure finally
 * thrown carries the earlier ones as suppressed exceptions. Thread-safe when the delegate is.
 */
public final class RetryingLlmProvider implements LlmProvider {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingLlmProvider.class);
    private static final AtomicBoolean WARNED_DOUBLE_WRAP = new AtomicBoolean();

    private final LlmProvider delegate;
    private final RetryPolicy policy;
    private final RetryRules rules;

    /**
     * Wraps a provider.
     *
     * @param delegate the provider to retry
     * @param policy   the policy (share one across providers to share its budget)
     * @throws NullPointerException if an argument is null
     */
    public RetryingLlmProvider(LlmProvider delegate, RetryPolicy policy) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.rules = new PolicyRules(policy);
    }

    /**
     * Wraps a provider with {@link RetryPolicy#defaults()}, unless it already retries
     * ({@link LlmProvider#retries()}, as providers from {@code LlmProviders} do when llm-retry is on the
     * class path): then it is returned as it is, and a warning says so once, since two retry layers would
     * multiply the attempts (three times three requests on a 500). To set a policy of your own on such a
     * provider, configure the discovered decorator ({@code retry.*} settings) or create the provider
     * directly.
     *
     * @param delegate the provider to retry
     * @return the retrying provider, or the delegate when it retries already
     * @throws NullPointerException if delegate is null
     */
    public static LlmProvider wrap(LlmProvider delegate) {
        if (delegate.retries()) {
            if (WARNED_DOUBLE_WRAP.compareAndSet(false, true)) {
                LOG.warn("{} already retries failed calls; RetryingLlmProvider.wrap returned it as it is instead of"
                        + " adding a second retry layer (logged once)", delegate.id());
            }
            return delegate;
        }
        return new RetryingLlmProvider(delegate, RetryPolicy.defaults());
    }

    /**
     * True: this provider retries failed calls.
     *
     * @return true
     */
    @Override
    public boolean retries() {
        return true;
    }

    /** @return the wrapped provider */
    public LlmProvider delegate() {
        return delegate;
    }

    /** @return the policy */
    public RetryPolicy policy() {
        return policy;
    }

    @Override
    public String id() {
        return delegate.id();
    }

    /**
     * The delegate's capabilities: retrying adds none and removes none.
     *
     * @return what the delegate can do
     */
    @Override
    public Capabilities capabilities() {
        return delegate.capabilities();
    }

    /**
     * The delegate's endpoint.
     *
     * @return where the delegate sends requests
     */
    @Override
    public ProviderEndpoint endpoint() {
        return delegate.endpoint();
    }

    /**
     * The delegate's listener hook.
     *
     * @return the hook
     */
    @Override
    public LlmListener listener() {
        return delegate.listener();
    }

    /**
     * Sends the request, retrying retryable failures after the policy. Each retry is reported to the
     * {@link dev.alfred.llm.spi.CallEvents} of a listening layer around this provider.
     *
     * @param request what to ask
     * @return the answer
     * @throws LlmException the last failure, with the earlier ones suppressed, when no retry is left
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        return Attempts.call(rules, delegate.id(), () -> delegate.chat(request));
    }

    /**
     * The delegate's counter, its server calls retried after the policy.
     *
     * @return the counter
     */
    @Override
    public TokenCounter tokenCounter() {
        TokenCounter inner = delegate.tokenCounter();
        return request -> Attempts.call(rules, delegate.id(), () -> inner.count(request));
    }

    /**
     * The delegate's catalogue, retried after the policy.
     *
     * @return the models
     * @throws LlmException the failure that ends the call
     */
    @Override
    public List<ModelInfo> models() {
        return Attempts.call(rules, delegate.id(), delegate::models);
    }

    /**
     * Opens a stream that is retried until its first delta reaches the caller.
     *
     * @param request what to ask
     * @return the stream
     * @throws LlmException if the first attempt cannot even be sent
     */
    @Override
    public ChatStream stream(ChatRequest request) {
        return new RetryingChatStream(delegate, Objects.requireNonNull(request, "request"), rules);
    }

    /** Closes the delegate. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "RetryingLlmProvider{" + delegate + ", " + policy + "}";
    }

    /** The rules a policy gives the internal attempts; shared with {@link RetryingEmbeddingProvider}. */
    static RetryRules rules(RetryPolicy policy) {
        return new PolicyRules(policy);
    }

    /** The public policy as the internal attempts see it. */
    private static final class PolicyRules implements RetryRules {
        private final RetryPolicy policy;

        PolicyRules(RetryPolicy policy) {
            this.policy = policy;
        }

        @Override
        public boolean isRetryable(LlmException failure) {
            return policy.isRetryable(failure);
        }

        @Override
        public int maxAttempts() {
            return policy.maxAttempts();
        }

        @Override
        public Duration maxRetryAfter() {
            return policy.maxRetryAfter();
        }

        @Override
        public Duration deadline() {
            return policy.deadline();
        }

        @Override
        public Duration backoff(int attempt, Duration previousWait) {
            return policy.backoff().delay(attempt, previousWait, policy.draw());
        }

        @Override
        public boolean tryAcquireRetry() {
            return policy.budget().tryAcquire();
        }

        @Override
        public void onSuccess() {
            policy.budget().onSuccess();
        }

        @Override
        public String budgetDescription() {
            return policy.budget().toString();
        }

        @Override
        public void sleep(Duration wait) throws InterruptedException {
            policy.sleeper().sleep(wait);
        }

        @Override
        public Instant now() {
            return policy.clock().instant();
        }
    }
}
