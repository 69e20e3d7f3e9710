package dev.alfred.llm.kimi;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.openai.OpenAiProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The Kimi (Moonshot AI) provider: a preset of llm-openai's {@link OpenAiProvider} with Kimi's base
 * URLs, default model, error table, {@code x-trace-id}, builtin tools, {@code ms://} image files,
 * tool-name rule, and {@link KimiOptions} (thinking, partial mode).
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
    public static final String USER_AGENT = HttpTransport.USER_AGENT;

    private static final Logger LOG = LoggerFactory.getLogger(KimiProvider.class);

    private final OpenAiProvider engine;

    private KimiProvider(OpenAiProvider engine) {
        this.engine = engine;
        URI baseUrl = engine.baseUrl();
        if (baseUrl.getHost() != null && baseUrl.getHost().equalsIgnoreCase(CODING_PLAN_URL.getHost())) {
            LOG.warn("{}: base URL {} is the Kimi Coding Plan endpoint, which admits only approved coding agents;"
                    + " expect HTTP 403 access_terminated_error", ID, baseUrl);
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
        return engine.model();
    }

    /**
     * The base URL requests go to.
     *
     * @return the base URL
     */
    public URI baseUrl() {
        return engine.baseUrl();
    }

    /**
     * The base URL and the default model, for observability.
     *
     * @return the endpoint
     */
    @Override
    public ProviderEndpoint endpoint() {
        return engine.endpoint();
    }

    /**
     * Tools (functions and builtins such as {@code $web_search}), parallel tool calls, JSON object and
     * JSON schema answers, images inline or by file id (Kimi does not fetch image URLs), and reasoning.
     *
     * @return Kimi's capabilities
     */
    @Override
    public Capabilities capabilities() {
        return engine.capabilities();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return engine.chat(request);
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        return engine.stream(request);
    }

    /**
     * Closes the HTTP client if this provider created it (on JDK 21 and later; on 17 its selector
     * thread ends when the client is collected). The shared pool's threads end by themselves when idle.
     * Later calls fail.
     */
    @Override
    public void close() {
        engine.close();
    }

    /**
     * A description without secrets.
     *
     * @return the base URL and model
     */
    @Override
    public String toString() {
        return "KimiProvider{baseUrl=" + engine.baseUrl() + ", model=" + engine.model() + ", apiKey=****}";
    }

    /** Builds a {@link KimiProvider}; not thread-safe. Only the API key is required. */
    public static final class Builder {
        private String apiKey;
        private final OpenAiProvider.Builder engine = OpenAiProvider.builder().id(ID).dialect(KimiDialect.DIALECT)
                .baseUrl(OPEN_PLATFORM_URL)
                .settingNames("set KIMI_API_KEY (or MOONSHOT_API_KEY), or call apiKey(...)",
                        "setting kimi.base.url, KIMI_BASE_URL; kimi.allow-insecure-http=true, KIMI_ALLOW_INSECURE_HTTP,"
                                + " accepts it");

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
            engine.apiKey(apiKey);
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
            engine.baseUrl(baseUrl);
            return this;
        }

        /**
         * Sets the default model; a request's own model overrides it. Default {@link #DEFAULT_MODEL}.
         *
         * @param model the model id
         * @return this builder
         */
        public Builder model(String model) {
            engine.model(model);
            return this;
        }

        /**
         * Sets the connect timeout (default 10 s). Ignored with {@link #httpClient}.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            engine.connectTimeout(timeout);
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
            engine.headersTimeout(timeout);
            return this;
        }

        /**
         * Sets the longest gap between two reads of a response body (default 120 s).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            engine.idleTimeout(timeout);
            return this;
        }

        /**
         * Sets the deadline for a whole exchange, head and body (default 15 min).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder totalTimeout(Duration timeout) {
            engine.totalTimeout(timeout);
            return this;
        }

        /**
         * Sets the longest event-stream line accepted (default 1 MiB).
         *
         * @param bytes a positive count
         * @return this builder
         */
        public Builder maxLineBytes(int bytes) {
            engine.maxLineBytes(bytes);
            return this;
        }

        /**
         * Shares an existing HTTP client instead of creating one; the provider will not close it.
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            engine.httpClient(client);
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
            engine.executor(executor);
            return this;
        }

        /**
         * Sets the clock that interprets an HTTP-date {@code Retry-After}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            engine.clock(clock);
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
            engine.allowInsecureHttp(allow);
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
            engine.maxToolCalls(calls);
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
            engine.maxToolArgumentChars(chars);
            return this;
        }

        Builder watchdog(Watchdog watchdog) {
            engine.watchdog(watchdog);
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
            engine.header(name, value);
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
            return new KimiProvider(engine.build());
        }
    }
}
