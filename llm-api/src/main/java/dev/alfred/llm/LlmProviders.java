package dev.alfred.llm;

import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.config.ProviderRegistry;

import dev.alfred.llm.observe.LlmListener;


import java.util.Set;

/**
 * The entry point: finds the providers on the class path or module path through
 * {@link java.util.ServiceLoader} and creates one by id, wrapped in the decorators found with it.
 *
 * <pre>{@code
 * try (LlmProvider llm = LlmProviders.create("kimi", ProviderConfig.fromEnvironment())) {
 *     System.out.println(llm.chat(ChatRequest.of("Hello")).content());
 * }
 * }</pre>
 *
 * Each call scans anew, so providers added to a class loader later are seen; keep the
 * {@link ProviderRegistry} from {@link #registry()} to scan once.
 */
public final class LlmProviders {

    /** The setting that names the provider for {@link #create(ProviderConfig)}: {@code LLM_PROVIDER}. */
    public static final String PROVIDER_KEY = "llm.provider";

    private LlmProviders() {
    }

    /**
     * Creates the provider with this id from the providers found, wrapped in the decorators found.
     *
     * @param id     the provider id, such as {@code kimi}
     * @param config its settings
     * @return the provider
     * @throws ProviderNotFoundException if no provider has this id; factories that failed to load are
     *                                   attached as suppressed
     * @throws LlmException              if two providers share an id
     * @throws IllegalArgumentException  if the configuration is missing or has an invalid setting
     * @throws NullPointerException      if an argument is null
     */
    public static LlmProvider create(String id, ProviderConfig config) {
        return registry().create(id, config);
    }

    /**
     * Creates the provider that the configuration names under {@value #PROVIDER_KEY}
     * (environment variable {@code LLM_PROVIDER}), so that switching provider needs no code change.
     *
     * @param config the settings, including {@value #PROVIDER_KEY}
     * @return the provider
     * @throws IllegalArgumentException  if {@value #PROVIDER_KEY} is unset, or a setting is invalid
     * @throws ProviderNotFoundException if no provider has that id
     */
    public static LlmProvider create(ProviderConfig config) {
        return create(config.require(PROVIDER_KEY), config);
    }

    /**
     * Creates the embedding provider with this id from the providers found, wrapped in the decorators and
     * listeners found: retries per batch when {@code llm-retry} is on the class path, spans when
     * {@code llm-opentelemetry} is.
     *
     * <pre>{@code
     * try (EmbeddingProvider embeddings = LlmProviders.createEmbeddings("openai", ProviderConfig.fromEnvironment())) {
     *     float[] v = embeddings.embed("Ada likes tea.").vector(0);
     * }
     * }</pre>
     *
     * @param id     the provider id, such as {@code openai}
     * @param config its settings
     * @return the embedding provider
     * @throws ProviderNotFoundException   if no provider has this id
     * @throws UnsupportedFeatureException if its server has no embeddings; the message names the alternative
     * @throws IllegalArgumentException    if the configuration is missing or has an invalid setting
     * @throws NullPointerException        if an argument is null
     */
    public static EmbeddingProvider createEmbeddings(String id, ProviderConfig config) {
        return registry().createEmbeddings(id, config);
    }

    /**
     * The ids of the providers found.
     *
     * @return the ids, sorted
     * @throws LlmException if two providers share an id
     */
    public static Set<String> ids() {
        return registry().ids();
    }

    /**
     * Scans the thread's context class loader (or, in a module layer, the modules that provide the
     * services) for factories and decorators. A factory that fails to load is logged, skipped, and kept
     * in {@link ProviderRegistry#loadFailures()}.
     *
     * @return the registry of what was found
     * @throws LlmException if two providers or two decorators share an id
     */
    public static ProviderRegistry registry() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return registry(loader != null ? loader : LlmProviders.class.getClassLoader());
    }

    /**
     * Scans a class loader for factories, decorators and listeners ({@link LlmListener}).
     *
     * @param loader the class loader to scan
     * @return the registry of what was found
     * @throws LlmException         if two providers or two decorators share an id
     * @throws NullPointerException if loader is null
     */
    public static ProviderRegistry registry(ClassLoader loader) {
        return ProviderRegistry.discover(loader);
    }
}
