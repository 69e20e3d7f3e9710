package dev.alfred.llm.http.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The HTTP client a provider sends with, replaced by a fresh one after a protocol failure.
 *
 * <p>Why: when the JDK's client rejects a response head (a bad status line, a header block over its
 * limit, a head that never ends), it can leave that connection's socket open. Measured through this
 * provider, 100 such failures leave 100 open sockets on 17.0.15 and on 25.0.3 alike; on 17 they stay
 * for the life of the process, even after the client is collected, and there is no public API to reach
 * them (no JDK bug id was found for it; {@code RejectedHeadSocketTest} reproduces it). From JDK 21 on,
 * {@code HttpClient.shutdown()} exists: the failed client is retired with it (exchanges in flight on
 * it run to completion, then it closes every connection) and a fresh one takes its place. On 17 the
 * client is kept, since retiring it would free nothing. A client the caller supplied is never retired.
 * Thread-safe.
 */
public final class RenewableClient {

    private static final Logger LOG = LoggerFactory.getLogger(RenewableClient.class);
    private static final Method SHUTDOWN = method("shutdown");
    private static final Method SHUTDOWN_NOW = method("shutdownNow");

    private final AtomicReference<HttpClient> current;
    /** Builds the next client; null when the client is the caller's, or the JDK cannot retire one (17). */
    private final Supplier<HttpClient> factory;

    private RenewableClient(HttpClient first, Supplier<HttpClient> factory) {
        this.current = new AtomicReference<>(first);
        this.factory = factory;
    }

    /**
     * A client built (and rebuilt after protocol failures, where the JDK can retire one) by the factory.
     *
     * @param factory builds a client
     * @return the holder
     */
    public static RenewableClient owned(Supplier<HttpClient> factory) {
        return new RenewableClient(factory.get(), canRetire() ? factory : null);
    }

    /**
     * A client the caller owns: never retired.
     *
     * @param client the client
     * @return the holder
     */
    public static RenewableClient borrowed(HttpClient client) {
        return new RenewableClient(client, null);
    }

    /**
     * Whether this JDK lets a failed client be retired (JDK 21 and later).
     *
     * @return true when {@code HttpClient.shutdown()} exists
     */
    public static boolean canRetire() {
        return SHUTDOWN != null;
    }

    /**
     * The client to send with now.
     *
     * @return the client
     */
    public HttpClient current() {
        return current.get();
    }

    /**
     * Retires a client that saw a protocol failure, if it is still the current one, it is owned, and
     * the JDK can shut it down; the next exchange gets a fresh client.
     *
     * @param failed the client the failed exchange used
     */
    public void retire(HttpClient failed) {
        if (factory == null || current.get() != failed) {
            return;
        }
        HttpClient fresh = factory.get();
        // Two exchanges that failed on one client may both get here: only one replaces it.
        shutDown(current.compareAndSet(failed, fresh) ? failed : fresh);
    }

    private static void shutDown(HttpClient client) {
        try {
            SHUTDOWN.invoke(client);
        } catch (ReflectiveOperationException e) {
            LOG.debug("shutting down an HTTP client failed: {}", e.toString());
        }
    }

    /**
     * Shuts the current client down if it is owned, without waiting (JDK 21 and later; on 17 it ends when
     * collected). {@code HttpClient.close()} would wait for every exchange in flight, which hangs for as
     * long as a stream stays open; {@code shutdownNow()} cancels what is left instead. The transport
     * cancels its own exchanges first, so nothing of this provider is in flight by then.
     */
    public void close() {
        HttpClient c = current.get();
        if (factory != null) { // owned, on a JDK that has shutdownNow as it has shutdown
            try {
                SHUTDOWN_NOW.invoke(c);
            } catch (ReflectiveOperationException e) {
                LOG.debug("shutting down the HTTP client failed: {}", e.toString());
            }
        }
    }

    private static Method method(String name) {
        try {
            return HttpClient.class.getMethod(name);
        } catch (NoSuchMethodException onJdk17) {
            return null;
        }
    }
}
