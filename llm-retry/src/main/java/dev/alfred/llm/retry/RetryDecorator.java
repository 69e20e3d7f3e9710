package dev.alfred.llm.retry;

import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.spi.LlmProviderDecorator;

/**
 * Wraps every provider created through {@link dev.alfred.llm.LlmProviders} in a
 * {@link RetryingLlmProvider} when {@code llm-retry} is on the class path. Settings (all optional):
 * {@code retry.enabled} ({@code false} turns it off), {@code retry.max-attempts},
 * {@code retry.base-delay}, {@code retry.max-delay}, {@code retry.multiplier}, {@code retry.jitter}
 * ({@code full}, {@code equal}, {@code decorrelated}, {@code none}), {@code retry.max-retry-after},
 * {@code retry.deadline}, {@code retry.budget} (token capacity; 5 per retry, 1 back per success).
 */
public final class RetryDecorator implements LlmProviderDecorator {

    /** The decorator's id. */
    public static final String ID = "retry";

    /** Creates the decorator; ServiceLoader needs the public no-argument constructor. */
    public RetryDecorator() {
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * Sits outside decorators of lower order (say, per-attempt metrics at 0), so that they see each attempt.
     *
     * @return 100
     */
    @Override
    public int order() {
        return 100;
    }

    /**
     * Wraps the provider after the settings, or returns it as is when {@code retry.enabled} is false.
     *
     * @param provider the provider
     * @param config   the settings
     * @return the retrying provider
     * @throws IllegalArgumentException naming the setting when one is invalid
     */
    @Override
    public LlmProvider decorate(LlmProvider provider, ProviderConfig config) {
        if (!config.getBoolean("retry.enabled").orElse(true)) {
            return provider;
        }
        return new RetryingLlmProvider(provider, policy(config));
    }

    /**
     * Wraps an embedding provider in retries per batch, unless {@code retry.enabled} is false or it already
     * retries.
     *
     * @param provider the embedding provider
     * @param config   the settings
     * @return the retrying provider, or the provider itself
     * @throws IllegalArgumentException naming the setting when one is invalid
     */
    @Override
    public EmbeddingProvider decorate(EmbeddingProvider provider, ProviderConfig config) {
        if (!config.getBoolean("retry.enabled").orElse(true) || provider.retries()) {
            return provider;
        }
        return new RetryingEmbeddingProvider(provider, policy(config));
    }

    /**
     * The policy the settings describe, starting from the defaults.
     *
     * @param config the settings
     * @return the policy
     * @throws IllegalArgumentException naming the setting when one is invalid
     */
    public static RetryPolicy policy(ProviderConfig config) {
        RetryPolicy.Builder b = RetryPolicy.builder();
        try {
            config.getInt("retry.max-attempts").ifPresent(b::maxAttempts);
            Backoff d = Backoff.DEFAULT;
            b.backoff(new Backoff(config.getDuration("retry.base-delay").orElse(d.base()),
                    config.getDouble("retry.multiplier").orElse(d.factor()),
                    config.getDuration("retry.max-delay").orElse(d.cap()),
                    config.get("retry.jitter").map(Backoff.Jitter::named).orElse(d.jitter())));
            config.getDuration("retry.max-retry-after").ifPresent(b::maxRetryAfter);
            config.getDuration("retry.deadline").ifPresent(b::deadline);
            config.getInt("retry.budget").ifPresent(c -> b.budget(new RetryBudget(c, 5, 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid retry setting: " + e.getMessage(), e);
        }
        return b.build();
    }
}
