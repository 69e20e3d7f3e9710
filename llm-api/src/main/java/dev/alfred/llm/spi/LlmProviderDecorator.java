package dev.alfred.llm.spi;

import dev.alfred.llm.EmbeddingProvider;
import java.util.Set;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;

/**
 * A service that wraps every provider created through discovery, such as retries, metrics or logging.
 * Registered like {@link LlmProviderFactory} (under {@code dev.alfred.llm.spi.LlmProviderDecorator}).
 * Decorators apply in a stable order: ascending {@link #order()}, then by {@link #id()}; the first
 * applied sits closest to the provider.
 */
public interface LlmProviderDecorator {

    /**
     * The decorator's unique id, such as {@code retry}.
     *
     * @return the id
     */
    String id();

    /**
     * Where the decorator sits: lower values wrap first, closer to the provider.
     *
     * @return the order; 0 by default
     */
    default int order() {
        return 0;
    }

    /**
     * The setting prefixes this decorator reads, in normalized form (such as {@code retry.}), so that
     * {@link ProviderConfig#toString()} shows those settings (secrets masked) and hides everything else.
     *
     * @return the prefixes; {@code id() + "."} by default
     */
    default Set<String> settingPrefixes() {
        return Set.of(id() + ".");
    }

    /**
     * Wraps a provider, or returns it unchanged when the configuration turns this decorator off.
     *
     * @param provider the provider (possibly already decorated)
     * @param config   the settings the provider was created with
     * @return the decorated provider
     * @throws IllegalArgumentException if a setting of this decorator is invalid
     */
    LlmProvider decorate(LlmProvider provider, ProviderConfig config);

    /**
     * Wraps an embedding provider, or returns it unchanged: the default, for a decorator that has nothing
     * to add to embeddings.
     *
     * @param provider the embedding provider (possibly already decorated)
     * @param config   the settings it was created with
     * @return the decorated provider
     * @throws IllegalArgumentException if a setting of this decorator is invalid
     */
    default EmbeddingProvider decorate(EmbeddingProvider provider, ProviderConfig config) {
        return provider;
    }
}
