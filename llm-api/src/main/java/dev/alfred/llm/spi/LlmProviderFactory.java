package dev.alfred.llm.spi;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.UnsupportedFeatureException;
import java.util.Set;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;

/**
 * The service a provider registers so that applications find it by id with no code of their own:
 * list the implementation in {@code META-INF/services/dev.alfred.llm.spi.LlmProviderFactory} and in
 * {@code module-info} ({@code provides dev.alfred.llm.spi.LlmProviderFactory with …}). Implementations
 * need a public no-argument constructor, and that constructor should do no work.
 */
public interface LlmProviderFactory {

    /**
     * The id applications ask for, such as {@code kimi}: lower case, stable, unique.
     *
     * @return the id
     */
    String id();

    /**
     * The setting prefixes this provider reads, in normalized form (such as {@code acme.}), so that
     * {@link ProviderConfig#toString()} shows those settings (secrets masked) and hides everything else.
     *
     * @return the prefixes; {@code id() + "."} by default
     */
    default Set<String> settingPrefixes() {
        return Set.of(id() + ".");
    }

    /**
     * Creates a provider from configuration. Missing or invalid settings fail here, not on the first call.
     *
     * @param config the settings, such as the API key and base URL
     * @return a new provider
     * @throws IllegalArgumentException if a required setting is missing or a setting is invalid
     */
    LlmProvider create(ProviderConfig config);

    /**
     * Creates this provider's embeddings client from configuration, when its server has embeddings. The
     * default says it has none; a provider whose server has none overrides it to name the alternative.
     *
     * @param config the settings
     * @return a new embedding provider
     * @throws UnsupportedFeatureException if the server has no embeddings ({@link Capabilities.Feature#EMBEDDINGS})
     * @throws IllegalArgumentException    if a required setting is missing or a setting is invalid
     */
    default EmbeddingProvider createEmbeddings(ProviderConfig config) {
        throw new UnsupportedFeatureException(id() + " has no embeddings", id(), Capabilities.Feature.EMBEDDINGS);
    }
}
