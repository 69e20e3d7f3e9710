package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.spi.LlmProviderDecorator;
import io.opentelemetry.api.GlobalOpenTelemetry;

import java.util.Objects;

/**
 * Observes every provider created through {@link dev.alfred.llm.LlmProviders} when {@code llm-opentelemetry}
 * is on the class path: it adds a {@link GenAiListener} over {@link GlobalOpenTelemetry#getOrNoop()}, with
 * its settings from the environment. It sits outside the retry decorator ({@link #order()}), so one span
 * covers a call with all its attempts, and each retry is an event on it.
 *
 * <p>Settings: {@code opentelemetry.enabled} ({@code false} turns it off; environment
 * {@code OPENTELEMETRY_ENABLED}). Without an SDK installed as the global OpenTelemetry, the listener
 * records into the no-op API, which costs next to nothing; install the SDK before the first call (not
 * necessarily before creating the provider). With {@code OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED=true} and
 * the SDK's autoconfigure module on the class path, the first call sets the SDK up from the environment.
 */
public final class OpenTelemetryDecorator implements LlmProviderDecorator {

    /** The decorator's id. */
    public static final String ID = "opentelemetry";

    private final GenAiListener listener;

    /** The setting with which the OpenTelemetry SDK's autoconfigure module sets the global instance up on first use. */
    static final String GLOBAL_AUTOCONFIGURE = "otel.java.global-autoconfigure.enabled";

    /** Creates the decorator over the global OpenTelemetry; ServiceLoader needs this constructor. */
    public OpenTelemetryDecorator() {
        this(GenAiListener.builder(global(autoconfigureRequested(System.getenv(), System.getProperties())))
                .fromEnvironment().build());
    }

    /**
     * Whether the user asked the SDK's autoconfigure module to set the global instance up on first use
     * ({@code OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED} or {@code otel.java.global-autoconfigure.enabled}).
     */
    static boolean autoconfigureRequested(java.util.Map<String, String> env, java.util.Properties properties) {
        String v = properties.getProperty(GLOBAL_AUTOCONFIGURE, env.get("OTEL_JAVA_GLOBAL_AUTOCONFIGURE_ENABLED"));
        return v != null && v.trim().equalsIgnoreCase("true");
    }

    /**
     * The global instance as asked at each call: {@link GlobalOpenTelemetry#getOrNoop()}, which never fixes
     * the global to a no-op (an application may install its SDK later); or, when the user asked for
     * autoconfigure on first use, {@link GlobalOpenTelemetry#get()}, which runs it.
     */
    static java.util.function.Supplier<io.opentelemetry.api.OpenTelemetry> global(boolean autoconfigure) {
        return autoconfigure ? GlobalOpenTelemetry::get : GlobalOpenTelemetry::getOrNoop;
    }

    /**
     * Creates the decorator with a listener of one's own, for an explicit registry.
     *
     * @param listener the listener every decorated provider gets
     * @throws NullPointerException if listener is null
     */
    public OpenTelemetryDecorator(GenAiListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * Sits outside the retry decorator (order 100) and other per-attempt decorators.
     *
     * @return 1000
     */
    @Override
    public int order() {
        return 1000;
    }

    /**
     * The listener this decorator adds.
     *
     * @return the listener
     */
    public GenAiListener listener() {
        return listener;
    }

    /**
     * Adds the listener to the provider, or returns it as is when {@code opentelemetry.enabled} is false.
     *
     * @param provider the provider
     * @param config   the settings
     * @return the observed provider
     * @throws IllegalArgumentException if {@code opentelemetry.enabled} is not a boolean
     */
    @Override
    public LlmProvider decorate(LlmProvider provider, ProviderConfig config) {
        if (!config.getBoolean("opentelemetry.enabled").orElse(true)) {
            return provider;
        }
        return provider.withListeners(listener);
    }

    /**
     * Adds the GenAI listener to an embedding provider (an {@code embeddings {model}} span per call), unless
     * {@code opentelemetry.enabled} is false.
     *
     * @param provider the embedding provider
     * @param config   the settings
     * @return the listening provider, or the provider itself when turned off
     */
    @Override
    public EmbeddingProvider decorate(EmbeddingProvider provider, ProviderConfig config) {
        if (!config.getBoolean("opentelemetry.enabled").orElse(true)) {
            return provider;
        }
        return provider.withListeners(listener);
    }
}
