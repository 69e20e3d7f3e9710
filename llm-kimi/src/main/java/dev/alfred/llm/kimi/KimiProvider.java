package dev.alfred.llm.kimi;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.kimi.internal.Estimates;
import dev.alfred.llm.openai.OpenAiProvider;
import dev.alfred.llm.spi.ModelTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * The Kimi (Moonshot AI) provider: a preset of llm-openai's {@link OpenAiProvider} with Kimi's base
 * URLs, default model, error table, {@code x-trace-id}, builtin tools, {@code ms://} image files,
 * tool-name rule, and {@link KimiOptions} (thinking, partial mode).
 *
 * <pre>{@code
 * LlmProvider kimi = KimiProvider.builder().apiKey(System.getenv("KIMI_API_KEY")).build();
 * }</pre>
 *
 * <p>Beside chat: {@link #tokenCounter()} asks Moonshot's {@code POST /v1/tokenizers/estimate-token-count},
 * and {@link #models()} reads {@code GET /v1/models} (context length, reasoning, image input), completed
 * from a dated built-in table and the {@code kimi.context.windows} setting. Moonshot has no embeddings.
 *
 * <p>One instance shares two HTTP clients across calls, one for chat and one for the estimate and the
 * catalogue (or the caller's, {@link Builder#httpClient}, for both), and is thread-safe. It sends its own
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

    /** What a count made by {@link #tokenCounter()} names as its method. */
    public static final String COUNT_METHOD = "kimi estimate-token-count";
    /**
     * The context windows (input and output together) of current Kimi models, for a catalogue entry that
     * lacks one (Moonshot's help center, api-troubleshooting.md, 2026-07: K3 1M, K2.x 256K; checked
     * 2026-12-08). K3's "1M" is taken as 1,000,000, the lower reading. Overridden by
     * {@code kimi.context.windows}.
     */
    public static final ModelTable BUILT_IN_MODELS = KimiDialect.MODELS;

    private static final Logger LOG = LoggerFactory.getLogger(KimiProvider.class);

    private final OpenAiProvider engine;
    /** The built-in table overridden by {@code kimi.context.windows}. */
    private final ModelTable models;
    private final Estimates beside;

    private KimiProvider(OpenAiProvider engine, Estimates beside, ModelTable models) {
        this.engine = engine;
        this.beside = beside;
        this.models = models;
        URI baseUrl = engine.baseUrl();
        if (baseUrl.getHost() != null && baseUrl.getHost().equalsIgnoreCase(CODING_PLAN_URL.getHost())) {
            LOG.warn("{}: base URL {} is the Kimi Coding Plan endpoint, which admits only approved coding agents;"
                    + " expect HTTP 403 access_terminated_error", ID, dev.alfred.llm.spi.SecretScrubber.NONE.scrub(baseUrl.toString()));
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
     * Moonshot's own estimate: {@code POST {base}/tokenizers/estimate-token-count} with {@code {model,
     * messages}}, the messages in the chat format this provider sends (system, user text and images,
     * assistant text with its tool calls and reasoning, tool results). The endpoint documents only those
     * two fields, so the tool definitions, response format and sampling settings are not counted: add
     * {@link TokenCounter#estimate()} of the tools where they matter. The call goes out as a chat call
     * does (key, extra headers and body fields, deadlines, Kimi's error table, key left out of every
     * message). The count is {@link TokenCount.Kind#SERVER}. Thread-safe.
     *
     * @return the counter; {@code count} throws the {@link LlmException} the call failed with, a
     *         {@link MalformedResponseException} for an answer without {@code data.total_tokens}
     */
    @Override
    public TokenCounter tokenCounter() {
        return request -> new TokenCount(beside.count(request, engine.requestBody(request)), TokenCount.Kind.SERVER,
                COUNT_METHOD);
    }

    /**
     * The server's catalogue, {@code GET {base}/models}, as Moonshot's kimi-cli reads it: each model's id,
     * display name, context window ({@code context_length}, input and output together) and features
     * (reasoning, image input), origin {@link ModelInfo.Origin#SERVER}; where the server gives no window it
     * comes from {@code kimi.context.windows} or {@link #BUILT_IN_MODELS} (a configured window overrides the
     * server's). The list is read by the chat engine, on its own transport, with the same headers,
     * deadlines and error table as a chat call, cancelled by {@link #close()}, within the provider's
     * {@code maxBodyBytes}. Thread-safe.
     *
     * @return the models, in the server's order
     * @throws LlmException for an error status (typed by Kimi's error table, key left out), after
     *                      {@link #close()}, a {@link dev.alfred.llm.ResponseTooLargeException} for a list over
     *                      {@code maxBodyBytes}, and a {@link MalformedResponseException} for a body that is not a
     *                      model list
     */
    @Override
    public List<ModelInfo> models() {
        // the engine reads Moonshot's list (context_length, supports_*) with llm-openai's one decoder and
        // fills missing windows from the dialect's table; a configured window overrides even the server's
        return engine.models().stream().map(models::complete).toList();
    }

    /**
     * Cancels every call in flight (chat, streams, estimates, catalogue) and closes the HTTP clients if this
     * provider created them (on JDK 21 and later; on 17 their selector threads end when the clients are
     * collected). The shared pool's threads end by themselves when idle. Returns at once; later calls fail.
     */
    @Override
    public void close() {
        engine.close();
        beside.close();
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

    /**
     * Builds a {@link KimiProvider}; not thread-safe. Only the API key is required: an Open Platform key,
     * or a Coding Plan key with that base URL. The base URL defaults to {@link #OPEN_PLATFORM_URL} (any
     * OpenAI-compatible base works) and the model to {@link #DEFAULT_MODEL}; the other settings are
     * documented on {@link HttpProviderBuilder}.
     */
    public static final class Builder extends HttpProviderBuilder<Builder> {

        private ModelTable models = BUILT_IN_MODELS;

        private Builder() {
            super(OPEN_PLATFORM_URL, DEFAULT_MODEL, Set.of("authorization", "user-agent", "content-type", "accept"));
        }

        /**
         * Reads the shared settings ({@link HttpProviderBuilder#configure}) and
         * {@code <prefix>context.windows}, which overrides {@link #BUILT_IN_MODELS} for {@link #models()}.
         *
         * @param config the configuration
         * @param prefix the prefix, such as {@code kimi.}
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
         * Builds the provider.
         *
         * @return the provider
         * @throws IllegalArgumentException if the API key is missing, or a setting is invalid (naming it)
         */
        public KimiProvider build() {
            if (apiKey() == null || apiKey().isBlank()) {
                throw new IllegalArgumentException("apiKey is missing: set KIMI_API_KEY (or MOONSHOT_API_KEY),"
                        + " or call apiKey(...)");
            }
            String keyHint = "set KIMI_API_KEY (or MOONSHOT_API_KEY), or call apiKey(...)";
            String urlSettings = "setting kimi.base.url, KIMI_BASE_URL; kimi.allow-insecure-http=true,"
                    + " KIMI_ALLOW_INSECURE_HTTP, accepts it";
            OpenAiProvider engine = copyTo(OpenAiProvider.builder().id(ID).dialect(KimiDialect.DIALECT)
                    .settingNames(keyHint, urlSettings)).build();
            Estimates beside = copyTo(Estimates.builder(ID, KimiDialect.DIALECT))
                    .build(keyHint, urlSettings, DEFAULT_MODEL);
            return new KimiProvider(engine, beside, models);
        }
    }
}
