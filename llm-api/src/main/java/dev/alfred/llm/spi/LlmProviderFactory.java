package dev.alfred.llm.spi;

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
}
