package dev.alfred.llm.kimi;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.util.Set;

/**
 * Registers {@link KimiProvider} under the id {@code kimi}. Settings (environment variable in brackets):
 * {@code kimi.api.key} [{@code KIMI_API_KEY}, or {@code MOONSHOT_API_KEY}], and every setting llm-http's
 * providers share, under {@code kimi.} ({@link dev.alfred.llm.http.HttpProviderBuilder#configure}):
 * {@code kimi.base.url} [{@code KIMI_BASE_URL}], {@code kimi.model} [{@code KIMI_MODEL}], the timeouts,
 * {@code kimi.allow.insecure.http} [{@code KIMI_ALLOW_INSECURE_HTTP}] (true lets a plain {@code http://}
 * base URL reach a host that is not loopback), and the bounds of an answer.
 */
public final class KimiProviderFactory implements LlmProviderFactory {

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
}
