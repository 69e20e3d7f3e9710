package dev.alfred.llm.openai;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.util.Set;

/**
 * Registers {@link OpenAiProvider} under the id {@code openai}. Settings (environment variable in
 * brackets): {@code openai.api.key} [{@code OPENAI_API_KEY}], not needed for a loopback base URL;
 * {@code openai.base.url} [{@code OPENAI_BASE_URL}]; {@code openai.model} [{@code OPENAI_MODEL}];
 * {@code openai.dialect} [{@code OPENAI_DIALECT}]: {@code openai}, {@code azure}, {@code deepseek},
 * {@code ollama}, {@code vllm}, {@code llamacpp}, {@code openrouter}, {@code groq} or {@code mistral},
 * guessed from the base URL's host when unset; the durations {@code openai.connect.timeout},
 * {@code openai.headers.timeout}, {@code openai.idle.timeout}, {@code openai.total.timeout};
 * {@code openai.allow.insecure.http}; and the bounds {@code openai.max.tool.calls} and
 * {@code openai.max.tool.argument.chars}.
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
        OpenAiProvider.Builder b = OpenAiProvider.builder();
        config.get("openai.api.key").ifPresent(b::apiKey);
        config.getUri("openai.base.url").ifPresent(b::baseUrl);
        config.get("openai.model").ifPresent(b::model);
        config.get("openai.dialect").ifPresent(d -> b.dialect(Dialect.named(d)));
        config.getDuration("openai.connect.timeout").ifPresent(b::connectTimeout);
        config.getDuration("openai.headers.timeout").ifPresent(b::headersTimeout);
        config.getDuration("openai.idle.timeout").ifPresent(b::idleTimeout);
        config.getDuration("openai.total.timeout").ifPresent(b::totalTimeout);
        config.getBoolean("openai.allow.insecure.http").ifPresent(b::allowInsecureHttp);
        config.getInt("openai.max.tool.calls").ifPresent(b::maxToolCalls);
        config.getInt("openai.max.tool.argument.chars").ifPresent(b::maxToolArgumentChars);
        return b.build();
    }
}
