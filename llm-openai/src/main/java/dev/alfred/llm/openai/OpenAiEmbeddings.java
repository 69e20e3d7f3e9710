package dev.alfred.llm.openai;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.ExchangeSettings;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.openai.dialect.EmbeddingRules;
import dev.alfred.llm.openai.internal.embed.EmbeddingDecoder;
import dev.alfred.llm.openai.internal.embed.EmbeddingEncoder;
import dev.alfred.llm.spi.EmbeddingBatches;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Embeddings from any server that speaks OpenAI's {@code POST /v1/embeddings}: OpenAI, Azure, Ollama, vLLM,
 * llama.cpp, OpenRouter, Mistral and Voyage AI, each through its {@link Dialect} (which also says DeepSeek,
 * Groq and xAI have none). Vectors are asked for as base64 where the server sends it (decoded straight into
 * {@code float[]}), as JSON numbers elsewhere; a call with more inputs than one request may carry is split
 * within the server's documented limits ({@link #limits()}), sent with bounded concurrency and reassembled
 * in input order ({@link EmbeddingBatches}).
 *
 * <pre>{@code
 * try (EmbeddingProvider embeddings = OpenAiEmbeddings.builder().apiKey(System.getenv("OPENAI_API_KEY")).build()) {
 *     float[] v = embeddings.embed("the cat sat").vector(0); // text-embedding-3-small
 * }
 * EmbeddingProvider voyage = OpenAiEmbeddings.builder().dialect(Dialect.VOYAGE)
 *         .baseUrl("https://api.voyageai.com/v1").apiKey(System.getenv("VOYAGE_API_KEY")).build();
 * }</pre>
 *
 * One instance shares one HTTP client across calls and is thread-safe. {@link #close()} cancels every request
 * in flight; an interrupt of the calling thread cancels the call's. Errors map as chat's do (429 a
 * {@link dev.alfred.llm.RateLimitException}, {@code insufficient_quota} a
 * {@link dev.alfred.llm.QuotaExceededException}, 400 an {@link dev.alfred.llm.InvalidRequestException} ...).
 * {@link #toString()} and every message leave the API key out.
 */
public final class OpenAiEmbeddings implements EmbeddingProvider {

    /** How many requests of one call are in flight at once by default. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** The most bytes of one response by default: 2,048 vectors of 3,072 floats as JSON numbers fit. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;

    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "api-key", "user-agent", "content-type",
            "accept");

    private final String id;
    private final Dialect dialect;
    private final EmbeddingRules rules;
    private final URI baseUrl;
    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final int concurrency;
    private final EmbeddingLimits limitsOverride;
    private final int maxBodyBytes;
    private final Map<String, String> extraHeaders;
    private final ExchangeSettings settings;
    private final HttpTransport http;
    private final EmbeddingEncoder encoder;
    private final EmbeddingDecoder decoder = new EmbeddingDecoder();
    private volatile boolean closed;

    private OpenAiEmbeddings(Builder b, Dialect dialect, URI baseUrl, String model, String apiKey,
                             Map<String, String> extraHeaders, ExchangeSettings settings, HttpTransport http) {
        this.id = b.id;
        this.dialect = dialect;
        this.rules = dialect.embeddings();
        this.baseUrl = baseUrl;
        this.endpoint = HttpTransport.resolve(baseUrl, rules.path());
        this.model = model;
        this.apiKey = apiKey;
        this.concurrency = b.concurrency;
        this.limitsOverride = b.limits;
        this.maxBodyBytes = b.maxBodyBytes;
        this.extraHeaders = extraHeaders;
        this.settings = settings;
        this.http = http;
        this.encoder = new EmbeddingEncoder(rules);
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
     * The server's dialect.
     *
     * @return the dialect
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * The model used when a request names none.
     *
     * @return the model
     */
    public String model() {
        return model;
    }

    /**
     * Where requests go, the default model, and the dialect's name.
     *
     * @return the endpoint
     */
    @Override
    public ProviderEndpoint endpoint() {
        return new ProviderEndpoint(baseUrl, model).withDialect(dialect.name());
    }

    /**
     * The server's documented limits per request for the default model (OpenAI and Azure: 2,048 inputs and
     * 300,000 tokens; Voyage AI: 1,000 inputs and the model's token total; others: none documented), and the
     * configured concurrency. A request for another model is batched within that model's limits.
     *
     * @return the limits
     */
    @Override
    public EmbeddingLimits limits() {
        return limitsOverride != null ? limitsOverride : rules.limits(model, concurrency);
    }

    /**
     * The limits of the request's model (the builder's {@link Builder#limits} when set).
     *
     * @param request the request
     * @return the limits it is batched within
     */
    @Override
    public EmbeddingLimits limits(EmbeddingRequest request) {
        return limitsOverride != null ? limitsOverride : rules.limits(modelOf(request), concurrency);
    }

    /**
     * Embeds the inputs, in batches within the limits of the request's model.
     *
     * @param request what to embed
     * @return one vector per input, in input order
     * @throws UnsupportedFeatureException if the request asks for dimensions and the server cannot shorten vectors
     * @throws dev.alfred.llm.EmbeddingBatchException when the call was split and one batch failed
     * @throws MalformedResponseException  when a response is not one valid vector per input
     * @throws LlmException                when the server fails, the provider is closed, or the thread is interrupted
     */
    @Override
    public EmbeddingResponse embed(EmbeddingRequest request) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new LlmException(id + ": embeddings provider is closed", id, -1, null, false, null, null);
        }
        if (request.dimensions() != null && rules.dimensionsField() == null) {
            throw new UnsupportedFeatureException(id + ": the " + dialect.name() + " server cannot shorten vectors"
                    + " (no dimensions field); leave dimensions unset", id, Capabilities.Feature.EMBEDDINGS);
        }
        return EmbeddingBatches.run(request, limits(request), this::oneBatch);
    }

    private String modelOf(EmbeddingRequest request) {
        return request.model() != null ? request.model() : model;
    }

    /** Sends one batch that fits and reads its vectors. */
    private EmbeddingResponse oneBatch(EmbeddingRequest batch) {
        String used = modelOf(batch);
        byte[] body = encoder.encode(batch, used);
        HttpRequest.Builder rb = HttpTransport.request(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", HttpTransport.USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (apiKey != null) {
            rb.header(dialect.apiKeyHeader(), dialect.apiKeyPrefix() + apiKey);
        }
        extraHeaders.forEach(rb::header);
        HttpExchange exchange = http.exchange(rb.build(), body, settings, false);
        try {
            exchange.successfulHeaders();
            String requestId = exchange.requestId();
            byte[] bytes = exchange.readAll(maxBodyBytes, true);
            EmbeddingDecoder.Decoded d;
            try {
                d = decoder.decode(bytes, batch.inputs().size(), batch.dimensions());
            } catch (EmbeddingDecoder.Malformed e) {
                throw new MalformedResponseException(settings.errors().describe(200, null,
                        "malformed embeddings response (" + e.getMessage() + ")", requestId), id, 200, requestId, null);
            }
            if (d.error() != null) {
                throw settings.errors().fromStreamError(d.error(), requestId);
            }
            return new EmbeddingResponse(d.vectors(), d.model() != null ? d.model() : used, d.usage());
        } catch (RuntimeException | Error e) {
            exchange.cancel();
            throw e;
        }
    }

    /**
     * How many requests are in flight: sent and not yet ended.
     *
     * @return the count
     */
    public int liveExchanges() {
        return http.liveExchanges();
    }

    /**
     * Cancels every request in flight (their calls fail with an {@link LlmException}) and shuts the HTTP client
     * down if this provider created it. Returns at once; later calls fail. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        http.close();
    }

    /**
     * A description without secrets.
     *
     * @return the id, dialect, base URL, model and whether a key is set
     */
    @Override
    public String toString() {
        return "OpenAiEmbeddings{id=" + id + ", dialect=" + dialect.name() + ", baseUrl="
                + settings.errors().scrubber().scrub(baseUrl.toString()) + ", model=" + model + ", apiKey="
                + (apiKey == null ? "none" : "****") + "}";
    }

    /**
     * Builds {@link OpenAiEmbeddings}; not thread-safe. It shares the chat provider's settings
     * ({@link HttpProviderBuilder}: key, base URL, model, timeouts, HTTP client, headers); the model defaults
     * to the dialect's embedding model (OpenAI {@code text-embedding-3-small}, Voyage AI {@code voyage-3.5},
     * Mistral {@code mistral-embed}, OpenRouter {@code openai/text-embedding-3-small}; Azure, Ollama, vLLM and
     * llama.cpp have none, so one must be set). A response may hold up to 256 MiB unless
     * {@link #maxBodyBytes} says otherwise. Extra body fields are not sent with embeddings.
     */
    public static final class Builder extends HttpProviderBuilder<Builder> {
        private String id = OpenAiProvider.ID;
        private Dialect dialect;
        private int concurrency = DEFAULT_CONCURRENCY;
        private EmbeddingLimits limits;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

        private Builder() {
            super(OpenAiProvider.OPENAI_URL, null, RESERVED_HEADERS);
        }

        /**
         * Sets the provider id that exceptions and listeners name; {@code openai} by default.
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
         * Sets how many requests of one call may be in flight at once (default 4).
         *
         * @param requests a positive count
         * @return this builder
         */
        public Builder concurrency(int requests) {
            this.concurrency = requests;
            return this;
        }

        /**
         * Replaces the dialect's documented per-request limits and the concurrency, for a server (or a proxy)
         * that allows less than it documents, or a test.
         *
         * @param limits the limits, or null for the dialect's
         * @return this builder
         */
        public Builder limits(EmbeddingLimits limits) {
            this.limits = limits;
            return this;
        }

        /**
         * Reads the shared settings under the prefix ({@link HttpProviderBuilder#configure}), then the
         * embeddings' own: {@code <prefix>embeddings.model} (not the chat model, {@code <prefix>model}),
         * {@code <prefix>embeddings.concurrency} and {@code <prefix>dialect}.
         *
         * @param config the configuration
         * @param prefix the prefix, such as {@code openai.}
         * @return this builder
         * @throws IllegalArgumentException naming a setting whose value is not of its type, or an unknown dialect
         */
        @Override
        public Builder configure(ProviderConfig config, String prefix) {
            String keep = model();
            super.configure(config, prefix);
            model(config.get(prefix + "embeddings.model").orElse(keep));
            config.getInt(prefix + "embeddings.concurrency").ifPresent(this::concurrency);
            config.get(prefix + "dialect").ifPresent(d -> dialect(Dialect.named(d)));
            return this;
        }

        /**
         * Sets the most bytes of one response (default 256 MiB: a full batch of large vectors as JSON numbers).
         *
         * @param bytes a positive count
         * @return this builder
         */
        @Override
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return super.maxBodyBytes(bytes);
        }

        /**
         * Builds the provider.
         *
         * @return the provider
         * @throws UnsupportedFeatureException if the dialect's server has no embeddings (the message names the
         *                                     alternative)
         * @throws IllegalArgumentException    if the key is missing for a remote server, the model for a dialect
         *                                     without a default, or a setting is invalid (naming it)
         */
        public OpenAiEmbeddings build() {
            Dialect d = dialect != null ? dialect : Dialect.forBaseUrl(baseUrl());
            EmbeddingRules rules = d.embeddings();
            if (!rules.supported()) {
                throw new UnsupportedFeatureException(id + ": " + rules.refusal(), id, Capabilities.Feature.EMBEDDINGS);
            }
            checkSettings("set OPENAI_API_KEY, or call apiKey(...)", "openai.base.url, OPENAI_BASE_URL;"
                    + " openai.allow.insecure.http=true, OPENAI_ALLOW_INSECURE_HTTP, accepts it", rules.defaultModel(),
                    "the " + d.name() + " dialect has no default embedding model: set openai.embeddings.model"
                            + " (OPENAI_EMBEDDINGS_MODEL), or call model(...)");
            if (concurrency <= 0) {
                throw new IllegalArgumentException("concurrency must be positive, was " + concurrency);
            }
            return new OpenAiEmbeddings(this, d, baseUrl(), model(), apiKey(), extraHeaders(),
                    exchangeSettings(id, d.requestIdHeader(), d.errorRules()), transport());
        }
    }
}
