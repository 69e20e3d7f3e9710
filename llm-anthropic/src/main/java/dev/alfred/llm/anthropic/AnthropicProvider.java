package dev.alfred.llm.anthropic;

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
import dev.alfred.llm.anthropic.internal.stream.AnthropicChatStream;
import dev.alfred.llm.anthropic.internal.wire.Blocks;
import dev.alfred.llm.anthropic.internal.wire.EventDecoder;
import dev.alfred.llm.anthropic.internal.wire.MalformedEventException;
import dev.alfred.llm.anthropic.internal.wire.RequestEncoder;
import dev.alfred.llm.anthropic.internal.wire.StopReasons;
import dev.alfred.llm.http.ExchangeSettings;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.http.error.ErrorRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Anthropic Messages API provider ({@code POST /v1/messages}), for Claude and for the servers that
 * speak the protocol (Moonshot's {@code https://api.moonshot.ai/anthropic}, DeepSeek's, MiniMax's,
 * a local Ollama). Calls go over {@link java.net.http.HttpClient}, streams through llm-http's
 * event-stream reader.
 *
 * <pre>{@code
 * LlmProvider claude = AnthropicProvider.builder().apiKey(System.getenv("ANTHROPIC_API_KEY")).build();
 * }</pre>
 *
 * <p>What it does for the API: system messages go in the top-level {@code system}; tool results go
 * as {@code tool_result} blocks of a user turn; {@code max_tokens}, which the API requires, is
 * {@value #DEFAULT_MAX_TOKENS} unless the request or the builder sets it; thinking
 * ({@link AnthropicOptions}) comes back as reasoning, its blocks and signatures kept as the answer's
 * {@link dev.alfred.llm.ProviderState} and sent back unmodified when the answer is replayed with
 * {@link dev.alfred.llm.ChatMessage#of}; {@code request-id} is named in every exception message.
 * Errors map by status: 400/404/413 invalid, 401/403 authentication, 402 quota, 429 and 529
 * ({@code overloaded_error}, also inside a stream) retryable rate limits, 500/504 retryable
 * unavailability.
 *
 * <p>One instance shares one HTTP client across calls and is thread-safe. {@link #toString()} and
 * every exception message leave the API key out.
 */
public final class AnthropicProvider implements LlmProvider {

    /** The provider id. */
    public static final String ID = "anthropic";
    /** Anthropic's base URL, the default; the provider appends {@code /v1/messages}. */
    public static final URI ANTHROPIC_URL = URI.create("https://api.anthropic.com");
    /** Moonshot's Messages-API endpoint for Kimi models. */
    public static final URI MOONSHOT_URL = URI.create("https://api.moonshot.ai/anthropic");
    /** The default model. */
    public static final String DEFAULT_MODEL = "claude-sonnet-4-5";
    /** The API version sent by default, still the only one Anthropic's SDK sends. */
    public static final String DEFAULT_VERSION = "2023-06-01";
    /** The {@code max_tokens} sent when neither the request nor the builder sets one. */
    public static final int DEFAULT_MAX_TOKENS = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(AnthropicProvider.class);
    private static final int MAX_RESPONSE_BYTES = 32 << 20;
    private static final Capabilities CAPABILITIES = Capabilities.of(Capabilities.Feature.TOOLS,
            Capabilities.Feature.PARALLEL_TOOL_CALLS, Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.IMAGES,
            Capabilities.Feature.IMAGE_URLS, Capabilities.Feature.REASONING);
    private static final Set<Class<?>> WARNED = ConcurrentHashMap.newKeySet();
    private static final Set<String> RESERVED_HEADERS = Set.of("x-api-key", "authorization", "anthropic-version",
            "anthropic-beta", "user-agent", "content-type", "accept");

    private final String apiKey;
    private final URI baseUrl;
    private final URI endpoint;
    private final String model;
    private final int maxTokens;
    private final boolean bearer;
    private final String version;
    private final String betas;
    private final Map<String, String> extraHeaders;
    private final HttpTransport http;
    private final ExchangeSettings settings;
    private final int maxLineBytes;
    private final Supplier<ResponseAccumulator> accumulators;
    private final RequestEncoder encoder = new RequestEncoder(ID);
    private final EventDecoder decoder = new EventDecoder();
    private volatile boolean closed;

    private AnthropicProvider(Builder b, String apiKey, URI baseUrl, String model, Map<String, String> extraHeaders,
                              ExchangeSettings settings, int maxLineBytes, Supplier<ResponseAccumulator> accumulators,
                              HttpTransport http) {
        this.apiKey = apiKey;
        this.baseUrl = baseUrl;
        this.endpoint = HttpTransport.resolve(baseUrl, "v1/messages");
        this.model = model;
        this.maxTokens = b.maxTokens;
        this.bearer = b.bearer;
        this.version = b.version;
        this.betas = String.join(",", b.betas);
        this.extraHeaders = extraHeaders;
        this.settings = settings;
        this.maxLineBytes = maxLineBytes;
        this.accumulators = accumulators;
        this.http = http;
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
     * The base URL; requests go to its {@code /v1/messages}.
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
     * Tools with parallel calls, JSON schema answers ({@code output_config.format}), images inline and
     * by URL, and reasoning (thinking). No JSON-object mode and no builtin tools.
     *
     * @return the capabilities
     */
    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        List<String> warnings = new ArrayList<>();
        HttpExchange exchange = send(request, false, warnings);
        try {
            exchange.successfulHeaders();
            String requestId = exchange.requestId();
            byte[] body = exchange.readAll(MAX_RESPONSE_BYTES, true);
            ErrorBody error = ErrorBody.parse(body, 0, body.length);
            if (error != null) {
                throw settings.errors().fromStreamError(error, requestId);
            }
            EventDecoder.Message m = decoder.decodeMessage(body, body.length);
            ResponseAccumulator acc = accumulator();
            warnings.forEach(acc::warn);
            Blocks blocks = new Blocks(acc::accept, acc::warn);
            long index = 0;
            for (EventDecoder.Block b : m.blocks()) {
                blocks.start(index, b.type(), b.id(), b.name(), b.text(), b.signature(), b.data());
                if (b.input() != null) {
                    blocks.delta(index, "input_json_delta", b.input());
                }
                blocks.stop(index++);
            }
            acc.id(m.id());
            acc.model(m.model());
            acc.usage(m.usage().toUsage());
            acc.finishReason(StopReasons.of(m.stopReason()), m.stopReason());
            acc.state(blocks.state(ID));
            return acc.response();
        } catch (MalformedEventException e) {
            exchange.cancel();
            throw new ProviderUnavailableException(settings.errors().describe(200, null,
                    "malformed response body (" + e.getMessage() + ")", exchange.requestId()), ID, 200, null, null,
                    exchange.requestId(), null);
        } catch (RuntimeException e) {
            exchange.cancel();
            throw e;
        }
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        List<String> warnings = new ArrayList<>();
        return new AnthropicChatStream(send(request, true, warnings), settings, accumulator(), maxLineBytes, warnings);
    }

    private ResponseAccumulator accumulator() {
        return accumulators.get();
    }

    private HttpExchange send(ChatRequest request, boolean stream, List<String> warnings) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new LlmException(ID + ": provider is closed", ID, -1, null, false, null, null);
        }
        CAPABILITIES.check(request, ID);
        for (ProviderOptions o : request.options()) {
            if (!(o instanceof AnthropicOptions)) {
                String warning = "options " + o.getClass().getSimpleName() + " for provider '" + o.providerId()
                        + "' were ignored by " + ID;
                warnings.add(warning);
                if (WARNED.add(o.getClass())) {
                    LOG.warn("{} (logged once per options type)", warning);
                }
            }
        }
        AnthropicOptions options = request.options(AnthropicOptions.class).orElse(AnthropicOptions.DEFAULT);
        byte[] body = encoder.encode(request, model, maxTokens, stream, options.thinking(), options.budgetTokens(),
                options.effort());
        HttpRequest.Builder rb = HttpTransport.request(endpoint)
                .header("anthropic-version", version)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", HttpTransport.USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            if (bearer) {
                rb.header("Authorization", "Bearer " + apiKey);
            } else {
                rb.header("x-api-key", apiKey);
            }
        }
        if (!betas.isEmpty()) {
            rb.header("anthropic-beta", betas);
        }
        extraHeaders.forEach(rb::header);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: POST {} model={} stream={} messages={}", ID, endpoint,
                    request.model() != null ? request.model() : model, stream, request.messages().size());
        }
        return http.exchange(rb.build(), settings, stream);
    }

    /**
     * Closes the HTTP client if this provider created it (on JDK 21 and later; on 17 its selector
     * thread ends when the client is collected). Later calls fail.
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
     * @return the base URL and model
     */
    @Override
    public String toString() {
        return "AnthropicProvider{baseUrl=" + baseUrl + ", model=" + model + ", apiKey="
                + (apiKey == null ? "none" : "****") + "}";
    }

    /**
     * Builds an {@link AnthropicProvider}; not thread-safe. The API key is required unless the base URL
     * is loopback. The settings every provider shares are documented on {@link HttpProviderBuilder}.
     */
    public static final class Builder extends HttpProviderBuilder<Builder> {
        private int maxTokens = DEFAULT_MAX_TOKENS;
        private boolean bearer;
        private String version = DEFAULT_VERSION;
        private final Set<String> betas = new LinkedHashSet<>();

        private Builder() {
            super(ANTHROPIC_URL, DEFAULT_MODEL, RESERVED_HEADERS);
        }

        /**
         * Sets the {@code max_tokens} sent when a request sets none (default {@value #DEFAULT_MAX_TOKENS}).
         *
         * @param maxTokens a positive count
         * @return this builder
         */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * Sends the key as {@code Authorization: Bearer} instead of {@code x-api-key}, as DeepSeek's,
         * Ollama's cloud and other gateways want.
         *
         * @param bearer whether to use a bearer token
         * @return this builder
         */
        public Builder bearerAuth(boolean bearer) {
            this.bearer = bearer;
            return this;
        }

        /**
         * Sets the {@code anthropic-version} header (default {@value #DEFAULT_VERSION}).
         *
         * @param version the version
         * @return this builder
         */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * Adds a beta to the {@code anthropic-beta} header, such as {@code interleaved-thinking-2025-05-14}.
         *
         * @param beta the beta's name
         * @return this builder
         * @throws IllegalArgumentException if it is blank or holds a comma
         */
        public Builder beta(String beta) {
            if (beta == null || beta.isBlank() || beta.contains(",")) {
                throw new IllegalArgumentException("a beta is one non-blank name without commas, was '" + beta + "'");
            }
            betas.add(beta.strip());
            return this;
        }

        /**
         * Builds the provider.
         *
         * @return the provider
         * @throws IllegalArgumentException if the API key is missing for a remote server, or a setting is
         *                                  invalid (naming it)
         */
        public AnthropicProvider build() {
            checkSettings("set ANTHROPIC_API_KEY, or call apiKey(...)", "anthropic.base.url, ANTHROPIC_BASE_URL",
                    DEFAULT_MODEL, "set ANTHROPIC_MODEL, or call model(...)");
            if (maxTokens <= 0) {
                throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
            }
            return new AnthropicProvider(this, apiKey(), baseUrl(), model(), extraHeaders(),
                    exchangeSettings(ID, "request-id", ErrorRules.STANDARD), maxLineBytes(), accumulators(ID), transport());
        }
    }
}
