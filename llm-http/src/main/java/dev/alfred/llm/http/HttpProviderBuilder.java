package dev.alfred.llm.http;

import dev.alfred.llm.ResponseLimits;
import dev.alfred.llm.http.error.ErrorMapper;
import dev.alfred.llm.http.error.ErrorRules;
import dev.alfred.llm.http.sse.SseParser;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The settings every provider on llm-http shares, as a builder its own builder extends: key, base URL,
 * model, the four deadlines, the longest event-stream line, the HTTP client or its executor, the clock
 * for HTTP-date {@code Retry-After}s, the watchdog, plain http to a remote host, the bounds on an
 * answer ({@link ResponseLimits}), and extra headers. {@link #checkSettings} checks them all at once,
 * naming what is wrong; an {@link HttpChatProvider} is then made from the checked builder. Not
 * thread-safe.
 *
 * @param <B> the provider's own builder
 */
public abstract class HttpProviderBuilder<B extends HttpProviderBuilder<B>> {

    private String apiKey;
    private URI baseUrl;
    private String model;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration headersTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(120);
    private Duration totalTimeout = Duration.ofMinutes(15);
    private int maxLineBytes = SseParser.DEFAULT_MAX_LINE_BYTES;
    private HttpClient httpClient;
    private Executor executor;
    private Clock clock = Clock.systemUTC();
    private Watchdog watchdog = Watchdog.shared();
    private boolean allowInsecureHttp;
    private int maxTextChars = ResponseLimits.DEFAULT.maxTextChars();
    private int maxToolCalls = ResponseLimits.DEFAULT.maxToolCalls();
    private int maxToolArgumentChars = ResponseLimits.DEFAULT.maxArgumentChars();
    private int maxBodyBytes = ResponseLimits.DEFAULT.maxBodyBytes();
    private final Set<String> reservedHeaders;
    private final Map<String, String> extraHeaders = new LinkedHashMap<>();
    private final Map<String, String> bodyFields = new LinkedHashMap<>();

    /**
     * A builder with a provider's defaults.
     *
     * @param baseUrl         the default base URL
     * @param model           the default model, or null when the provider decides later
     * @param reservedHeaders the headers the provider sets itself, lower case, which {@link #header} refuses
     */
    protected HttpProviderBuilder(URI baseUrl, String model, Set<String> reservedHeaders) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.model = model;
        this.reservedHeaders = Set.copyOf(reservedHeaders);
    }

    /** @return this builder, typed as the provider's */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * Sets the API key; a provider requires one unless the base URL is loopback (a local server), or plain
     * http that {@link #allowInsecureHttp} accepted (a server on the LAN).
     *
     * @param apiKey the key, or null
     * @return this builder
     */
    public B apiKey(String apiKey) {
        this.apiKey = apiKey;
        return self();
    }

    /**
     * Sets the base URL.
     *
     * @param baseUrl an absolute http(s) URL
     * @return this builder
     * @throws NullPointerException if baseUrl is null
     */
    public B baseUrl(URI baseUrl) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        return self();
    }

    /**
     * Sets the base URL from text, as a configuration or a command line gives it.
     *
     * @param baseUrl an absolute http(s) URL
     * @return this builder
     * @throws IllegalArgumentException if the text is not a URL
     * @throws NullPointerException     if baseUrl is null
     */
    public B baseUrl(String baseUrl) {
        return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl").strip()));
    }

    /**
     * Sets the default model; a request's own model overrides it.
     *
     * @param model the model id
     * @return this builder
     */
    public B model(String model) {
        this.model = model;
        return self();
    }

    /**
     * Sets the connect timeout (default 10 s). Ignored with {@link #httpClient}.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public B connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return self();
    }

    /**
     * Sets how long a stream's response head may take (default 60 s). A non-stream chat's head only
     * comes after generation, so chat waits up to {@link #totalTimeout} instead.
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public B headersTimeout(Duration timeout) {
        this.headersTimeout = timeout;
        return self();
    }

    /**
     * Sets the longest gap between two reads of a response body (default 120 s).
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public B idleTimeout(Duration timeout) {
        this.idleTimeout = timeout;
        return self();
    }

    /**
     * Sets the deadline for a whole exchange, head and body (default 15 min).
     *
     * @param timeout a positive duration
     * @return this builder
     */
    public B totalTimeout(Duration timeout) {
        this.totalTimeout = timeout;
        return self();
    }

    /**
     * Sets the longest event-stream line accepted (default 1 MiB).
     *
     * @param bytes a positive count
     * @return this builder
     */
    public B maxLineBytes(int bytes) {
        this.maxLineBytes = bytes;
        return self();
    }

    /**
     * Shares an existing HTTP client instead of creating one; the provider will not close it.
     *
     * @param client the client
     * @return this builder
     */
    public B httpClient(HttpClient client) {
        this.httpClient = client;
        return self();
    }

    /**
     * Sets the executor of the HTTP client the provider creates (default: a pool shared by all
     * providers, at most 8 daemon threads, released when idle).
     *
     * @param executor the executor; the caller keeps ownership
     * @return this builder
     */
    public B executor(Executor executor) {
        this.executor = executor;
        return self();
    }

    /**
     * Sets the clock that interprets an HTTP-date {@code Retry-After}.
     *
     * @param clock the clock
     * @return this builder
     */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Sets the watchdog that enforces the deadlines: {@link Watchdog#shared()} by default, a
     * {@link Watchdog#manual manual} one for tests on fake time.
     *
     * @param watchdog the watchdog
     * @return this builder
     */
    public B watchdog(Watchdog watchdog) {
        this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
        return self();
    }

    /**
     * Allows a plain {@code http://} base URL to a host that is not loopback. Off by default: the API
     * key would cross the network in clear. Loopback ({@code localhost}, {@code 127.0.0.0/8},
     * {@code [::1]}) is always allowed, for local servers and test servers.
     *
     * @param allow whether to accept plain http to any host
     * @return this builder
     */
    public B allowInsecureHttp(boolean allow) {
        this.allowInsecureHttp = allow;
        return self();
    }

    /**
     * Sets the most characters of an answer's text, and separately of its reasoning; more fail the call
     * with a {@link dev.alfred.llm.ResponseTooLargeException} that keeps the answer up to there. Default 8 Mi.
     *
     * @param chars a positive count
     * @return this builder
     */
    public B maxTextChars(int chars) {
        this.maxTextChars = chars;
        return self();
    }

    /**
     * Sets the most bytes of a non-streamed response body, which is held in memory whole; more fail the
     * call with a {@link dev.alfred.llm.ResponseTooLargeException}. Default 32 MiB.
     *
     * @param bytes a positive count
     * @return this builder
     */
    public B maxBodyBytes(int bytes) {
        this.maxBodyBytes = bytes;
        return self();
    }

    /**
     * Sets the most tool calls one answer may carry; more fail the call with a
     * {@link dev.alfred.llm.ResponseTooLargeException}. Default 128.
     *
     * @param calls a positive count
     * @return this builder
     */
    public B maxToolCalls(int calls) {
        this.maxToolCalls = calls;
        return self();
    }

    /**
     * Sets the most characters of one tool call's arguments; more fail the call with a
     * {@link dev.alfred.llm.ResponseTooLargeException}. Default 8 Mi.
     *
     * @param chars a positive count
     * @return this builder
     */
    public B maxToolArgumentChars(int chars) {
        this.maxToolArgumentChars = chars;
        return self();
    }

    /**
     * Adds a header to every request, such as an organisation or gateway header. The provider's own
     * headers cannot be replaced.
     *
     * @param name  the header name
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException if the name is one of the provider's own headers, or blank
     */
    public B header(String name, String value) {
        if (name == null || name.isBlank() || value == null) {
            throw new IllegalArgumentException("header name must not be blank and value not null");
        }
        if (reservedHeaders.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header '" + name + "' is set by the provider and cannot be replaced");
        }
        extraHeaders.put(name, value);
        return self();
    }

    /**
     * Adds a top-level field to every request body, for what the provider does not model (a server's new
     * parameter, a gateway's routing field). It never replaces a field the library writes: such a request
     * is refused, unless a request's own {@link dev.alfred.llm.RequestSettings} allow it; a request's
     * own field of the same name replaces this one.
     *
     * @param name      the field name
     * @param jsonValue its value as JSON text, such as {@code "\"flex\""} or {@code 42}
     * @return this builder
     * @throws IllegalArgumentException if the name is blank or the value is not one JSON value
     */
    public B bodyField(String name, String jsonValue) {
        // validated as a request's own fields are
        new dev.alfred.llm.RequestSettings(null, Map.of(), Map.of(name, jsonValue), false);
        bodyFields.put(name, jsonValue);
        return self();
    }

    /**
     * Reads the settings every provider on llm-http shares from a configuration, under one prefix (such
     * as {@code kimi.}): {@code api.key}, {@code base.url}, {@code model}, {@code connect.timeout},
     * {@code headers.timeout}, {@code idle.timeout}, {@code total.timeout}, {@code allow.insecure.http},
     * {@code max.text.chars}, {@code max.tool.calls}, {@code max.tool.argument.chars},
     * {@code max.body.bytes}. Settings left out keep their values; a provider's factory reads its own
     * settings after these.
     *
     * @param config the configuration
     * @param prefix the provider's prefix, ending with a dot
     * @return this builder
     * @throws IllegalArgumentException naming a setting whose value is not of its type
     */
    public B configure(dev.alfred.llm.config.ProviderConfig config, String prefix) {
        config.get(prefix + "api.key").ifPresent(this::apiKey);
        config.getUri(prefix + "base.url").ifPresent(this::baseUrl);
        config.get(prefix + "model").ifPresent(this::model);
        config.getDuration(prefix + "connect.timeout").ifPresent(this::connectTimeout);
        config.getDuration(prefix + "headers.timeout").ifPresent(this::headersTimeout);
        config.getDuration(prefix + "idle.timeout").ifPresent(this::idleTimeout);
        config.getDuration(prefix + "total.timeout").ifPresent(this::totalTimeout);
        config.getBoolean(prefix + "allow.insecure.http").ifPresent(this::allowInsecureHttp);
        config.getInt(prefix + "max.text.chars").ifPresent(this::maxTextChars);
        config.getInt(prefix + "max.tool.calls").ifPresent(this::maxToolCalls);
        config.getInt(prefix + "max.tool.argument.chars").ifPresent(this::maxToolArgumentChars);
        config.getInt(prefix + "max.body.bytes").ifPresent(this::maxBodyBytes);
        return self();
    }

    /**
     * Copies every setting of this builder to another provider's, such as a preset's to its engine's.
     *
     * @param other the other builder
     * @param <T>   its type
     * @return the other builder
     */
    protected final <T extends HttpProviderBuilder<T>> T copyTo(T other) {
        HttpProviderBuilder<T> o = other;
        o.apiKey = apiKey;
        o.baseUrl = baseUrl;
        o.model = model;
        o.connectTimeout = connectTimeout;
        o.headersTimeout = headersTimeout;
        o.idleTimeout = idleTimeout;
        o.totalTimeout = totalTimeout;
        o.maxLineBytes = maxLineBytes;
        o.httpClient = httpClient;
        o.executor = executor;
        o.clock = clock;
        o.watchdog = watchdog;
        o.allowInsecureHttp = allowInsecureHttp;
        o.maxTextChars = maxTextChars;
        o.maxToolCalls = maxToolCalls;
        o.maxToolArgumentChars = maxToolArgumentChars;
        o.maxBodyBytes = maxBodyBytes;
        extraHeaders.forEach(other::header);
        bodyFields.forEach(other::bodyField);
        return other;
    }

    /**
     * Checks every setting, strips the key, and fills in the model when none was set.
     *
     * @param keyHint      what the message about a missing key tells the user to set
     * @param urlSettings  the settings that name the base URL, for the message about plain http
     * @param defaultModel the model when none was set, or null when one must be
     * @param modelHint    what the message about a missing model says
     * @throws IllegalArgumentException naming the first setting that is wrong
     */
    protected final void checkSettings(String keyHint, String urlSettings, String defaultModel, String modelHint) {
        try {
            HttpTransport.checkBaseUrl(baseUrl, allowInsecureHttp, urlSettings);
        } catch (IllegalArgumentException e) {
            // the key may have been pasted into the URL
            throw new IllegalArgumentException(new dev.alfred.llm.spi.SecretScrubber(apiKey).scrub(e.getMessage()), null);
        }
        if (apiKey != null) {
            apiKey = apiKey.strip();
            if (apiKey.isEmpty()) {
                apiKey = null;
            } else if (apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("apiKey contains whitespace or non-ASCII characters");
            }
        }
        boolean localServer = HttpTransport.isLoopback(baseUrl.getHost())
                || allowInsecureHttp && "http".equalsIgnoreCase(baseUrl.getScheme());
        if (apiKey == null && !localServer) {
            throw new IllegalArgumentException("apiKey is missing: " + keyHint + " (only a server on this machine, or"
                    + " one on plain http you allowed, may go without one)");
        }
        if (model == null) {
            model = defaultModel;
        }
        if (model == null) {
            throw new IllegalArgumentException("model is missing: " + modelHint);
        }
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        ExchangeSettings.requirePositive("connectTimeout", connectTimeout);
        ExchangeSettings.requirePositive("headersTimeout", headersTimeout);
        ExchangeSettings.requirePositive("idleTimeout", idleTimeout);
        ExchangeSettings.requirePositive("totalTimeout", totalTimeout);
        requirePositive("maxTextChars", maxTextChars);
        requirePositive("maxToolCalls", maxToolCalls);
        requirePositive("maxToolArgumentChars", maxToolArgumentChars);
        requirePositive("maxBodyBytes", maxBodyBytes);
        requirePositive("maxLineBytes", maxLineBytes);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /**
     * The transport these settings describe: the caller's client, or one of its own. For a provider that is
     * not a chat skeleton (an embeddings client) built from these settings; each call makes a new transport,
     * which the provider owns and closes.
     *
     * @return a new transport
     */
    protected final HttpTransport transport() {
        return HttpTransport.create(connectTimeout, httpClient, executor);
    }

    /**
     * The exchange settings (timeouts, watchdog, error mapping with key scrubbing) these settings describe,
     * for a provider's id and error reading.
     *
     * @param providerId      the provider's id, named in exceptions
     * @param requestIdHeader the response header that carries the server's request id
     * @param rules           the provider's own reading of its errors
     * @return the settings
     */
    protected final ExchangeSettings exchangeSettings(String providerId, String requestIdHeader, ErrorRules rules) {
        return new ExchangeSettings(providerId, connectTimeout, headersTimeout, idleTimeout, totalTimeout,
                new ErrorMapper(providerId, apiKey, clock, requestIdHeader, rules), watchdog);
    }

    /** The bounds of every answer. */
    final ResponseLimits limits() {
        return new ResponseLimits(maxTextChars, maxToolCalls, maxToolArgumentChars, maxBodyBytes);
    }

    /** The extra body fields, in the order added. */
    final Map<String, String> bodyFields() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bodyFields));
    }

    /** The headers the provider sets itself, lower case. */
    final Set<String> reservedHeaders() {
        return reservedHeaders;
    }

    /** @return the key, or null (after {@link #checkSettings}: stripped, null when empty) */
    protected final String apiKey() {
        return apiKey;
    }

    /** @return the base URL */
    protected final URI baseUrl() {
        return baseUrl;
    }

    /** @return the model (after {@link #checkSettings}: never null) */
    protected final String model() {
        return model;
    }

    /** @return the longest event-stream line */
    protected final int maxLineBytes() {
        return maxLineBytes;
    }

    /** @return the extra headers, in the order added */
    protected final Map<String, String> extraHeaders() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraHeaders));
    }
}
