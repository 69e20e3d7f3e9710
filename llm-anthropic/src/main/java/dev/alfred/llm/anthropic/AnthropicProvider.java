package dev.alfred.llm.anthropic;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.anthropic.internal.stream.AnthropicChatStream;
import dev.alfred.llm.anthropic.internal.wire.AnswerFolder;
import dev.alfred.llm.anthropic.internal.wire.AnswerSink;
import dev.alfred.llm.anthropic.internal.wire.EventDecoder;
import dev.alfred.llm.anthropic.internal.wire.RequestEncoder;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.HttpChatProvider;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.http.error.ErrorKind;
import dev.alfred.llm.http.error.ErrorRules;

import java.net.URI;
import java.net.http.HttpRequest;
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
    private static final Set<String> RESERVED_HEADERS = Set.of("x-api-key", "authorization", "anthropic-version",
            "anthropic-beta", "user-agent", "content-type", "accept");

    private final URI endpoint;
    private final int maxTokens;
    private final boolean bearer;
    private final String version;
    private final String betas;
    private final RequestEncoder encoder = new RequestEncoder(ID);
    private final EventDecoder decoder = new EventDecoder();

    private AnthropicProvider(Builder b) {
        super(ID, b, "request-id", ERRORS);
        this.endpoint = messagesUrl(baseUrl());
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
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        boolean versioned = path.endsWith("/v1") || path.endsWith("/v1/");
        return HttpTransport.resolve(baseUrl, versioned ? "messages" : "v1/messages");
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
