package dev.alfred.llm.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * One {@link ServiceLoader} scan that survives broken registrations: each service that fails to load
 * is logged, skipped and kept, and the scan goes on to the next.
 *
 * @param <S> the service type
 */
public final class ServiceDiscovery<S> {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceDiscovery.class);
    /** ServiceLoader promises to move on after an error; this bound guards against one that does not. */
    private static final int MAX_FAILURES = 100;

    private final List<S> services;
    private final List<Throwable> failures;

    private ServiceDiscovery(List<S> services, List<Throwable> failures) {
        this.services = List.copyOf(services);
        this.failures = List.copyOf(failures);
    }

    /**
     * Scans a class loader for a service.
     *
     * @param type   the service interface
     * @param loader the class loader
     * @param idOf   the service's id, asked once here so that a service whose id fails counts as failed
     * @param <S>    the service type
     * @return what loaded and what failed
     */
    public static <S> ServiceDiscovery<S> load(Class<S> type, ClassLoader loader, Function<S, String> idOf) {
        Objects.requireNonNull(loader, "loader");
        Iterator<S> it = ServiceLoader.load(type, loader).iterator();
        List<S> services = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        while (failures.size() < MAX_FAILURES) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                S service = it.next();
                idOf.apply(service);
                services.add(service);
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                LOG.warn("Skipping a {} that failed to load: {}", type.getSimpleName(), e.toString());
                failures.add(e);
            }
        }
        return new ServiceDiscovery<>(services, failures);
    }

    /**
     * The services that loaded.
     *
     * @return the services, in the order found
     */
    public List<S> services() {
        return services;
    }

    /**
     * The failures met, in the order met.
     *
     * @return the failures
     */
    public List<Throwable> failures() {
        return failures;
    }
}
