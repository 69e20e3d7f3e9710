package dev.alfred.llm.kimi;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.util.Set;

/**
 * Registers {@link KimiProvider} under the id {@code kimi}. Settings (environment variable in brackets):
 * {@code kimi.api.key} [{@code KIMI_API_KEY}, or {@code MOONSHOT_API_KEY}], {@code kimi.base.url}
 * [{@code KIMI_BASE_URL}], {@code kimi.model} [{@code KIMI_MODEL}], and the durations
 * {@code kimi.connect.timeout}, {@code kimi.headers.timeout}, {@code kimi.idle.timeout},
 * {@code kimi.total.timeout}, and {@code kimi.allow-insecure-http} [{@code KIMI_ALLOW_INSECURE_HTTP}],
 * which must be true for a plain {@code http://} base URL to a host that is not loopback; and the
 * bounds on an answer's tool calls, {@code kimi.max.tool.calls} (default 128) and
 * {@code kimi.max.tool.argument.chars} (default 8 Mi characters per call).
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
        KimiProvider.Builder b = KimiProvider.builder();
        b.apiKey(config.getFirst("kimi.api.key", "moonshot.api.key").orElseThrow(() -> new IllegalArgumentException(
                "no Kimi API key: set KIMI_API_KEY (or MOONSHOT_API_KEY), or the setting kimi.api.key")));
        config.getUri("kimi.base.url").ifPresent(b::baseUrl);
        config.get("kimi.model").ifPresent(b::model);
        config.getDuration("kimi.connect.timeout").ifPresent(b::connectTimeout);
        config.getDuration("kimi.headers.timeout").ifPresent(b::headersTimeout);
        config.getDuration("kimi.idle.timeout").ifPresent(b::idleTimeout);
        config.getDuration("kimi.total.timeout").ifPresent(b::totalTimeout);
        config.getBoolean("kimi.allow.insecure.http").ifPresent(b::allowInsecureHttp);
        config.getInt("kimi.max.tool.calls").ifPresent(b::maxToolCalls);
        config.getInt("kimi.max.tool.argument.chars").ifPresent(b::maxToolArgumentChars);
        return b.build();
    }
}
