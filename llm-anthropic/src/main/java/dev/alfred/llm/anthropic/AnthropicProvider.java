package dev.alfred.llm.anthropic;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.RequestSettings;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.anthropic.internal.stream.AnthropicChatStream;
import dev.alfred.llm.anthropic.internal.wire.AnswerFolder;
import dev.alfred.llm.anthropic.internal.wire.AnswerSink;
import dev.alfred.llm.anthropic.internal.wire.EventDecoder;
import dev.alfred.llm.anthropic.internal.wire.ModelsPage;
import dev.alfred.llm.anthropic.internal.wire.RequestEncoder;
import dev.alfred.llm.anthropic.internal.wire.TokenCountBody;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.HttpChatProvider;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.http.error.ErrorKind;
import dev.alfred.llm.http.error.ErrorRules;
import dev.alfred.llm.spi.ModelTable;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

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
 * {@value #DEFAULT_MAX_TOKENS} unless the request or the builder sets it; a builtin tool named
 * {@code web_search} is Anthropic's web search ({@code web_search_20250305}), and one named by a
 * versioned server-tool type ({@code web_fetch_20250910}) is sent as that type (its beta set with
 * {@link Builder#beta}); tool-call ids another provider made ({@code functions.get_weather:0}) are
 * mapped to ids the API accepts, the same for a call and its result, and an empty assistant turn,
 * which the API refuses, is left out with a warning; {@code request-id} is named in every exception
 * message.
 *
 * <p>What it reads: nothing the server says is dropped. Text, thinking (reasoning) and tool calls as
 * parts; {@code stop_reason: refusal} as {@link dev.alfred.llm.FinishReason#REFUSAL} with a refusal
 * text (the {@code stop_details} explanation, else its category); citations as
 * {@link dev.alfred.llm.Citation}s spanning their text; the server's own tools ({@code server_tool_use},
 * {@code mcp_tool_use} and every {@code *_tool_result}, errors in a 200 included) as
 * {@link dev.alfred.llm.ServerToolUse}s; the model a {@code fallback} block names as the model that
 * answered; usage as reported (the prompt is input plus cache writes plus cache reads); every other
 * field or block ({@code container}, {@code stop_details}, {@code usage.server_tool_use}, a tool use's
 * {@code caller}, blocks of later API versions) in {@link dev.alfred.llm.ChatResponse#providerFields()},
 * each named in a warning. The answer's blocks (thinking with its signature, redacted thinking, server
 * tools with their encrypted results, citations, unknown blocks) are kept in order as its
 * {@link dev.alfred.llm.ProviderState} and sent back as received when it is replayed with
 * {@link dev.alfred.llm.ChatMessage#of}, so a {@code pause_turn} answer sent back continues. A tool
 * call whose input is not a JSON object is {@code INVALID_JSON}, one cut off {@code TRUNCATED}: a broken
 * call never comes back {@code COMPLETE}. Errors map by status: 400/404/413 invalid (a 400 saying the
 * credit balance is too low is a quota error), 401/403 authentication, 402 quota, 429 and 529
 * ({@code overloaded_error}, also inside a stream) retryable rate limits, 500/504 retryable
 * unavailability; a 200 body that is not a message is a {@link dev.alfred.llm.MalformedResponseException}.
 *
 * <p>Beside chat: {@link #tokenCounter()} asks {@code POST /v1/messages/count_tokens}, and
 * {@link #models()} reads {@code GET /v1/models}, completed from a dated built-in table and the
 * {@code anthropic.context.windows} setting. Anthropic has no embeddings.
 *
 * <p>One instance shares one HTTP client across calls and is thread-safe. {@link #toString()} and
 * every exception message leave the API key out.
 */
public final class AnthropicProvider extends HttpChatProvider {

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

    private static final Capabilities CAPABILITIES = Capabilities.of(Capabilities.Feature.TOOLS,
            Capabilities.Feature.PARALLEL_TOOL_CALLS, Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.IMAGES,
            Capabilities.Feature.IMAGE_URLS, Capabilities.Feature.REASONING, Capabilities.Feature.BUILTIN_TOOLS);
    /**
     * Anthropic's own reading of its errors, before the standard table: a 400 (or an error event) saying
     * "Your credit balance is too low" is a {@code QuotaExceededException}, never retried, though its type
     * is {@code invalid_request_error} (server-truth.md §3.1).
     */
    static final ErrorRules ERRORS = (status, type, message) ->
            message.toLowerCase(Locale.ROOT).contains("credit balance is too low") ? ErrorKind.QUOTA_EXCEEDED : null;
    /** What a count made by {@link #tokenCounter()} names as its method. */
    public static final String COUNT_METHOD = "anthropic count_tokens";
    /**
     * The context windows and output limits of current models, for a catalogue entry that lacks them
     * (memory-apis.md §3.1, third-party catalogues; checked 2026-12-08). Sonnet 4.6's output limit is
     * 64,000 in one source and 128,000 in another: the lower is kept. Overridden by
     * {@code anthropic.context.windows}.
     */
    public static final ModelTable BUILT_IN_MODELS = ModelTable.builtIn(LocalDate.of(2026, 12, 8),
            new Object[]{"claude-sonnet-5", 1_000_000, 128_000},
            new Object[]{"claude-fable-5", 1_000_000, 128_000},
            new Object[]{"claude-opus-4-8", 1_000_000, 128_000},
            new Object[]{"claude-opus-4-7", 1_000_000, 128_000},
            new Object[]{"claude-opus-4-6", 1_000_000, 128_000},
            new Object[]{"claude-sonnet-4-6", 1_000_000, 64_000},
            new Object[]{"claude-sonnet-4-5", 200_000, 64_000},
            new Object[]{"claude-sonnet-4-5-20250929", 200_000, 64_000},
            new Object[]{"claude-haiku-4-5", 200_000, 64_000},
            new Object[]{"claude-haiku-4-5-20251001", 200_000, 64_000});
    /** The most models asked for per page, the API's maximum. */
    static final int PAGE_LIMIT = 1000;
    /** The most pages read before the list is judged endless. */
    static final int MAX_PAGES = 100;
    private static final Set<String> RESERVED_HEADERS = Set.of("x-api-key", "authorization", "anthropic-version",
            "anthropic-beta", "user-agent", "content-type", "accept");

    private final URI endpoint;
    private final int maxTokens;
    private final boolean bearer;
    private final String version;
    private final String betas;
    private final URI countEndpoint;
    private final URI modelsUrl;
    private final ModelTable models;
    private final RequestEncoder encoder = new RequestEncoder(ID);
    private final EventDecoder decoder = new EventDecoder();

    private AnthropicProvider(Builder b) {
        super(ID, b, "request-id", ERRORS);
        this.endpoint = messagesUrl(baseUrl());
        this.countEndpoint = HttpTransport.resolve(endpoint, "count_tokens");
        this.modelsUrl = apiUrl(baseUrl(), "models");
        this.models = b.models;
        this.maxTokens = b.maxTokens;
        this.bearer = b.bearer;
        this.version = b.version;
        this.betas = String.join(",", b.betas);
    }

    /**
     * Where messages go: the base URL's {@code v1/messages}, or its {@code messages} when the base URL
     * already ends in {@code /v1} — so a base URL means what it means for every other provider (the API's
     * root with its version, {@code https://api.anthropic.com/v1}), and Anthropic's own SDK convention (the
     * host alone) works too.
     *
     * @param baseUrl the base URL
     * @return the endpoint
     */
    static URI messagesUrl(URI baseUrl) {
        return apiUrl(baseUrl, "messages");
    }

    /** An API path below the base URL, as {@link #messagesUrl} places {@code messages}. */
    static URI apiUrl(URI baseUrl, String path) {
        String base = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        boolean versioned = base.endsWith("/v1") || base.endsWith("/v1/");
        return HttpTransport.resolve(baseUrl, versioned ? path : "v1/" + path);
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Tools with parallel calls, builtin (server) tools such as {@code web_search}, JSON schema answers
     * ({@code output_config.format}), images inline and by URL, and reasoning (thinking). No JSON-object
     * mode.
     *
     * @return the capabilities
     */
    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * Anthropic's own count: {@code POST /v1/messages/count_tokens} with the body {@link #chat} would send
     * for the request, written by the same encoder and checked the same way, less {@code max_tokens},
     * {@code stream} and the sampling fields the endpoint does not take; so system, history, tools, tool
     * choice, thinking, the output format and images are all counted as the server counts them. The call
     * goes out as a chat call does: the same headers (key, version, betas, the request's own), extra body
     * fields, deadlines and error mapping (typed exceptions, key left out). The count is
     * {@link TokenCount.Kind#SERVER}; Anthropic says it "should be considered an estimate" (thinking of
     * earlier turns is not counted). Thread-safe.
     *
     * @return the counter; {@code count} throws the {@link dev.alfred.llm.LlmException} the call failed with,
     *         a {@link MalformedResponseException} for an answer without {@code input_tokens}
     */
    @Override
    public TokenCounter tokenCounter() {
        return request -> {
            Objects.requireNonNull(request, "request");
            capabilities().check(request, ID);
            AnthropicOptions options = request.options(AnthropicOptions.class).orElse(AnthropicOptions.DEFAULT);
            byte[] body = encoder.encodeCount(request, model(), maxTokens, options.thinking(), options.budgetTokens(),
                    options.effort(), new ArrayList<>());
            Reply reply = call("POST", countEndpoint, body, request.settings());
            ErrorBody error = ErrorBody.parse(reply.body(), 0, reply.body().length);
            if (error != null) {
                throw settings().errors().fromStreamError(error, reply.requestId());
            }
            long tokens;
            try {
                tokens = TokenCountBody.inputTokens(reply.body());
            } catch (RuntimeException e) {
                throw malformed("malformed token count (" + e.getMessage() + ")", reply.requestId(), e);
            }
            return new TokenCount(tokens, TokenCount.Kind.SERVER, COUNT_METHOD);
        };
    }

    /**
     * The server's catalogue, {@code GET /v1/models?limit=1000}, page after page ({@code after_id}) while
     * it says {@code has_more}: each model's id, display name, context window ({@code max_input_tokens}),
     * output limit ({@code max_tokens}) and features ({@code capabilities}: images, thinking, structured
     * outputs), origin {@link ModelInfo.Origin#SERVER}; where the server gives no window, it comes from
     * {@code anthropic.context.windows} or {@link #BUILT_IN_MODELS} (a configured window overrides the
     * server's). Each page is a call on the provider's own HTTP client, with the same headers, deadlines
     * and error mapping as a chat call, cancelled by {@link #close()}, and read within the provider's
     * {@code maxBodyBytes}. Thread-safe.
     *
     * @return the models, in the server's order
     * @throws dev.alfred.llm.LlmException after {@link #close()}, for an error status (typed as for chat, key
     *                                     left out), a {@link dev.alfred.llm.ResponseTooLargeException} for a
     *                                     page over {@code maxBodyBytes}, and a
     *                                     {@link MalformedResponseException} for a page that is not the API's
     *                                     shape or a list that does not end ({@code has_more} without a new
     *                                     {@code last_id}, or more than {@value #MAX_PAGES} pages)
     */
    @Override
    public List<ModelInfo> models() {
        List<ModelInfo> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String after = null;
        for (int page = 1; ; page++) {
            URI uri = URI.create(modelsUrl + "?limit=" + PAGE_LIMIT
                    + (after == null ? "" : "&after_id=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            ModelsPage p = modelsPage(uri);
            p.models().forEach(m -> all.add(models.complete(m)));
            if (!p.hasMore()) {
                return List.copyOf(all);
            }
            after = p.lastId();
            if (after == null || after.isEmpty() || !seen.add(after)) {
                throw malformed("the models list says has_more but gives no new last_id (was " + after
                        + ") after page " + page, null, null);
            }
            if (page == MAX_PAGES) {
                throw malformed("the models list did not end within " + MAX_PAGES + " pages", null, null);
            }
        }
    }

    private ModelsPage modelsPage(URI uri) {
        Reply reply = call("GET", uri, null, RequestSettings.NONE);
        try {
            return ModelsPage.parse(reply.body());
        } catch (RuntimeException e) {
            throw malformed("malformed models page (" + e.getMessage() + ")", reply.requestId(), e);
        }
    }

    @Override
    protected URI endpoint(ChatRequest request, boolean stream) {
        return endpoint;
    }

    @Override
    protected boolean accepts(ProviderOptions options) {
        return options instanceof AnthropicOptions;
    }

    @Override
    protected byte[] encode(ChatRequest request, boolean stream, List<String> warnings) {
        AnthropicOptions options = request.options(AnthropicOptions.class).orElse(AnthropicOptions.DEFAULT);
        return encoder.encode(request, model(), maxTokens, stream, options.thinking(), options.budgetTokens(),
                options.effort(), warnings);
    }

    @Override
    protected void authenticate(HttpRequest.Builder request, String apiKey, boolean stream) {
        request.header("anthropic-version", version);
        if (apiKey != null) {
            if (bearer) {
                request.header("Authorization", "Bearer " + apiKey);
            } else {
                request.header("x-api-key", apiKey);
            }
        }
        if (!betas.isEmpty()) {
            request.header("anthropic-beta", betas);
        }
    }

    @Override
    protected void decode(byte[] body, ResponseAccumulator answer, String requestId) {
        ErrorBody error = ErrorBody.parse(body, 0, body.length);
        if (error != null) {
            throw settings().errors().fromStreamError(error, requestId);
        }
        new AnswerFolder(AnswerSink.of(answer), ID).message(decoder.decodeMessage(body, body.length));
    }

    @Override
    protected EventStreamChatStream newStream(HttpExchange exchange, ResponseAccumulator accumulator,
                                              List<String> warnings) {
        return new AnthropicChatStream(exchange, settings(), accumulator, maxLineBytes(), warnings);
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
        private ModelTable models = BUILT_IN_MODELS;

        private Builder() {
            super(ANTHROPIC_URL, DEFAULT_MODEL, RESERVED_HEADERS);
        }

        /**
         * Reads the shared settings ({@link HttpProviderBuilder#configure}) and
         * {@code <prefix>context.windows}, which overrides {@link #BUILT_IN_MODELS} for {@link #models()}.
         *
         * @param config the configuration
         * @param prefix the prefix, such as {@code anthropic.}
         * @return this builder
         * @throws IllegalArgumentException naming a setting whose value is malformed
         */
        @Override
        public Builder configure(ProviderConfig config, String prefix) {
            super.configure(config, prefix);
            this.models = BUILT_IN_MODELS.withConfig(config, prefix);
            return this;
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
            checkSettings("set ANTHROPIC_API_KEY, or call apiKey(...)", "anthropic.base.url, ANTHROPIC_BASE_URL; anthropic.allow.insecure.http=true,"
                    + " ANTHROPIC_ALLOW_INSECURE_HTTP, accepts it",
                    DEFAULT_MODEL, "set ANTHROPIC_MODEL, or call model(...)");
            if (maxTokens <= 0) {
                throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
            }
            return new AnthropicProvider(this);
        }
    }
}
