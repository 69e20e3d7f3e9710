package dev.alfred.llm.opentelemetry;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderConfig;
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
 * necessarily before creating the provider).
 */
public final class OpenTelemetryDecorator implements LlmProviderDecorator {

    /** The decorator's id. */
    public static final String ID = "opentelemetry";

    private final GenAiListener listener;

    /** Creates the decorator over the global OpenTelemetry; ServiceLoader needs this constructor. */
    public OpenTelemetryDecorator() {
        this(GenAiListener.builder(GlobalOpenTelemetry::getOrNoop).fromEnvironment().build());
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
}
