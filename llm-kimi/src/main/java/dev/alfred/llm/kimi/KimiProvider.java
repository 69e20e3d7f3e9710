package dev.alfred.llm.kimi;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.kimi.internal.ChoiceParts;
import dev.alfred.llm.kimi.internal.Chunk;
import dev.alfred.llm.kimi.internal.ChunkDecoder;
import dev.alfred.llm.kimi.internal.ErrorMapper;
import dev.alfred.llm.kimi.internal.FinishReasons;
import dev.alfred.llm.kimi.internal.KimiChatStream;
import dev.alfred.llm.kimi.internal.KimiExchange;
import dev.alfred.llm.kimi.internal.KimiSettings;
import dev.alfred.llm.kimi.internal.MalformedChunkException;
import dev.alfred.llm.kimi.internal.RenewableClient;
import dev.alfred.llm.kimi.internal.RequestEncoder;
import dev.alfred.llm.kimi.internal.SseParser;
import dev.alfred.llm.kimi.internal.Watchdog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kimi (Moonshot AI) provider: the OpenAI-compatible chat-completions API over
 * {@link java.net.http.HttpClient}, with streaming through a hand-written event-stream reader.
 *
 * <pre>{@code
 * LlmProvider kimi = KimiProvider.builder().apiKey(System.getenv("KIMI_API_KEY")).build();
 * }</pre>
 *
 * One instance shares one HTTP client across calls and is thread-safe. It sends its own
 * {@code User-Agent: alfred-llm/<version>} and never another client's. {@link #toString()} and every
 * exception message leave the API key out.
 */
public final class KimiProvider implements LlmProvider {

    /** The provider id. */
    public static final String ID = "kimi";
    /** The Open Platform (global) base URL, the default. */
    public static final URI OPEN_PLATFORM_URL = URI.create("https://api.moonshot.ai/v1");
    /** The Open Platform base URL for mainland China. */
    public static final URI OPEN_PLATFORM_CHINA_URL = URI.create("https://api.moonshot.cn/v1");
    /** The Kimi Coding Plan base URL; it admits only approved coding agents. */
    public static final URI CODING_PLAN_URL = URI.create("https://api.kimi.com/coding/v1");
    /** The default model: Kimi's current general flagship on the Open Platform. */
    public static final String DEFAULT_MODEL = "kimi-k3";
    /** The User-Agent sent with every request. */
    public static final String USER_AGENT = "alfred-llm/" + version();

    private static final Logger LOG = LoggerFactory.getLogger(KimiProvider.class);
    private static final int MAX_RESPONSE_BYTES = 32 << 20;
    private static final int MAX_CLIENT_THREADS = 8;
    private static final Capabilities CAPABILITIES = Capabilities.of(Capabilities.Feature.TOOLS,
            Capabilities.Feature.PARALLEL_TOOL_CALLS, Capabilities.Feature.BUILTIN_TOOLS, Capabilities.Feature.JSON_OBJECT,
            Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.IMAGES, Capabilities.Feature.REASONING);
    private static final Set<Class<?>> WARNED = ConcurrentHashMap.newKeySet();
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "user-agent", "content-type", "accept");

    private final String apiKey;
    private final URI baseUrl;
    private final URI endpoint;
    private final String model;
    private final Map<String, String> extraHeaders;
    private final RenewableClient clients;
    private final KimiSettings settings;
    private final RequestEncoder encoder = new RequestEncoder(ID);
    private final ChunkDecoder decoder = new ChunkDecoder();
    private volatile boolean closed;

    private KimiProvider(Builder b) {
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
        String base = b.baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/chat/completions");
        this.model = b.model;
        this.extraHeaders = Map.copyOf(b.extraHeaders);
        ErrorMapper errors = new ErrorMapper(ID, apiKey, b.clock);
        this.settings = new KimiSettings(ID, b.connectTimeout, b.headersTimeout, b.idleTimeout, b.totalTimeout,
                b.maxLineBytes, errors, b.watchdog, b.maxToolCalls, b.maxToolArgumentChars);
        if (b.httpClient != null) {
            this.clients = RenewableClient.borrowed(b.httpClient);
        } else {
            Duration connectTimeout = b.connectTimeout;
            java.util.concurrent.Executor executor = b.executor != null ? b.executor : SharedPool.POOL;
            // Plain http (a local gateway or a test server) gets HTTP/1.1: no h2c upgrade dance.
            HttpClient.Version version = "https".equalsIgnoreCase(baseUrl.getScheme())
                    ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
            this.clients = RenewableClient.owned(() -> HttpClient.newBuilder()
                    .connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .version(version)
                    .build());
        }
        if (baseUrl.getHost() != null && baseUrl.getHost().equalsIgnoreCase(CODING_PLAN_URL.getHost())) {
            LOG.warn("{}: base URL {} is the Kimi Coding Plan endpoint, which admits only approved coding agents;"
                    + " expect HTTP 403 access_terminated_error", ID, baseUrl);
        }
    }

    /**
     * The default executor of every provider's HTTP client, shared so that the library's platform
     * threads are bounded however many providers and streams there are. The client's threads only
     * hand received bytes to the reading thread, so few are needed: at most 8, released after 30 s
     * idle. Past 8 busy threads a task waits in the queue; it is never rejected and never run on the
     * caller. (Wave 1 ran it on the caller, which can be the client's own selector thread; under load
     * the JDK's exchanges then lost their progress and 16 concurrent calls waited for ever, see
     * RetryingKimiTest.fiftyConcurrentCalls….)
     */
    private static final class SharedPool {
        static final ExecutorService POOL = create();

        private static ExecutorService create() {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_CLIENT_THREADS, MAX_CLIENT_THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "alfred-kimi-http-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return ID;
    }

    /**
     * The model used when a request names none.
     *
     * @return the model id
     */
    public String model() {
        return model;
    }

    /**
     * The base URL requests go to.
     *
     * @return the base URL
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The base URL and the default model, for observability.
     *
     * @return the endpoint
     */
    @Override
    public ProviderEndpoint endpoint() {
        return new ProviderEndpoint(baseUrl, model);
    }

    /**
     * Tools (functions and builtins such as {@code $web_search}), parallel tool calls, JSON object and
     * JSON schema answers, images inline or by file id (Kimi does not fetch image URLs), and reasoning.
     *
     * @return Kimi's capabilities
     */
    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        List<String> warnings = new ArrayList<>();
        KimiExchange exchange = send(request, false, warnings);
        try {
            exchange.successfulHeaders();
            String traceId = exchange.traceId();
            byte[] body = exchange.readAll(MAX_RESPONSE_BYTES, true);
            Chunk c;
            try {
                c = decoder.decode(body, 0, body.length);
            } catch (MalformedChunkException e) {
                throw new ProviderUnavailableException(settings.errors().describe(200, null,
                        "malformed response body (" + e.getMessage() + ")", traceId), ID, 200, null, null, traceId, null);
            }
            if (c.isError()) {
                throw settings.errors().fromStreamError(c, traceId);
            }
            ResponseAccumulator acc = settings.accumulator();
            warnings.forEach(acc::warn);
            new ChoiceParts().accept(c, acc::accept, acc::warn);
            acc.id(c.id());
            acc.model(c.model());
            acc.usage(c.usage());
            acc.finishReason(FinishReasons.of(c.finishReason()), c.finishReason());
            return acc.response();
        } catch (RuntimeException e) {
            exchange.cancel();
            throw e;
        }
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        List<String> warnings = new ArrayList<>();
        return new KimiChatStream(send(request, true, warnings), settings, decoder, warnings);
    }

    private KimiExchange send(ChatRequest request, boolean stream, List<String> warnings) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new LlmException(ID + ": provider is closed", ID, -1, null, false, null, null);
        }
        CAPABILITIES.check(request, ID);
        for (ProviderOptions o : request.options()) {
            if (!(o instanceof KimiOptions)) {
                String warning = "options " + o.getClass().getSimpleName() + " for provider '" + o.providerId()
                        + "' were ignored by " + ID;
                warnings.add(warning);
                if (WARNED.add(o.getClass())) {
                    LOG.warn("{} (logged once per options type)", warning);
                }
            }
        }
        KimiOptions kimi = request.options(KimiOptions.class).orElse(KimiOptions.DEFAULT);
        byte[] body = encoder.encode(request, model, stream, kimi.thinking(), kimi.partial());
        HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        extraHeaders.forEach(rb::header);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: POST {} model={} stream={} messages={}", ID, endpoint,
                    request.model() != null ? request.model() : model, stream, request.messages().size());
        }
        return new KimiExchange(clients, rb.build(), settings, stream);
    }

    /**
     * Closes the HTTP client if this provider created it (on JDK 21 and later; on 17 its selector
     * thread ends when the client is collected). The shared pool's threads end by themselves when idle.
     * Later calls fail.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        clients.close();
    }

    /**
     * A description without secrets.
     *
     * @return the base URL and model
     */
    @Override
    public String toString() {
        return "KimiProvider{baseUrl=" + baseUrl + ", model=" + model + ", apiKey=****}";
    }

    private static String version() {
        try (InputStream in = KimiProvider.class.getResourceAsStream("internal/version.properties")) {
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

    /** Builds a {@link KimiProvider}; not thread-safe. Only the API key is required. */
    public static final class Builder {
        private String apiKey;
        private URI baseUrl = OPEN_PLATFORM_URL;
        private String model = DEFAULT_MODEL;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration headersTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ofSeconds(120);
        private Duration totalTimeout = Duration.ofMinutes(15);
        private int maxLineBytes = SseParser.DEFAULT_MAX_LINE_BYTES;
        private HttpClient httpClient;
        private java.util.concurrent.Executor executor;
        private Clock clock = Clock.systemUTC();
        private Watchdog watchdog = Watchdog.shared();
        private boolean allowInsecureHttp;
        private int maxToolCalls = ResponseAccumulator.DEFAULT_MAX_TOOL_CALLS;
        private int maxToolArgumentChars = ResponseAccumulator.DEFAULT_MAX_ARGUMENT_CHARS;
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the API key (required): an Open Platform key, or a Coding Plan key with that base URL.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Sets the base URL; the default is {@link #OPEN_PLATFORM_URL}. Any OpenAI-compatible base works.
         *
         * @param baseUrl an absolute http(s) URL such as {@code https://api.moonshot.cn/v1}
         * @return this builder
         * @throws NullPointerException if baseUrl is null
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * Sets the default model; a request's own model overrides it. Default {@link #DEFAULT_MODEL}.
         *
         * @param model the model id
         * @return this builder
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the connect timeout (default 10 s). Ignored with {@link #httpClient}.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets how long a stream's response head may take (default 60 s). A non-stream chat's head only
         * comes after generation, so chat waits up to {@link #totalTimeout} instead.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder headersTimeout(Duration timeout) {
            this.headersTimeout = timeout;
            return this;
        }

        /**
         * Sets the longest gap between two reads of a response body (default 120 s).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets the deadline for a whole exchange, head and body (default 15 min).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = timeout;
            return this;
        }

        /**
         * Sets the longest event-stream line accepted (default 1 MiB).
         *
         * @param bytes a positive count
         * @return this builder
         */
        public Builder maxLineBytes(int bytes) {
            this.maxLineBytes = bytes;
            return this;
        }

        /**
         * Shares an existing HTTP client instead of creating one; the provider will not close it.
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * Sets the executor of the HTTP client the provider creates (default: a pool shared by all
         * providers, at most 8 daemon threads, released when idle).
         *
         * @param executor the executor; the caller keeps ownership
         * @return this builder
         */
        public Builder executor(java.util.concurrent.Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Sets the clock that interprets an HTTP-date {@code Retry-After}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Allows a plain {@code http://} base URL to a host that is not loopback. Off by default: the API
         * key would cross the network in clear. Loopback ({@code localhost}, {@code 127.0.0.0/8},
         * {@code [::1]}) is always allowed, for local gateways and test servers.
         *
         * @param allow whether to accept plain http to any host
         * @return this builder
         */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

        /** Sets the watchdog that enforces the deadlines; for tests on fake time. */
        /**
         * Sets the most tool calls one answer may carry; more fail the call with a
         * {@link dev.alfred.llm.ResponseTooLargeException}. Default 128.
         *
         * @param calls a positive count
         * @return this builder
         */
        public Builder maxToolCalls(int calls) {
            this.maxToolCalls = calls;
            return this;
        }

        /**
         * Sets the most characters of one tool call's arguments; more fail the call with a
         * {@link dev.alfred.llm.ResponseTooLargeException}. Default 8 Mi.
         *
         * @param chars a positive count
         * @return this builder
         */
        public Builder maxToolArgumentChars(int chars) {
            this.maxToolArgumentChars = chars;
            return this;
        }

        Builder watchdog(Watchdog watchdog) {
            this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
            return this;
        }

        /**
         * Adds a header to every request, such as an organisation or gateway header. The provider's own
         * {@code Authorization}, {@code User-Agent}, {@code Content-Type} and {@code Accept} cannot be
         * replaced.
         *
         * @param name  the header name
         * @param value the value
         * @return this builder
         * @throws IllegalArgumentException if the name is one of the provider's own headers, or blank
         */
        public Builder header(String name, String value) {
            if (name == null || name.isBlank() || value == null) {
                throw new IllegalArgumentException("header name must not be blank and value not null");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header '" + name + "' is set by the provider and cannot be replaced");
            }
            extraHeaders.put(name, value);
            return this;
        }

        /**
         * Builds the provider.
         *
         * @return the provider
         * @throws IllegalArgumentException if the API key is missing, or a setting is invalid (naming it)
         */
        public KimiProvider build() {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey is missing: set KIMI_API_KEY (or MOONSHOT_API_KEY),"
                        + " or call apiKey(...)");
            }
            apiKey = apiKey.strip();
            if (apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("apiKey contains whitespace or non-ASCII characters");
            }
            String scheme = baseUrl.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an absolute http or https URL, was " + baseUrl);
            }
            if (scheme.equalsIgnoreCase("http") && !allowInsecureHttp && !isLoopback(baseUrl.getHost())) {
                throw new IllegalArgumentException("baseUrl (setting kimi.base.url, KIMI_BASE_URL) is plain http to "
                        + baseUrl.getHost() + ", which would send the API key across the network in clear: use https,"
                        + " or set kimi.allow-insecure-http=true (KIMI_ALLOW_INSECURE_HTTP) to accept that");
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank");
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("headersTimeout", headersTimeout);
            requirePositive("idleTimeout", idleTimeout);
            requirePositive("totalTimeout", totalTimeout);
            if (maxToolCalls <= 0) {
                throw new IllegalArgumentException("maxToolCalls must be positive, was " + maxToolCalls);
            }
            if (maxToolArgumentChars <= 0) {
                throw new IllegalArgumentException("maxToolArgumentChars must be positive, was " + maxToolArgumentChars);
            }
            if (maxLineBytes <= 0) {
                throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
            }
            return new KimiProvider(this);
        }

        private static boolean isLoopback(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                    || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        }

        private static void requirePositive(String name, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
            }
        }
    }
}
