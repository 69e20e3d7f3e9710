package dev.alfred.llm.kimi;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.util.Set;

/**
 * Registers {@link KimiProvider} under the id {@code kimi}. Settings (environment variable in brackets):
 * {@code kimi.api.key} [{@code KIMI_API_KEY}, or {@code MOONSHOT_API_KEY}], and every setting llm-http's
 * providers share, under {@code kimi.} ({@link dev.alfred.llm.http.HttpProviderBuilder#configure}):
 * {@code kimi.base.url} [{@code KIMI_BASE_URL}], {@code kimi.model} [{@code KIMI_MODEL}], the timeouts,
 * {@code kimi.allow.insecure.http} [{@code KIMI_ALLOW_INSECURE_HTTP}] (true lets a plain {@code http://}
 * base URL reach a host that is not loopback), the bounds of an answer, and {@code kimi.context.windows}
 * [{@code KIMI_CONTEXT_WINDOWS}], {@code id=window} pairs separated by commas, which override the
 * catalogue's built-in table. Moonshot has no embeddings: {@link #createEmbeddings} names an alternative.
 */
public final class KimiProviderFactory implements LlmProviderFactory {

    /** Why {@link #createEmbeddings} refuses, and what to use instead. */
    static final String NO_EMBEDDINGS = "kimi has no embeddings API: Moonshot's /v1/embeddings answers 403 \"The API"
            + " you are accessing is not open\"; use an OpenAI-compatible embeddings server (OpenAI, or Voyage AI with"
            + " openai.dialect=voyage) through LlmProviders.createEmbeddings(\"openai\", config)";

    /** Creates the factory; ServiceLoader needs the public no-argument constructor. */
    public KimiProviderFactory() {
    }

    @Override
    public String id() {
        return KimiProvider.ID;
    }

    /**
     * The prefixes of the settings above.
     *
     * @return {@code kimi.} and {@code moonshot.}
     */
    @Override
    public Set<String> settingPrefixes() {
        return Set.of("kimi.", "moonshot.");
    }

    /**
     * Creates a provider from the settings above.
     *
     * @param config the settings
     * @return the provider
     * @throws IllegalArgumentException if no API key is set, or a setting is invalid (naming it)
     */
    @Override
    public LlmProvider create(ProviderConfig config) {
        String key = config.getFirst("kimi.api.key", "moonshot.api.key").orElseThrow(() -> new IllegalArgumentException(
                "no Kimi API key: set KIMI_API_KEY (or MOONSHOT_API_KEY), or the setting kimi.api.key"));
        return KimiProvider.builder().configure(config, "kimi.").apiKey(key).build();
    }

    /**
     * Refuses: Moonshot has no embeddings API. The message names the alternative, an OpenAI-compatible
     * embeddings server reached through the OpenAI-compatible provider.
     *
     * @param config the settings, not read
     * @return never
     * @throws UnsupportedFeatureException always, for {@link Capabilities.Feature#EMBEDDINGS}
     */
    @Override
    public EmbeddingProvider createEmbeddings(ProviderConfig config) {
        throw new UnsupportedFeatureException(NO_EMBEDDINGS, KimiProvider.ID, Capabilities.Feature.EMBEDDINGS);
    }
}
