package dev.alfred.llm.openai;

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
import dev.alfred.llm.http.ExchangeSettings;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.http.error.ErrorMapper;
import dev.alfred.llm.http.sse.SseParser;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.openai.internal.stream.OpenAiChatStream;
import dev.alfred.llm.openai.internal.wire.ChoiceParts;
import dev.alfred.llm.openai.internal.wire.Chunk;
import dev.alfred.llm.openai.internal.wire.ChunkDecoder;
import dev.alfred.llm.openai.internal.wire.FinishReasons;
import dev.alfred.llm.openai.internal.wire.MalformedChunkException;
import dev.alfred.llm.openai.internal.wire.RequestEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * A provider for any server that speaks OpenAI's chat-completions API: OpenAI itself, and Azure,
 * DeepSeek, Ollama, vLLM, llama.cpp, OpenRouter, Groq and Mistral through their {@link Dialect}; Kimi
 * is one more preset, in {@code llm-kimi}. Calls go over {@link java.net.http.HttpClient}, streams
 * through llm-http's event-stream reader.
 *
 * <pre>{@code
 * LlmProvider openai = OpenAiProvider.builder().apiKey(System.getenv("OPENAI_API_KEY")).build();
 * LlmProvider local = OpenAiProvider.builder().baseUrl(URI.create("http://localhost:11434/v1"))
 *         .model("qwen3").build(); // Ollama: a loopback server needs no key
 * }</pre>
 *
 * One instance shares one HTTP client across calls and is thread-safe. It sends its own
 * {@code User-Agent: alfred-llm/<version>}. {@link #toString()} and every exception message leave
 * the API key out.
 */
public final class OpenAiProvider implements LlmProvider {

    /** The provider id. */
    public static final String ID = "openai";
    /** OpenAI's base URL, the default. */
    public static final URI OPENAI_URL = URI.create("https://api.openai.com/v1");

    private static final Logger LOG = LoggerFactory.getLogger(OpenAiProvider.class);
    private static final int MAX_RESPONSE_BYTES = 32 << 20;
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "user-agent", "content-type", "accept");

    private final String id;
    private final String apiKey;
    private final URI baseUrl;
    private final URI endpoint;
    private final String model;
    private final Dialect dialect;
    private final Map<String, String> extraHeaders;
    private final HttpTransport http;
    private final ExchangeSettings settings;
    private final int maxLineBytes;
    private final int maxToolCalls;
    private final int maxToolArgumentChars;
    private final RequestEncoder encoder;
    private final ChunkDecoder decoder = new ChunkDecoder();
    private volatile boolean closed;

    private OpenAiProvider(Builder b) {
        this.id = b.id;
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
        this.endpoint = HttpTransport.resolve(b.baseUrl, "chat/completions");
        this.dialect = b.dialect;
        this.model = b.model;
        this.extraHeaders = Map.copyOf(b.extraHeaders);
        ErrorMapper errors = new ErrorMapper(id, apiKey, b.clock, dialect.requestIdHeader(), dialect.errorRules());
        this.settings = new ExchangeSettings(id, b.connectTimeout, b.headersTimeout, b.idleTimeout, b.totalTimeout,
                errors, b.watchdog);
        this.maxLineBytes = b.maxLineBytes;
        this.maxToolCalls = b.maxToolCalls;
        this.maxToolArgumentChars = b.maxToolArgumentChars;
        this.encoder = new RequestEncoder(id, dialect);
        this.http = HttpTransport.create(b.connectTimeout, b.httpClient, b.executor);
    }

    /**
     * A new builder, for OpenAI unless told otherwise.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String id() {
        return id;
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
     * The server's dialect.
     *
     * @return the dialect
     */
    public Dialect dialect() {
        return dialect;
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
     * What the dialect says the server can do.
     *
     * @return the capabilities
     */
    @Override
    public Capabilities capabilities() {
        return dialect.capabilities();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        List<String> warnings = new ArrayList<>();
        HttpExchange exchange = send(request, false, warnings);
        try {
            exchange.successfulHeaders();
            String requestId = exchange.requestId();
            byte[] body = exchange.readAll(MAX_RESPONSE_BYTES, true);
            Chunk c;
            try {
                c = decoder.decode(body, 0, body.length);
            } catch (MalformedChunkException e) {
                throw new ProviderUnavailableException(settings.errors().describe(200, null,
                        "malformed response body (" + e.getMessage() + ")", requestId), id, 200, null, null, requestId, null);
            }
            if (c.isError()) {
                throw settings.errors().fromStreamError(OpenAiChatStream.error(c), requestId);
            }
            ResponseAccumulator acc = accumulator();
            warnings.forEach(acc::warn);
            ChoiceParts parts = new ChoiceParts();
            parts.accept(c, acc::accept, acc::warn);
            acc.id(c.id());
            acc.model(c.model());
            acc.usage(c.usage());
            acc.finishReason(FinishReasons.of(c.finishReason()), c.finishReason());
            acc.state(parts.state(id));
            return acc.response();
        } catch (RuntimeException e) {
            exchange.cancel();
            throw e;
        }
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        List<String> warnings = new ArrayList<>();
        return new OpenAiChatStream(send(request, true, warnings), settings, accumulator(), maxLineBytes, warnings);
    }

    private ResponseAccumulator accumulator() {
        return new ResponseAccumulator(id, maxToolCalls, maxToolArgumentChars);
    }

    private HttpExchange send(ChatRequest request, boolean stream, List<String> warnings) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new LlmException(id + ": provider is closed", id, -1, null, false, null, null);
        }
        dialect.capabilities().check(request, id);
        for (ProviderOptions o : request.options()) {
            if (dialect.optionsType() == null || !dialect.optionsType().isInstance(o)) {
                String warning = "options " + o.getClass().getSimpleName() + " for provider '" + o.providerId()
                        + "' were ignored by " + id;
                warnings.add(warning);
                if (WARNED.add(id + " " + o.getClass().getName())) {
                    LOG.warn("{} (logged once per options type)", warning);
                }
            }
        }
        byte[] body = encoder.encode(request, model, stream, warnings);
        HttpRequest.Builder rb = HttpTransport.request(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", HttpTransport.USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            rb.header(dialect.apiKeyHeader(), dialect.apiKeyPrefix() + apiKey);
        }
        extraHeaders.forEach(rb::header);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: POST {} model={} stream={} messages={}", id, endpoint,
                    request.model() != null ? request.model() : model, stream, request.messages().size());
        }
        return http.exchange(rb.build(), settings, stream);
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
        http.close();
    }

    /**
     * A description without secrets.
     *
     * @return the id, dialect, base URL and model
     */
    @Override
    public String toString() {
        return "OpenAiProvider{id=" + id + ", dialect=" + dialect.name() + ", baseUrl=" + baseUrl + ", model=" + model
                + ", apiKey=" + (apiKey == null ? "none" : "****") + "}";
    }

    /**
     * Builds an {@link OpenAiProvider}; not thread-safe. The API key is required unless the base URL
     * is loopback (a local server); the model unless the dialect has a default.
     */
    public static final class Builder {
        private String id = ID;
        private String apiKey;
        private URI baseUrl = OPENAI_URL;
        private String model;
        private Dialect dialect;
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
        private int maxToolCalls = ResponseAccumulator.DEFAULT_MAX_TOOL_CALLS;
        private int maxToolArgumentChars = ResponseAccumulator.DEFAULT_MAX_ARGUMENT_CHARS;
        private String keyHint = "set OPENAI_API_KEY, or call apiKey(...)";
        private String urlSettings = "openai.base.url, OPENAI_BASE_URL";
        private final Map<String, String> extraHeaders = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the provider id that exceptions, listeners and provider state name; {@code openai} by
         * default. A preset such as Kimi sets its own.
         *
         * @param id the id
         * @return this builder
         */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets the API key; required unless the base URL is loopback.
         *
         * @param apiKey the key, or null for none
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Sets the base URL; the default is {@link #OPENAI_URL}. A query ({@code ?api-version=…} for
         * Azure's deployment URLs) is kept after the path.
         *
         * @param baseUrl an absolute http(s) URL such as {@code https://api.deepseek.com}
         * @return this builder
         */
        public Builder baseUrl(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * Sets the default model; a request's own model overrides it. Default: the dialect's.
         *
         * @param model the model id
         * @return this builder
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the server's dialect; by default it is guessed from the base URL's host.
         *
         * @param dialect the dialect
         * @return this builder
         */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
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
        public Builder executor(Executor executor) {
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
         * Sets the watchdog that enforces the deadlines: {@link Watchdog#shared()} by default, a
         * {@link Watchdog#manual manual} one for tests on fake time.
         *
         * @param watchdog the watchdog
         * @return this builder
         */
        public Builder watchdog(Watchdog watchdog) {
            this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
            return this;
        }

        /**
         * Allows a plain {@code http://} base URL to a host that is not loopback. Off by default: the API
         * key would cross the network in clear. Loopback is always allowed.
         *
         * @param allow whether to accept plain http to any host
         * @return this builder
         */
        public Builder allowInsecureHttp(boolean allow) {
            this.allowInsecureHttp = allow;
            return this;
        }

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

        /**
         * Sets what the messages about a missing key and an insecure URL tell the user to set, for a
         * preset with settings of its own.
         *
         * @param keyHint      such as {@code "set KIMI_API_KEY, or call apiKey(...)"}
         * @param urlSettings  such as {@code "kimi.base.url, KIMI_BASE_URL"}
         * @return this builder
         */
        public Builder settingNames(String keyHint, String urlSettings) {
            this.keyHint = Objects.requireNonNull(keyHint, "keyHint");
            this.urlSettings = Objects.requireNonNull(urlSettings, "urlSettings");
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
         * @throws IllegalArgumentException if the API key is missing for a remote server, or a setting is
         *                                  invalid (naming it)
         */
        public OpenAiProvider build() {
            HttpTransport.checkBaseUrl(baseUrl, allowInsecureHttp, urlSettings);
            if (dialect == null) {
                dialect = Dialect.forBaseUrl(baseUrl);
            }
            if (apiKey != null) {
                apiKey = apiKey.strip();
                if (apiKey.isEmpty()) {
                    apiKey = null;
                } else if (apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                    throw new IllegalArgumentException("apiKey contains whitespace or non-ASCII characters");
                }
            }
            if (apiKey == null && !HttpTransport.isLoopback(baseUrl.getHost())) {
                throw new IllegalArgumentException("apiKey is missing: " + keyHint
                        + " (only a loopback base URL, a local server, may go without one)");
            }
            if (model == null) {
                model = dialect.defaultModel();
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model must be set for the " + dialect.name()
                        + " dialect, which has no default: set OPENAI_MODEL, or call model(...)");
            }
            ExchangeSettings.requirePositive("connectTimeout", connectTimeout);
            ExchangeSettings.requirePositive("headersTimeout", headersTimeout);
            ExchangeSettings.requirePositive("idleTimeout", idleTimeout);
            ExchangeSettings.requirePositive("totalTimeout", totalTimeout);
            if (maxToolCalls <= 0) {
                throw new IllegalArgumentException("maxToolCalls must be positive, was " + maxToolCalls);
            }
            if (maxToolArgumentChars <= 0) {
                throw new IllegalArgumentException("maxToolArgumentChars must be positive, was " + maxToolArgumentChars);
            }
            if (maxLineBytes <= 0) {
                throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
            }
            return new OpenAiProvider(this);
        }
    }
}
