package dev.alfred.llm.openai;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.util.Set;

/**
 * Registers {@link OpenAiProvider} under the id {@code openai}. Settings (environment variable in
 * brackets): {@code openai.dialect} [{@code OPENAI_DIALECT}]: {@code openai}, {@code azure},
 * {@code deepseek}, {@code ollama}, {@code vllm}, {@code llamacpp}, {@code openrouter}, {@code groq},
 * {@code mistral} or {@code xai}, guessed from the base URL's host when unset; and every setting llm-http's
 * providers share, under {@code openai.} ({@link dev.alfred.llm.http.HttpProviderBuilder#configure}):
 * {@code openai.api.key} [{@code OPENAI_API_KEY}], not needed for a loopback base URL,
 * {@code openai.base.url} [{@code OPENAI_BASE_URL}], {@code openai.model} [{@code OPENAI_MODEL}], the
 * timeouts, {@code openai.allow.insecure.http}, and the bounds of an answer.
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
}
