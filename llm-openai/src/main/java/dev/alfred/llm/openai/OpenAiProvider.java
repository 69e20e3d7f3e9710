package dev.alfred.llm.openai;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.RequestSettings;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.HttpChatProvider;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.openai.internal.models.ModelListDecoder;
import dev.alfred.llm.openai.internal.stream.OpenAiChatStream;
import dev.alfred.llm.openai.internal.tokens.TiktokenCounter;
import dev.alfred.llm.openai.internal.wire.ChoiceParts;
import dev.alfred.llm.openai.internal.wire.Chunk;
import dev.alfred.llm.openai.internal.wire.ChunkDecoder;
import dev.alfred.llm.openai.internal.wire.FinishReasons;
import dev.alfred.llm.openai.internal.wire.RequestEncoder;
import dev.alfred.llm.spi.ModelTable;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A provider for any server that speaks OpenAI's chat-completions API: OpenAI itself, and Azure,
 * DeepSeek, Ollama, vLLM, llama.cpp, OpenRouter, Groq and Mistral through their {@link Dialect}; Kimi
 * is one more preset, in {@code llm-kimi}. Calls go over {@link java.net.http.HttpClient}, streams
 * through llm-http's event-stream reader; the call plumbing is llm-http's {@link HttpChatProvider}.
 *
 * <pre>{@code
 * LlmProvider openai = OpenAiProvider.builder().apiKey(System.getenv("OPENAI_API_KEY")).build();
 * LlmProvider local = OpenAiProvider.builder().baseUrl(URI.create("http://localhost:11434/v1"))
 *         .model("qwen3").build(); // Ollama: a loopback server needs no key
 * }</pre>
 *
 * <p>Beyond chat: {@link #tokenCounter()} counts OpenAI's and Azure's models locally with their tiktoken
 * encoding, and {@link #models()} lists the server's models with their context windows. Embeddings are
 * {@link OpenAiEmbeddings}.
 *
 * <p>One instance shares one HTTP client across calls and is thread-safe. It sends its own
 * {@code User-Agent: alfred-llm/<version>}. {@link #toString()} and every exception message leave
 * the API key out.
 */
public final class OpenAiProvider extends HttpChatProvider {

    /** The provider id. */
    public static final String ID = "openai";
    /** OpenAI's base URL, the default. */
    public static final URI OPENAI_URL = URI.create("https://api.openai.com/v1");

    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "api-key", "user-agent", "content-type",
            "accept");

    private final URI endpoint;
    private final Dialect dialect;
    private final RequestEncoder encoder;
    private final ChunkDecoder decoder = new ChunkDecoder();
    private final TokenCounter tokenCounter;
    private final ModelTable modelTable;

    private OpenAiProvider(String id, Dialect dialect, Builder b, ModelTable modelTable) {
        super(id, b, dialect.requestIdHeader(), dialect.errorRules());
        this.modelTable = modelTable;
        this.tokenCounter = dialect.openAiModels() ? new TiktokenCounter(model()) : TokenCounter.estimate();
        this.endpoint = HttpTransport.resolve(baseUrl(), "chat/completions");
        // A dialect without options of its own (every preset but Kimi) reads OpenAiOptions.
        this.dialect = dialect.optionsType() != null ? dialect
                : dialect.toBuilder(dialect.name()).extras(OpenAiOptions.class, OpenAiOptions.EXTRAS).build();
        this.encoder = new RequestEncoder(id, this.dialect);
    }

    /**
     * A new builder, for OpenAI unless told otherwise.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
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
     * What the dialect says the server can do.
     *
     * @return the capabilities
     */
    @Override
    public Capabilities capabilities() {
        return dialect.capabilities();
    }

    /**
     * Where requests go, the default model, and the dialect's name: one provider id ({@code openai})
     * speaks to many servers, and a listener names the server by it ({@code gen_ai.provider.name}
     * {@code groq}, {@code azure.ai.openai}).
     *
     * @return the endpoint
     */
    @Override
    public ProviderEndpoint endpoint() {
        return super.endpoint().withDialect(dialect.name());
    }

    /**
     * Counts a request's input tokens: for OpenAI's and Azure's models with the model's tiktoken encoding
     * ({@code o200k_base} for gpt-5, gpt-4.1, gpt-4o and the o-series, {@code cl100k_base} for gpt-4 and
     * gpt-3.5) and OpenAI's documented framing, a {@link dev.alfred.llm.TokenCount.Kind#TOKENIZER} count whose
     * method names the encoding; for other servers and unknown models {@link TokenCounter#estimate()}.
     *
     * @return the counter, thread-safe
     */
    @Override
    public TokenCounter tokenCounter() {
        return tokenCounter;
    }

    /**
     * The server's models ({@code GET {base}/models}) with what the server says of each (Groq, Mistral,
     * OpenRouter and vLLM report context windows; OpenAI and Ollama ids only), completed from the dialect's
     * dated built-in table and overridden by {@code openai.context.windows}. Blocks; an interrupt cancels it.
     *
     * @return the models, in the server's order
     * @throws UnsupportedFeatureException if the server has no model list (Voyage AI)
     * @throws MalformedResponseException  if the body is not a model list
     * @throws dev.alfred.llm.LlmException when the server fails (mapped as chat's errors are)
     */
    @Override
    public List<ModelInfo> models() {
        if (dialect.modelsPath() == null) {
            throw new UnsupportedFeatureException(id() + ": the " + dialect.name() + " server has no model list", id(),
                    dev.alfred.llm.Capabilities.Feature.MODEL_CATALOGUE);
        }
        Reply reply = call("GET", HttpTransport.resolve(baseUrl(), dialect.modelsPath()), null, RequestSettings.NONE);
        List<ModelInfo> listed;
        try {
            listed = new ModelListDecoder().decode(reply.body());
        } catch (ModelListDecoder.Malformed e) {
            throw malformed("malformed model list (" + e.getMessage() + ")", reply.requestId(), null);
        }
        List<ModelInfo> models = new ArrayList<>(listed.size());
        for (ModelInfo m : listed) {
            models.add(modelTable.complete(m));
        }
        return List.copyOf(models);
    }

    @Override
    protected URI endpoint(ChatRequest request, boolean stream) {
        return endpoint;
    }

    @Override
    protected boolean accepts(ProviderOptions options) {
        return dialect.optionsType() != null && dialect.optionsType().isInstance(options);
    }

    /**
     * The JSON body a whole (not streamed) chat call would send for this request, before extra body fields:
     * for a server endpoint that takes the chat format, such as Moonshot's token estimate, so that it is
     * written by the one encoder. The request is checked as chat checks it.
     *
     * @param request the request
     * @return the body
     * @throws UnsupportedFeatureException if the request needs what the provider cannot do
     * @throws dev.alfred.llm.InvalidRequestException if it breaks one of the dialect's rules
     * @throws NullPointerException if request is null
     */
    public byte[] requestBody(ChatRequest request) {
        Objects.requireNonNull(request, "request");
        capabilities().check(request, id());
        return encode(request, false, new ArrayList<>());
    }

    @Override
    protected byte[] encode(ChatRequest request, boolean stream, List<String> warnings) {
        return encoder.encode(request, model(), stream, warnings);
    }

    @Override
    protected void authenticate(HttpRequest.Builder request, String apiKey, boolean stream) {
        if (apiKey != null) {
            request.header(dialect.apiKeyHeader(), dialect.apiKeyPrefix() + apiKey);
        }
    }

    @Override
    protected void decode(byte[] body, ResponseAccumulator answer, String requestId) {
        Chunk c = decoder.decode(body, 0, body.length);
        if (c.isError()) {
            ErrorBody error = ErrorBody.parse(body, 0, body.length);
            throw settings().errors().fromStreamError(error != null ? error : OpenAiChatStream.error(c), requestId);
        }
        ChoiceParts parts = new ChoiceParts(true);
        parts.accept(c, new ChoiceParts.Sink() {
            @Override
            public void part(dev.alfred.llm.ChatDelta part) {
                answer.accept(part);
            }

            @Override
            public void warn(String warning) {
                answer.warn(warning);
            }

            @Override
            public void citation(dev.alfred.llm.Citation citation) {
                answer.citation(citation);
            }

            @Override
            public void field(String path, String json) {
                answer.providerField(path, json);
            }
        });
        answer.id(c.id());
        answer.model(c.model());
        answer.usage(ChoiceParts.usage(c.usage(), dialect.completionIncludesReasoning()));
        answer.finishReason(FinishReasons.of(c.finishReason()), c.finishReason());
        answer.state(parts.state(id()));
    }

    @Override
    protected EventStreamChatStream newStream(HttpExchange exchange, ResponseAccumulator accumulator,
                                              List<String> warnings) {
        return new OpenAiChatStream(exchange, settings(), accumulator, maxLineBytes(), warnings,
                dialect.completionIncludesReasoning());
    }

    @Override
    protected String describe() {
        return "dialect=" + dialect.name();
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
        private String urlSettings = "openai.base.url, OPENAI_BASE_URL; openai.allow.insecure.http=true,"
                + " OPENAI_ALLOW_INSECURE_HTTP, accepts it";
        private ProviderConfig config;
        private String prefix;

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
         * Reads the shared settings under the prefix ({@link HttpProviderBuilder#configure}) and keeps the
         * configuration for {@code <prefix>context.windows}, which overrides the context windows
         * {@link OpenAiProvider#models()} reports ({@link ModelTable#withConfig}).
         *
         * @param config the configuration
         * @param prefix the provider's prefix, such as {@code openai.}
         * @return this builder
         * @throws IllegalArgumentException naming a setting whose value is not of its type
         */
        @Override
        public Builder configure(ProviderConfig config, String prefix) {
            super.configure(config, prefix);
            this.config = config;
            this.prefix = prefix;
            return this;
        }

        /**
         * Builds the provider.
         *
         * @return the provider
         * @throws UnsupportedFeatureException if the dialect's server cannot chat (Voyage AI, embeddings only:
         *                                     the message says to use {@link OpenAiEmbeddings})
         * @throws IllegalArgumentException    if the API key is missing for a remote server, the model for a
         *                                     dialect without a default, or a setting is invalid (naming it),
         *                                     {@code context.windows} included
         */
        public OpenAiProvider build() {
            Dialect d = dialect != null ? dialect : Dialect.forBaseUrl(baseUrl());
            if (d.chatRefusal() != null) {
                throw new UnsupportedFeatureException(id + ": " + d.chatRefusal(), id, null);
            }
            checkSettings(keyHint, urlSettings, d.defaultModel(), "the " + d.name()
                    + " dialect has no default model: set OPENAI_MODEL, or call model(...)");
            ModelTable table = config == null ? d.modelTable() : d.modelTable().withConfig(config, prefix);
            return new OpenAiProvider(id, d, this, table);
        }
    }
}
