package dev.alfred.llm.anthropic;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.util.Locale;
import java.util.Set;

/**
 * Registers {@link AnthropicProvider} under the id {@code anthropic}. Settings (environment variable in
 * brackets): {@code anthropic.api.key} [{@code ANTHROPIC_API_KEY}], not needed for a loopback base
 * URL; {@code anthropic.base.url} [{@code ANTHROPIC_BASE_URL}]; {@code anthropic.model}
 * [{@code ANTHROPIC_MODEL}]; {@code anthropic.max.tokens} (default 4096); {@code anthropic.version}
 * (default {@code 2023-06-01}); {@code anthropic.beta}, betas separated by commas, sent as
 * {@code anthropic-beta}; {@code anthropic.auth}, {@code x-api-key} (default) or {@code bearer}; the
 * durations {@code anthropic.connect.timeout}, {@code anthropic.headers.timeout},
 * {@code anthropic.idle.timeout}, {@code anthropic.total.timeout}; {@code anthropic.allow.insecure.http};
 * the bounds {@code anthropic.max.tool.calls} and {@code anthropic.max.tool.argument.chars}; and
 * {@code anthropic.context.windows} [{@code ANTHROPIC_CONTEXT_WINDOWS}], {@code id=window} or
 * {@code id=window/maxOutput} pairs separated by commas, which override the catalogue's built-in table.
 * Anthropic has no embeddings: {@link #createEmbeddings} names the one it recommends.
 */
public final class AnthropicProviderFactory implements LlmProviderFactory {

    /** Why {@link #createEmbeddings} refuses, and what to use instead. */
    static final String NO_EMBEDDINGS = "anthropic has no embeddings API: Anthropic offers no embedding model and"
            + " recommends Voyage AI; use LlmProviders.createEmbeddings(\"openai\", config) with openai.dialect=voyage"
            + " (openai.base.url=https://api.voyageai.com/v1 and a Voyage key in openai.api.key)";

    /** Creates the factory; ServiceLoader needs the public no-argument constructor. */
    public AnthropicProviderFactory() {
    }

    @Override
    public String id() {
        return AnthropicProvider.ID;
    }

    /**
     * The prefix of the settings above.
     *
     * @return {@code anthropic.}
     */
    @Override
    public Set<String> settingPrefixes() {
        return Set.of("anthropic.");
    }

    /**
     * Creates a provider from the settings above.
     *
     * @param config the settings
     * @return the provider
     * @throws IllegalArgumentException if a setting is missing or invalid (naming it)
     */
    @Override
    public LlmProvider create(ProviderConfig config) {
        AnthropicProvider.Builder b = AnthropicProvider.builder().configure(config, "anthropic.");
        config.getInt("anthropic.max.tokens").ifPresent(b::maxTokens);
        config.get("anthropic.version").ifPresent(b::version);
        config.get("anthropic.beta").ifPresent(list -> {
            for (String beta : list.split(",")) {
                if (!beta.isBlank()) {
                    b.beta(beta);
                }
            }
        });
        config.get("anthropic.auth").ifPresent(auth -> {
            String a = auth.strip().toLowerCase(Locale.ROOT);
            if (!a.equals("bearer") && !a.equals("x-api-key")) {
                throw new IllegalArgumentException("anthropic.auth must be x-api-key or bearer, was '" + auth + "'");
            }
            b.bearerAuth(a.equals("bearer"));
        });
        return b.build();
    }

    /**
     * Refuses: Anthropic has no embeddings API. The message names the alternative Anthropic recommends,
     * Voyage AI, reached through the OpenAI-compatible provider.
     *
     * @param config the settings, not read
     * @return never
     * @throws UnsupportedFeatureException always, for {@link Capabilities.Feature#EMBEDDINGS}
     */
    @Override
    public EmbeddingProvider createEmbeddings(ProviderConfig config) {
        throw new UnsupportedFeatureException(NO_EMBEDDINGS, AnthropicProvider.ID, Capabilities.Feature.EMBEDDINGS);
    }
}
