package dev.alfred.llm.config;

import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.ProviderNotFoundException;

import dev.alfred.llm.observe.LlmListener;

import dev.alfred.llm.internal.ServiceDiscovery;
import dev.alfred.llm.spi.LlmProviderDecorator;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A fixed set of provider factories and decorators, found by {@link LlmProviders#registry()} or given
 * explicitly with {@link #of}. Providers are chosen by id only, never by class-path order. Immutable
 * and thread-safe.
 */
public final class ProviderRegistry {

    private final Map<String, LlmProviderFactory> factories;
    private final List<LlmProviderDecorator> decorators;
    private final List<LlmListener> listeners;
    private final List<Throwable> loadFailures;

    private ProviderRegistry(Collection<? extends LlmProviderFactory> factories,
                             Collection<? extends LlmProviderDecorator> decorators,
                             Collection<? extends LlmListener> listeners,
                             List<? extends Throwable> loadFailures) {
        Map<String, LlmProviderFactory> byId = new TreeMap<>();
        for (LlmProviderFactory f : factories) {
            Objects.requireNonNull(f, "factory");
            LlmProviderFactory earlier = byId.putIfAbsent(requireId(f.id(), f), f);
            if (earlier != null) {
                throw duplicate("provider", f.id(), earlier, f);
            }
        }
        Map<String, LlmProviderDecorator> decoratorsById = new LinkedHashMap<>();
        for (LlmProviderDecorator d : decorators) {
            Objects.requireNonNull(d, "decorator");
            LlmProviderDecorator earlier = decoratorsById.putIfAbsent(requireId(d.id(), d), d);
            if (earlier != null) {
                throw duplicate("decorator", d.id(), earlier, d);
            }
        }
        List<LlmProviderDecorator> ordered = new ArrayList<>(decoratorsById.values());
        ordered.sort(Comparator.comparingInt(LlmProviderDecorator::order).thenComparing(LlmProviderDecorator::id));
        this.factories = Collections.unmodifiableMap(byId);
        this.decorators = List.copyOf(ordered);
        for (LlmProviderFactory f : byId.values()) {
            ProviderConfig.declarePrefixes(safePrefixes(f::settingPrefixes));
        }
        for (LlmProviderDecorator d : this.decorators) {
            ProviderConfig.declarePrefixes(safePrefixes(d::settingPrefixes));
        }
        this.listeners = List.copyOf(listeners);
        this.loadFailures = List.copyOf(loadFailures);
    }

    /**
     * A registry of exactly these factories and no decorators, with no class-path scanning.
     *
     * @param factories the factories
     * @return the registry
     * @throws LlmException         if two factories share an id
     * @throws NullPointerException if a factory is null
     */
    public static ProviderRegistry of(LlmProviderFactory... factories) {
        return new ProviderRegistry(List.of(factories), List.of(), List.of(), List.of());
    }

    /**
     * A registry of exactly these factories and decorators, with no class-path scanning.
     *
     * @param factories  the factories
     * @param decorators the decorators, applied in their stable order
     * @return the registry
     * @throws LlmException         if two factories or two decorators share an id
     * @throws NullPointerException if an argument or element is null
     */
    public static ProviderRegistry of(Collection<? extends LlmProviderFactory> factories,
                                      Collection<? extends LlmProviderDecorator> decorators) {
        return new ProviderRegistry(factories, decorators, List.of(), List.of());
    }

    /**
     * A registry of exactly these factories, decorators and listeners, with no class-path scanning.
     *
     * @param factories  the factories
     * @param decorators the decorators, applied in their stable order
     * @param listeners  the listeners every created provider gets, outside every decorator
     * @return the registry
     * @throws LlmException         if two factories or two decorators share an id
     * @throws NullPointerException if an argument or element is null
     */
    public static ProviderRegistry of(Collection<? extends LlmProviderFactory> factories,
                                      Collection<? extends LlmProviderDecorator> decorators,
                                      Collection<? extends LlmListener> listeners) {
        return new ProviderRegistry(factories, decorators, listeners, List.of());
    }

    /**
     * Scans a class loader (or, in a module layer, the modules that provide the services) for
     * factories, decorators and listeners. A service that fails to load is logged, skipped, and kept in
     * {@link #loadFailures()}.
     *
     * @param loader the class loader to scan
     * @return the registry of what was found
     * @throws dev.alfred.llm.LlmException if two providers or two decorators share an id
     * @throws NullPointerException        if loader is null
     */
    public static ProviderRegistry discover(ClassLoader loader) {
        ServiceDiscovery<LlmProviderFactory> factories = ServiceDiscovery.load(LlmProviderFactory.class, loader, LlmProviderFactory::id);
        ServiceDiscovery<LlmProviderDecorator> decorators = ServiceDiscovery.load(LlmProviderDecorator.class, loader, LlmProviderDecorator::id);
        ServiceDiscovery<LlmListener> listeners = ServiceDiscovery.load(LlmListener.class, loader, l -> l.getClass().getName());
        List<Throwable> failures = new ArrayList<>(factories.failures());
        failures.addAll(decorators.failures());
        failures.addAll(listeners.failures());
        return discovered(factories.services(), decorators.services(), listeners.services(), failures);
    }

    private static ProviderRegistry discovered(List<LlmProviderFactory> factories, List<LlmProviderDecorator> decorators,
                                       List<LlmListener> listeners, List<Throwable> loadFailures) {
        return new ProviderRegistry(factories, decorators, listeners, loadFailures);
    }

    /**
     * Creates the provider with this id, wraps it in every decorator, and lets the registry's listeners
     * hear it, outside every decorator (one call with its retries is one start and one end).
     *
     * @param id     the provider id, such as {@code kimi}
     * @param config its settings
     * @return the provider, decorated
     * @throws ProviderNotFoundException if no factory has this id; load failures are attached as suppressed
     * @throws IllegalArgumentException  if the configuration is missing or has an invalid setting
     * @throws NullPointerException      if an argument is null
     */
    public LlmProvider create(String id, ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        LlmProvider provider = factory(id).create(config);
        if (provider == null) {
            throw new LlmException("provider factory '" + id + "' returned null", null);
        }
        provider = decorated(provider, (d, p) -> d.decorate(p, config));
        return listeners.isEmpty() ? provider : provider.withListeners(listeners.toArray(new LlmListener[0]));
    }

    /**
     * Creates the embedding provider with this id, wrapped in the decorators found (those that decorate
     * embeddings) and the listeners found.
     *
     * @param id     the provider id, such as {@code openai}
     * @param config its settings
     * @return the embedding provider
     * @throws ProviderNotFoundException  if no provider has this id
     * @throws UnsupportedFeatureException if the provider's server has no embeddings; the message names the
     *                                     alternative
     * @throws IllegalArgumentException   if the configuration is missing or has an invalid setting
     * @throws NullPointerException       if an argument is null
     */
    public EmbeddingProvider createEmbeddings(String id, ProviderConfig config) {
        Objects.requireNonNull(config, "config");
        EmbeddingProvider provider = factory(id).createEmbeddings(config);
        if (provider == null) {
            throw new LlmException("provider factory '" + id + "' returned no embedding provider", null);
        }
        provider = decorated(provider, (d, p) -> d.decorate(p, config));
        return listeners.isEmpty() ? provider : provider.withListeners(listeners.toArray(new LlmListener[0]));
    }

    /** A provider wrapped in every decorator in order; one that fails closes what was made, one that returns null is named. */
    private <P extends AutoCloseable> P decorated(P provider, java.util.function.BiFunction<LlmProviderDecorator, P, P> decorate) {
        P current = provider;
        for (LlmProviderDecorator decorator : decorators) {
            P inner = current;
            try {
                current = Objects.requireNonNull(decorate.apply(decorator, inner),
                        () -> "decorator '" + decorator.id() + "' returned null");
            } catch (RuntimeException e) {
                try {
                    inner.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        return current;
    }

    /**
     * The factory registered under an id.
     *
     * @param id the provider id
     * @return the factory
     * @throws ProviderNotFoundException if no factory has this id
     * @throws NullPointerException      if id is null
     */
    public LlmProviderFactory factory(String id) {
        Objects.requireNonNull(id, "id");
        LlmProviderFactory f = factories.get(id);
        if (f == null) {
            ProviderNotFoundException e = new ProviderNotFoundException(id, factories.keySet());
            loadFailures.forEach(e::addSuppressed);
            throw e;
        }
        return f;
    }

    /**
     * The provider ids found.
     *
     * @return the ids, sorted
     */
    public Set<String> ids() {
        return factories.keySet();
    }

    /**
     * The decorators applied to every created provider, in the order they are applied.
     *
     * @return the decorators
     */
    public List<LlmProviderDecorator> decorators() {
        return decorators;
    }

    /**
     * The listeners every created provider gets: those found through {@link java.util.ServiceLoader}, or
     * given to {@link #of(Collection, Collection, Collection)}.
     *
     * @return the listeners
     */
    public List<LlmListener> listeners() {
        return listeners;
    }

    /**
     * This registry with no decorators and no listeners, for callers that wrap providers by hand.
     *
     * @return the undecorated registry
     */
    public ProviderRegistry withoutDecorators() {
        return new ProviderRegistry(factories.values(), List.of(), List.of(), loadFailures);
    }

    /**
     * The failures met while loading factories and decorators, which were skipped.
     *
     * @return the failures, in the order met
     */
    public List<Throwable> loadFailures() {
        return loadFailures;
    }

    /**
     * Where a provider's factory comes from, for diagnostics: its class and its module or jar.
     *
     * @param id the provider id
     * @return a description such as {@code dev.alfred.llm.kimi.KimiProviderFactory (file:/…/llm-kimi.jar)}
     * @throws ProviderNotFoundException if no factory has this id
     */
    public String origin(String id) {
        return originOf(factory(id).getClass());
    }

    /**
     * Where a decorator came from, for diagnostics: its class and its module or jar.
     *
     * @param id the decorator's id
     * @return a description such as {@code dev.alfred.llm.retry.RetryDecorator (module dev.alfred.llm.retry)}
     * @throws IllegalArgumentException if no decorator has this id
     */
    public String decoratorOrigin(String id) {
        for (LlmProviderDecorator d : decorators) {
            if (d.id().equals(id)) {
                return originOf(d.getClass());
            }
        }
        throw new IllegalArgumentException("no decorator with id '" + id + "'");
    }

    private static String originOf(Class<?> type) {
        Module module = type.getModule();
        String where;
        if (module.isNamed()) {
            where = "module " + module.getName();
        } else {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            where = source == null || source.getLocation() == null ? "unknown location" : source.getLocation().toString();
        }
        return type.getName() + " (" + where + ")";
    }

    private static String requireId(String id, Object service) {
        if (id == null || id.isBlank()) {
            throw new LlmException(service.getClass().getName() + " has a null or blank id", null);
        }
        return id;
    }

    private static LlmException duplicate(String kind, String id, Object first, Object second) {
        return new LlmException("two " + kind + "s share the id '" + id + "': " + first.getClass().getName()
                + " and " + second.getClass().getName() + "; remove one from the class path", null);
    }

    /** A service's declared prefixes; a service that fails to say is shown by its id alone. */
    private static Set<String> safePrefixes(java.util.function.Supplier<Set<String>> prefixes) {
        try {
            Set<String> p = prefixes.get();
            return p == null ? Set.of() : p;
        } catch (RuntimeException e) {
            return Set.of();
        }
    }
}
