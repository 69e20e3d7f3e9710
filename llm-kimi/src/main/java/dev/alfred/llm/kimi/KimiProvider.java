package dev.alfred.llm.kimi;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.openai.OpenAiProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
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

    /**
     * Builds a {@link KimiProvider}; not thread-safe. Only the API key is required: an Open Platform key,
     * or a Coding Plan key with that base URL. The base URL defaults to {@link #OPEN_PLATFORM_URL} (any
     * OpenAI-compatible base works) and the model to {@link #DEFAULT_MODEL}; the other settings are
     * documented on {@link HttpProviderBuilder}.
     */
    public static final class Builder extends HttpProviderBuilder<Builder> {

        private Builder() {
            super(OPEN_PLATFORM_URL, DEFAULT_MODEL, Set.of("authorization", "user-agent", "content-type", "accept"));
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
            return new KimiProvider(copyTo(OpenAiProvider.builder().id(ID).dialect(KimiDialect.DIALECT)
                    .settingNames("set KIMI_API_KEY (or MOONSHOT_API_KEY), or call apiKey(...)",
                            "setting kimi.base.url, KIMI_BASE_URL; kimi.allow-insecure-http=true, KIMI_ALLOW_INSECURE_HTTP,"
                                    + " accepts it")).build());
        }
    }
}
