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
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpTransport;
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
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

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
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "api-key", "user-agent", "content-type",
            "accept");

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
    private final Supplier<ResponseAccumulator> accumulators;
    private final RequestEncoder encoder;
    private final ChunkDecoder decoder = new ChunkDecoder();
    private volatile boolean closed;

    private OpenAiProvider(String id, Dialect dialect, String apiKey, URI baseUrl, String model,
                           Map<String, String> extraHeaders, ExchangeSettings settings, int maxLineBytes,
                           Supplier<ResponseAccumulator> accumulators, HttpTransport http) {
        this.id = id;
        this.apiKey = apiKey;
        this.baseUrl = baseUrl;
        this.endpoint = HttpTransport.resolve(baseUrl, "chat/completions");
        this.dialect = dialect;
        this.model = model;
        this.extraHeaders = extraHeaders;
        this.settings = settings;
        this.maxLineBytes = maxLineBytes;
        this.accumulators = accumulators;
        this.encoder = new RequestEncoder(id, dialect);
        this.http = http;
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
        return accumulators.get();
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
     * is loopback (a local server); the model unless the dialect has a default. The settings every
     * provider shares are documented on {@link HttpProviderBuilder}.
     */
    public static final class Builder extends HttpProviderBuilder<Builder> {
        private String id = ID;
        private Dialect dialect;
        private String keyHint = "set OPENAI_API_KEY, or call apiKey(...)";
        private String urlSettings = "openai.base.url, OPENAI_BASE_URL";

        private Builder() {
            super(OPENAI_URL, null, RESERVED_HEADERS);
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
         * Builds the provider.
         *
         * @return the provider
         * @throws IllegalArgumentException if the API key is missing for a remote server, the model for a
         *                                  dialect without a default, or a setting is invalid (naming it)
         */
        public OpenAiProvider build() {
            Dialect d = dialect != null ? dialect : Dialect.forBaseUrl(baseUrl());
            checkSettings(keyHint, urlSettings, d.defaultModel(), "the " + d.name()
                    + " dialect has no default model: set OPENAI_MODEL, or call model(...)");
            return new OpenAiProvider(id, d, apiKey(), baseUrl(), model(), extraHeaders(),
                    exchangeSettings(id, d.requestIdHeader(), d.errorRules()), maxLineBytes(), accumulators(id), transport());
        }
    }
}
