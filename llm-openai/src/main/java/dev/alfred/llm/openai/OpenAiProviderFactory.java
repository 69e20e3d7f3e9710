package dev.alfred.llm.openai;

import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.util.Set;

/**
 * Registers {@link OpenAiProvider} under the id {@code openai}. Settings (environment variable in
 * brackets): {@code openai.dialect} [{@code OPENAI_DIALECT}]: {@code openai}, {@code azure},
 * {@code deepseek}, {@code ollama}, {@code vllm}, {@code llamacpp}, {@code openrouter}, {@code groq},
 * {@code mistral}, {@code xai} or {@code voyage} (embeddings only), guessed from the base URL's host when unset; and every setting llm-http's
 * providers share, under {@code openai.} ({@link dev.alfred.llm.http.HttpProviderBuilder#configure}):
 * {@code openai.api.key} [{@code OPENAI_API_KEY}], not needed for a loopback base URL,
 * {@code openai.base.url} [{@code OPENAI_BASE_URL}], {@code openai.model} [{@code OPENAI_MODEL}], the
 * timeouts, {@code openai.allow.insecure.http}, and the bounds of an answer;
 * {@code openai.context.windows} [{@code OPENAI_CONTEXT_WINDOWS}] overrides the context windows of
 * {@link OpenAiProvider#models()} ({@link dev.alfred.llm.spi.ModelTable}). Embeddings
 * ({@link #createEmbeddings}) read the same settings but their own model, {@code openai.embeddings.model}
 * [{@code OPENAI_EMBEDDINGS_MODEL}] (default per dialect), and {@code openai.embeddings.concurrency}
 * [{@code OPENAI_EMBEDDINGS_CONCURRENCY}] (default 4).
 */
public final class OpenAiProviderFactory implements LlmProviderFactory {

    /** Creates the factory; ServiceLoader needs the public no-argument constructor. */
    public OpenAiProviderFactory() {
    }

    @Override
    public String id() {
        return OpenAiProvider.ID;
    }

    /**
     * The prefix of the settings above.
     *
     * @return {@code openai.}
     */
    @Override
    public Set<String> settingPrefixes() {
        return Set.of("openai.");
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
        OpenAiProvider.Builder b = OpenAiProvider.builder().configure(config, "openai.");
        config.get("openai.dialect").ifPresent(d -> b.dialect(Dialect.named(d)));
        return b.build();
    }

    /**
     * Creates the embeddings client of the configured server from the settings above.
     *
     * @param config the settings
     * @return the embeddings provider
     * @throws dev.alfred.llm.UnsupportedFeatureException if the dialect's server has no embeddings (DeepSeek,
     *                                                    Groq, xAI), naming the alternative
     * @throws IllegalArgumentException                    if a setting is missing or invalid (naming it)
     */
    @Override
    public EmbeddingProvider createEmbeddings(ProviderConfig config) {
        return OpenAiEmbeddings.builder().configure(config, "openai.").build();
    }
}
