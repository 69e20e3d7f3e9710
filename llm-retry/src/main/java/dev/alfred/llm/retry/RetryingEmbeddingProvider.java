package dev.alfred.llm.retry;

import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.retry.internal.Attempts;
import dev.alfred.llm.retry.internal.RetryRules;
import dev.alfred.llm.spi.EmbeddingBatches;

import java.util.Objects;

/**
 * An embedding provider that retries failed batches, not whole calls: a call is split within the
 * delegate's limits for the request's model ({@link EmbeddingProvider#limits(EmbeddingRequest)},
 * {@link EmbeddingBatches}), and each batch is retried on
 * its own after the {@link RetryPolicy} (its budget shared with every provider that shares the policy).
 * The delegate then gets batches that fit and sends each as one request, so a 429 on batch 7 of 10 resends
 * batch 7 only. Thread-safe when the delegate is.
 */
public final class RetryingEmbeddingProvider implements EmbeddingProvider {

    private final EmbeddingProvider delegate;
    private final RetryPolicy policy;
    private final RetryRules rules;

    /**
     * Wraps an embedding provider.
     *
     * @param delegate the provider to retry
     * @param policy   the policy
     * @throws NullPointerException if an argument is null
     */
    public RetryingEmbeddingProvider(EmbeddingProvider delegate, RetryPolicy policy) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.rules = RetryingLlmProvider.rules(policy);
    }

    /** @return the wrapped provider */
    public EmbeddingProvider delegate() {
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

    /**
     * True: this provider retries failed batches.
     *
     * @return true
     */
    @Override
    public boolean retries() {
        return true;
    }

    /**
     * Embeds in batches within the delegate's limits, each retried on its own.
     *
     * @param request what to embed
     * @return one vector per input, in input order
     * @throws dev.alfred.llm.EmbeddingBatchException when a batch of several failed for good
     * @throws LlmException                           when the one batch failed for good
     */
    @Override
    public EmbeddingResponse embed(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        return EmbeddingBatches.run(request, delegate.limits(request),
                batch -> Attempts.call(rules, delegate.id(), () -> delegate.embed(batch)));
    }

    /** Closes the delegate. */
    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "RetryingEmbeddingProvider{" + delegate + ", " + policy + "}";
    }
}
