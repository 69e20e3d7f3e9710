package dev.alfred.llm.http;

import dev.alfred.llm.LlmException;
import dev.alfred.llm.http.internal.RenewableClient;
import dev.alfred.llm.spi.SecretScrubber;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of one provider: its {@link HttpClient} (created here, or the caller's), replaced after
 * a protocol failure, and the owner of every exchange sent with it. It knows its live exchanges (those
 * sent and not yet ended), so {@link #close()} cancels them before it shuts its client down, and returns
 * at once on every JDK, also with streams open and readers blocked on other threads. Every client this
 * class creates runs on one small pool that all providers of the JVM share, so the library's platform
 * threads stay bounded however many providers and streams there are; plain {@code http://} (a local
 * server or a test server) is spoken as HTTP/1.1 and {@code https://} as HTTP/2. Thread-safe.
 *
 * <pre>{@code
 * HttpTransport http = HttpTransport.create(Duration.ofSeconds(10));
 * HttpExchange exchange = http.exchange(request, body, settings, true);
 * }</pre>
 */
public final class HttpTransport implements AutoCloseable {

    /** The User-Agent every provider of this library sends: {@code alfred-llm/<version>}. */
    public static final String USER_AGENT = "alfred-llm/" + version();
    /** The most threads of the shared pool. */
    static final int MAX_CLIENT_THREADS = 8;

    private final RenewableClient clients;
    private final Set<HttpExchange> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private HttpTransport(RenewableClient clients) {
        this.clients = clients;
    }

    /**
     * A transport with a client of its own on the shared pool; {@link #close()} closes it.
     *
     * @param connectTimeout the connect timeout
     * @return the transport
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static HttpTransport create(Duration connectTimeout) {
        return create(connectTimeout, null, null);
    }

    /**
     * A transport: with the caller's client when one is given (never closed nor replaced here), else
     * with a client of its own on the given executor, or on the shared pool when that is null.
     *
     * @param connectTimeout the connect timeout of a client created here
     * @param client         the caller's client, or null
     * @param executor       the executor of a client created here, or null for the shared pool
     * @return the transport
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static HttpTransport create(Duration connectTimeout, HttpClient client, Executor executor) {
        ExchangeSettings.requirePositive("connectTimeout", connectTimeout);
        if (client != null) {
            return new HttpTransport(RenewableClient.borrowed(client));
        }
        Executor pool = executor != null ? executor : SharedPool.POOL;
        return new HttpTransport(RenewableClient.owned(() -> HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(pool)
                .build()));
    }

    /**
     * Prepares an exchange; nothing is sent before its first read. Plain {@code http://} goes out as
     * HTTP/1.1 (no h2c upgrade), {@code https://} as HTTP/2 where the server offers it.
     *
     * @param request  the request
     * @param body     the bytes the request publishes, for the wire log; null for none
     * @param settings the provider's deadlines and error mapping
     * @param stream   whether the answer streams (its head must then come within the headers timeout)
     * @return the exchange
     * @throws LlmException if this transport is closed
     */
    public HttpExchange exchange(HttpRequest request, byte[] body, ExchangeSettings settings, boolean stream) {
        if (closed) {
            throw new LlmException(settings.providerId() + ": provider is closed", settings.providerId(), -1, null,
                    false, null, null);
        }
        return new HttpExchange(this, clients, request, body, settings, stream);
    }

    /** An exchange was sent: it is live until it ends. A send racing {@link #close()} is cancelled at once. */
    void opened(HttpExchange exchange) {
        live.add(exchange);
        if (closed) {
            exchange.cancelByOwner();
        }
    }

    /** An exchange ended. */
    void closed(HttpExchange exchange) {
        live.remove(exchange);
    }

    /**
     * How many exchanges are live: sent and not yet ended.
     *
     * @return the count
     */
    public int liveExchanges() {
        return live.size();
    }

    /**
     * A request builder for a URL, with the HTTP version this library speaks to it.
     *
     * @param uri the URL
     * @return the builder
     */
    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).version("https".equalsIgnoreCase(uri.getScheme())
                ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
    }

    /**
     * Checks a provider's base URL: absolute {@code http} or {@code https} with a host, and plain
     * {@code http} only to a loopback host unless the caller accepts sending the key in clear.
     *
     * @param baseUrl       the URL
     * @param allowInsecure whether plain http to any host is accepted
     * @param settingNames  the settings that name the URL and the insecure switch, for the message
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void checkBaseUrl(URI baseUrl, boolean allowInsecure, String settingNames) {
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http or https URL, was "
                    + SecretScrubber.NONE.scrub(baseUrl.toString()));
        }
        if (scheme.equalsIgnoreCase("http") && !allowInsecure && !isLoopback(baseUrl.getHost())) {
            throw new IllegalArgumentException("baseUrl (" + settingNames + ") is plain http to " + baseUrl.getHost()
                    + ", not this machine: requests (and an API key, if one is set) would cross the network in clear;"
                    + " use https, or allow insecure http to accept that");
        }
    }

    /**
     * Whether a host is this machine: {@code localhost}, {@code *.localhost}, {@code 127.0.0.0/8} or
     * {@code [::1]}.
     *
     * @param host a URL's host
     * @return true for loopback
     */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /**
     * A URL below a base URL, with exactly one slash between them; a query on the base URL (Azure's
     * {@code ?api-version=…}) stays after the path.
     *
     * @param baseUrl the base, such as {@code https://api.openai.com/v1/}
     * @param path    the path, such as {@code chat/completions}
     * @return the URL
     */
    public static URI resolve(URI baseUrl, String path) {
        String base = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        String p = path.startsWith("/") ? path.substring(1) : path;
        String query = baseUrl.getRawQuery() == null ? "" : "?" + baseUrl.getRawQuery();
        return URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + (base.endsWith("/") ? base : base + "/")
                + p + query);
    }

    /**
     * Cancels every live exchange (a reader blocked on one, on any thread, gets a typed error saying the
     * provider was closed), then shuts the client down if it was created here (on JDK 21 and later,
     * without waiting; on 17 its selector thread ends when the client is collected). Returns at once;
     * later exchanges are refused. The shared pool's threads end by themselves when idle. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (HttpExchange e : live) {
            e.cancelByOwner();
        }
        clients.close();
    }

    private static String version() {
        try (InputStream in = HttpTransport.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }

    /**
     * The default executor of every client created here, shared so that the library's platform
     * threads are bounded however many providers and streams there are. The client's threads only
     * hand received bytes to the reading thread, so few are needed: at most 8, released after 30 s
     * idle. Past 8 busy threads a task waits in the queue; it is never rejected and never run on the
     * caller. (Wave 1 ran it on the caller, which can be the client's own selector thread; under load
     * the JDK's exchanges then lost their progress and 16 concurrent calls waited for ever.)
     */
    private static final class SharedPool {
        static final ExecutorService POOL = create();

        private static ExecutorService create() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_CLIENT_THREADS, MAX_CLIENT_THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "alfred-llm-http-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
