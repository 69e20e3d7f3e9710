package dev.alfred.llm.openai.dialect;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.http.ToolCallIds;
import dev.alfred.llm.http.error.ErrorKind;
import dev.alfred.llm.http.error.ErrorRules;
import dev.alfred.llm.spi.ModelTable;

import java.net.URI;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What one server that speaks OpenAI's chat-completions API does differently, as far as a client must
 * send or read differently (openai-compatible.md, "Server × quirk table" and "Client rules"). What a
 * client reads needs no setting: every dialect reads {@code reasoning_content} and {@code reasoning},
 * usage wherever a server puts it, tool calls in every shape, errors in every shape. What it sends
 * does: the token-limit field, {@code stream_options}, how the key is sent, the reasoning echoed on
 * tool-call turns, the name on tool messages, tool-call ids, sampling settings a model refuses.
 *
 * <p>The presets are selected by the setting {@code openai.dialect}, or guessed from the base URL's
 * host ({@link #forBaseUrl}). A server with other needs gets its own with {@link #builder(String)} or
 * {@link #toBuilder(String)}. Immutable and thread-safe.
 */
public final class Dialect {

    /** What a dialect can do by default: tools, parallel calls, JSON answers, images (inline and URL), reasoning. */
    public static final Capabilities STANDARD_CAPABILITIES = Capabilities.of(Capabilities.Feature.TOOLS,
            Capabilities.Feature.PARALLEL_TOOL_CALLS, Capabilities.Feature.JSON_OBJECT, Capabilities.Feature.JSON_SCHEMA,
            Capabilities.Feature.IMAGES, Capabilities.Feature.IMAGE_URLS, Capabilities.Feature.REASONING);

    /** The standard features and strict schemas, which OpenAI's own API and Azure's document. */
    private static final Capabilities STRICT_CAPABILITIES = strictToo(STANDARD_CAPABILITIES);

    /** OpenAI's reasoning models (o-series, gpt-5) accept only the default temperature and top_p. */
    private static final Pattern OPENAI_REASONING_MODEL = Pattern.compile("(o\\d.*|gpt-5.*)");

    /**
     * OpenAI's error table beyond the standard one (server-truth.md §3.1): a 429 whose type or code is
     * {@code insufficient_quota} (also with code {@code credit_balance_exhausted}) or
     * {@code billing_not_active} is an exhausted quota, never a rate limit to wait out. Every preset reads
     * its errors this way; compatible servers that relay OpenAI's errors (Azure, OpenRouter) send the same.
     */
    public static final ErrorRules OPENAI_ERRORS = (status, type, message) -> {
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (t.equals("insufficient_quota") || t.equals("billing_not_active") || t.equals("credit_balance_exhausted")
                || message.toLowerCase(Locale.ROOT).contains("exceeded your current quota")) {
            return ErrorKind.QUOTA_EXCEEDED;
        }
        return null;
    };

    /**
     * OpenAI itself: {@code max_completion_tokens}, usage only with {@code stream_options.include_usage},
     * strict schemas (structured outputs: {@code strict: true} on tools and JSON schema answers).
     */
    public static final Dialect OPENAI = builder("openai").defaultModel("gpt-5-mini")
            .capabilities(STRICT_CAPABILITIES)
            .samplingRefusedBy(m -> OPENAI_REASONING_MODEL.matcher(m).matches())
            .embeddings(EmbeddingRules.builder().defaultModel("text-embedding-3-small").limits(2048, 300_000).build())
            .openAiModels(true).modelTable(openAiModelTable()).build();
    /**
     * Azure OpenAI: the key in an {@code api-key} header; otherwise as OpenAI, strict schemas too. Its model
     * is the deployment name (v1 API), so embeddings have no default model; the limits are OpenAI's.
     */
    public static final Dialect AZURE = builder("azure").apiKeyHeader("api-key", "")
            .capabilities(STRICT_CAPABILITIES)
            .samplingRefusedBy(m -> OPENAI_REASONING_MODEL.matcher(m).matches())
            .embeddings(EmbeddingRules.builder().limits(2048, 300_000).build())
            .openAiModels(true).modelTable(openAiModelTable()).build();
    /**
     * DeepSeek: {@code max_tokens}, no JSON schema answers, reasoning echoed on tool-call turns (its
     * thinking mode refuses a tool loop that drops it: "The reasoning_content in the thinking mode must be
     * passed back to the API").
     */
    public static final Dialect DEEPSEEK = builder("deepseek").defaultModel("deepseek-chat").maxTokensField("max_tokens")
            .capabilities(STANDARD_CAPABILITIES.without(Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.IMAGE_URLS))
            .echoReasoning(true).embeddings(EmbeddingRules.none("DeepSeek has no embeddings API: embed with"
                    + " another server, such as OpenAI (openai.dialect=openai), Voyage AI (voyage), Mistral or a local"
                    + " Ollama")).build();
    /**
     * Ollama's {@code /v1}: {@code max_tokens}; a local server needs no key. Embeddings with base64 (since
     * 2025-10) and {@code dimensions}; no documented limits, no default model.
     */
    public static final Dialect OLLAMA = builder("ollama").maxTokensField("max_tokens").build();
    /**
     * vLLM: as OpenAI, with {@code max_tokens} (older versions lack the newer field). Embeddings only for
     * embedding models; base64 is not documented, so vectors come as JSON numbers.
     */
    public static final Dialect VLLM = builder("vllm").maxTokensField("max_tokens")
            .embeddings(EmbeddingRules.builder().base64(false).build()).build();
    /** llama.cpp's {@code llama-server}; embeddings as JSON numbers, without {@code dimensions}. */
    public static final Dialect LLAMACPP = builder("llamacpp").maxTokensField("max_tokens")
            .embeddings(EmbeddingRules.builder().base64(false).dimensionsField(null).build()).build();
    /**
     * OpenRouter: as OpenAI; its comments and mid-stream errors are read by every dialect. Embeddings
     * (since late 2025) OpenAI-shaped, with {@code input_type}; its models are named by vendor.
     */
    public static final Dialect OPENROUTER = builder("openrouter")
            .embeddings(EmbeddingRules.builder().defaultModel("openai/text-embedding-3-small")
                    .inputTypeField("input_type").build()).build();
    /**
     * Groq: usage comes without asking ({@code stream_options} not sent; its usage in {@code x_groq.usage}
     * is read by every dialect, counted once), no {@code name} on messages, nothing it does not know in a
     * message (it rejects {@code reasoning_content}); 498 {@code capacity_exceeded} (flex tier) is a rate
     * limit to wait out.
     */
    public static final Dialect GROQ = builder("groq").defaultModel("llama-3.3-70b-versatile").maxTokensField("max_tokens")
            .streamUsage(false).toolMessageName(false)
            .errorRules((status, type, message) -> status == 498 || "capacity_exceeded".equals(type)
                    ? ErrorKind.RATE_LIMITED : OPENAI_ERRORS.classify(status, type, message))
            .embeddings(EmbeddingRules.none("Groq has no embeddings API: embed with another server, such as"
                    + " OpenAI (openai.dialect=openai), Voyage AI (voyage), Mistral or a local Ollama")).build();
    /**
     * Mistral: rejects any field it does not know (422), so {@code max_tokens} only, no
     * {@code stream_options}, no reasoning or name in history; tool-call ids must be exactly 9 letters
     * or digits, so other ids (from another provider) are mapped to such, the same way each time.
     */
    public static final Dialect MISTRAL = builder("mistral").defaultModel("mistral-large-latest")
            .maxTokensField("max_tokens").streamUsage(false).toolMessageName(false)
            .toolCallIds(ToolCallIds.alphanumeric(9))
            .embeddings(EmbeddingRules.builder().defaultModel("mistral-embed").dimensionsField("output_dimension")
                    .build()).build();
    /**
     * xAI (Grok): its {@code completion_tokens} leave the reasoning out (output = completion + reasoning),
     * so the answer's completion count adds them; {@code max_tokens}.
     */
    public static final Dialect XAI = builder("xai").maxTokensField("max_tokens").completionIncludesReasoning(false)
            .embeddings(EmbeddingRules.none("xAI has no embeddings API: embed with another server, such as"
                    + " OpenAI (openai.dialect=openai), Voyage AI (voyage), Mistral or a local Ollama")).build();
    /**
     * Voyage AI ({@code https://api.voyageai.com/v1}), the embeddings Anthropic recommends: embeddings only
     * (no chat, no model list). It takes {@code input_type} ({@code query}/{@code document}) and
     * {@code output_dimension}; its usage has only {@code total_tokens}. At most 1,000 inputs per request,
     * and a token total per model: 1M for the lite models, 320K for voyage-4, 3.5 and 2, 120K for the large
     * and domain models (docs.voyageai.com, 2026).
     */
    public static final Dialect VOYAGE = builder("voyage").capabilities(Capabilities.of()).modelsPath(null)
            .chatRefusal("Voyage AI is an embeddings-only server: it has no chat; use OpenAiEmbeddings"
                    + " (LlmProviders.createEmbeddings(\"openai\", ...) with openai.dialect=voyage) for its"
                    + " embeddings, and another provider for chat")
            .embeddings(EmbeddingRules.builder().defaultModel("voyage-3.5").dimensionsField("output_dimension")
                    .inputTypeField("input_type").limits(1000, 120_000)
                    .maxTokensByModel(Map.of("voyage-4-lite", 1_000_000L, "voyage-3.5-lite", 1_000_000L,
                            "voyage-4", 320_000L, "voyage-3.5", 320_000L, "voyage-2", 320_000L))
                    .build()).build();

    private static final Map<String, Dialect> PRESETS = presets();

    private final String name;
    private final String defaultModel;
    private final String maxTokensField;
    private final boolean streamUsage;
    private final boolean echoReasoning;
    private final boolean toolMessageName;
    private final ToolCallIds toolCallIds;
    private final boolean completionIncludesReasoning;
    private final String apiKeyHeader;
    private final String apiKeyPrefix;
    private final String requestIdHeader;
    private final Capabilities capabilities;
    private final String builtinToolType;
    private final String imageFilePrefix;
    private final Pattern toolNamePattern;
    private final int maxTools;
    private final Predicate<String> samplingRefusedBy;
    private final ErrorRules errorRules;
    private final Class<? extends ProviderOptions> optionsType;
    private final RequestExtras extras;
    private final EmbeddingRules embeddings;
    private final String chatRefusal;
    private final boolean openAiModels;
    private final String modelsPath;
    private final ModelTable modelTable;

    private Dialect(Builder b) {
        this.name = b.name;
        this.defaultModel = b.defaultModel;
        this.maxTokensField = b.maxTokensField;
        this.streamUsage = b.streamUsage;
        this.echoReasoning = b.echoReasoning;
        this.toolMessageName = b.toolMessageName;
        this.toolCallIds = b.toolCallIds;
        this.completionIncludesReasoning = b.completionIncludesReasoning;
        this.apiKeyHeader = b.apiKeyHeader;
        this.apiKeyPrefix = b.apiKeyPrefix;
        this.requestIdHeader = b.requestIdHeader;
        this.capabilities = b.capabilities;
        this.builtinToolType = b.builtinToolType;
        this.imageFilePrefix = b.imageFilePrefix;
        this.toolNamePattern = b.toolNamePattern;
        this.maxTools = b.maxTools;
        this.samplingRefusedBy = b.samplingRefusedBy;
        this.errorRules = b.errorRules;
        this.optionsType = b.optionsType;
        this.extras = b.extras;
        this.embeddings = b.embeddings;
        this.chatRefusal = b.chatRefusal;
        this.openAiModels = b.openAiModels;
        this.modelsPath = b.modelsPath;
        this.modelTable = b.modelTable;
    }

    /**
     * OpenAI's context windows and output limits where {@code /v1/models} reports none (it reports ids only),
     * checked 2026-12-07: gpt-5, gpt-5-mini, gpt-5.2 take 272,000 input tokens of their 400,000 and answer with
     * at most 128,000; gpt-5.4 and gpt-5.5 take 922,000 of 1,050,000.
     */
    private static ModelTable openAiModelTable() {
        return ModelTable.builtIn(LocalDate.of(2026, 12, 7),
                new Object[] {"gpt-5", 272_000, 128_000}, new Object[] {"gpt-5-mini", 272_000, 128_000},
                new Object[] {"gpt-5.2", 272_000, 128_000}, new Object[] {"gpt-5.4", 922_000, 128_000},
                new Object[] {"gpt-5.5", 922_000, 128_000});
    }

    private static Capabilities strictToo(Capabilities standard) {
        java.util.EnumSet<Capabilities.Feature> features = java.util.EnumSet.of(Capabilities.Feature.STRICT_SCHEMA);
        features.addAll(standard.features());
        return new Capabilities(features);
    }

    private static Map<String, Dialect> presets() {
        Map<String, Dialect> m = new LinkedHashMap<>();
        for (Dialect d : new Dialect[] {OPENAI, AZURE, DEEPSEEK, OLLAMA, VLLM, LLAMACPP, OPENROUTER, GROQ, MISTRAL, XAI,
            VOYAGE}) {
            m.put(d.name, d);
        }
        return Map.copyOf(m);
    }

    /**
     * A preset by its name: {@code openai}, {@code azure}, {@code deepseek}, {@code ollama},
     * {@code vllm}, {@code llamacpp}, {@code openrouter}, {@code groq}, {@code mistral}, {@code xai} or
     * {@code voyage}.
     *
     * @param name the name, in any case
     * @return the dialect
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Dialect named(String name) {
        Dialect d = name == null ? null : PRESETS.get(name.strip().toLowerCase(Locale.ROOT));
        if (d == null) {
            throw new IllegalArgumentException("unknown OpenAI-compatible dialect '" + name + "'; known: "
                    + String.join(", ", new java.util.TreeSet<>(PRESETS.keySet())));
        }
        return d;
    }

    /**
     * The preset a base URL's host points to: {@code api.openai.com} OpenAI, {@code *.openai.azure.com}
     * and {@code *.cognitiveservices.azure.com} Azure, {@code api.deepseek.com} DeepSeek, port 11434 or
     * {@code ollama.com} Ollama, {@code openrouter.ai} OpenRouter, {@code api.groq.com} Groq,
     * {@code api.mistral.ai} Mistral, {@code api.x.ai} xAI, {@code api.voyageai.com} Voyage AI; any other host
     * OpenAI, the baseline every
     * compatible server follows.
     *
     * @param baseUrl the base URL
     * @return the dialect
     */
    public static Dialect forBaseUrl(URI baseUrl) {
        String host = baseUrl.getHost() == null ? "" : baseUrl.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com")
                || host.endsWith(".services.ai.azure.com")) {
            return AZURE;
        }
        if (host.equals("api.deepseek.com")) {
            return DEEPSEEK;
        }
        if (baseUrl.getPort() == 11434 || host.equals("ollama.com") || host.endsWith(".ollama.com")) {
            return OLLAMA;
        }
        if (host.equals("openrouter.ai") || host.endsWith(".openrouter.ai")) {
            return OPENROUTER;
        }
        if (host.equals("api.groq.com")) {
            return GROQ;
        }
        if (host.equals("api.mistral.ai")) {
            return MISTRAL;
        }
        if (host.equals("api.x.ai")) {
            return XAI;
        }
        if (host.equals("api.voyageai.com")) {
            return VOYAGE;
        }
        return OPENAI;
    }

    /**
     * A new dialect with the OpenAI baseline, to adjust.
     *
     * @param name the dialect's name, for messages
     * @return the builder
     * @throws IllegalArgumentException if the name is blank
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * A builder that starts from this dialect.
     *
     * @param name the new dialect's name
     * @return the builder
     */
    public Builder toBuilder(String name) {
        Builder b = new Builder(name);
        b.defaultModel = defaultModel;
        b.maxTokensField = maxTokensField;
        b.streamUsage = streamUsage;
        b.echoReasoning = echoReasoning;
        b.toolMessageName = toolMessageName;
        b.toolCallIds = toolCallIds;
        b.completionIncludesReasoning = completionIncludesReasoning;
        b.apiKeyHeader = apiKeyHeader;
        b.apiKeyPrefix = apiKeyPrefix;
        b.requestIdHeader = requestIdHeader;
        b.capabilities = capabilities;
        b.builtinToolType = builtinToolType;
        b.imageFilePrefix = imageFilePrefix;
        b.toolNamePattern = toolNamePattern;
        b.maxTools = maxTools;
        b.samplingRefusedBy = samplingRefusedBy;
        b.errorRules = errorRules;
        b.optionsType = optionsType;
        b.extras = extras;
        b.embeddings = embeddings;
        b.chatRefusal = chatRefusal;
        b.openAiModels = openAiModels;
        b.modelsPath = modelsPath;
        b.modelTable = modelTable;
        return b;
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the model used when neither the provider nor the request names one, or null when none makes sense */
    public String defaultModel() {
        return defaultModel;
    }

    /** @return the field that carries the token limit: {@code max_completion_tokens} or {@code max_tokens} */
    public String maxTokensField() {
        return maxTokensField;
    }

    /** @return whether a stream asks for usage with {@code stream_options.include_usage} */
    public boolean streamUsage() {
        return streamUsage;
    }

    /**
     * @return whether an assistant message in the history carries its {@code reasoning_content}: only for
     *         servers documented to want it (DeepSeek, Kimi); others may reject the unknown field (Groq,
     *         Mistral) or ignore it
     */
    public boolean echoReasoning() {
        return echoReasoning;
    }

    /** @return whether a tool message carries the tool's {@code name} */
    public boolean toolMessageName() {
        return toolMessageName;
    }

    /** @return the server's rule for tool-call ids, which replayed ids from other providers are mapped to */
    public ToolCallIds toolCallIds() {
        return toolCallIds;
    }

    /**
     * Whether the server's {@code completion_tokens} include the reasoning tokens, as OpenAI's do; where
     * they do not (xAI), the answer's completion count is completion plus reasoning, so that
     * {@link dev.alfred.llm.Usage#completionTokens()} means the same for every server.
     *
     * @return true when completion includes reasoning
     */
    public boolean completionIncludesReasoning() {
        return completionIncludesReasoning;
    }

    /** @return the header that carries the key, such as {@code Authorization} */
    public String apiKeyHeader() {
        return apiKeyHeader;
    }

    /** @return what comes before the key in its header, such as {@code "Bearer "} */
    public String apiKeyPrefix() {
        return apiKeyPrefix;
    }

    /** @return the response header with the request id, such as {@code x-request-id} */
    public String requestIdHeader() {
        return requestIdHeader;
    }

    /** @return what the server can do */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** @return the tool type builtin tools are sent with, such as Kimi's {@code builtin_function}, or null */
    public String builtinToolType() {
        return builtinToolType;
    }

    /** @return the URL prefix an image file id is sent with, such as Kimi's {@code ms://}, or null */
    public String imageFilePrefix() {
        return imageFilePrefix;
    }

    /** @return the rule a function name must match, or null for none */
    public Pattern toolNamePattern() {
        return toolNamePattern;
    }

    /** @return the most tools one request may declare, or 0 for no limit */
    public int maxTools() {
        return maxTools;
    }

    /**
     * Whether a model refuses any temperature or top_p but the default; they are then left out, with a
     * warning.
     *
     * @param model the model
     * @return true when they must not be sent
     */
    public boolean refusesSampling(String model) {
        return samplingRefusedBy.test(model);
    }

    /** @return the server's own reading of its errors */
    public ErrorRules errorRules() {
        return errorRules;
    }

    /** @return the options type a request may carry for this server without a warning, or null */
    public Class<? extends ProviderOptions> optionsType() {
        return optionsType;
    }

    /** @return the fields this server's requests add */
    public RequestExtras extras() {
        return extras;
    }

    /** @return what the server does with embeddings, or why it has none */
    public EmbeddingRules embeddings() {
        return embeddings;
    }

    /** @return why the server cannot chat (Voyage AI is embeddings-only), or null when it can */
    public String chatRefusal() {
        return chatRefusal;
    }

    /**
     * Whether the server runs OpenAI's own models by their names (OpenAI, Azure), so that tiktoken's
     * encodings count their tokens locally; other servers' counts are estimates.
     *
     * @return true for OpenAI's models
     */
    public boolean openAiModels() {
        return openAiModels;
    }

    /** @return the path of the model list below the base URL ({@code models}), or null when the server has none */
    public String modelsPath() {
        return modelsPath;
    }

    /** @return the dated context windows of the models whose server does not report them */
    public ModelTable modelTable() {
        return modelTable;
    }

    @Override
    public String toString() {
        return "Dialect[" + name + "]";
    }

    /** Builds a {@link Dialect}; not thread-safe. Every setting starts at OpenAI's. */
    public static final class Builder {
        private final String name;
        private String defaultModel;
        private String maxTokensField = "max_completion_tokens";
        private boolean streamUsage = true;
        private boolean echoReasoning;
        private boolean toolMessageName = true;
        private ToolCallIds toolCallIds = ToolCallIds.ANY;
        private boolean completionIncludesReasoning = true;
        private String apiKeyHeader = "Authorization";
        private String apiKeyPrefix = "Bearer ";
        private String requestIdHeader = "x-request-id";
        private Capabilities capabilities = STANDARD_CAPABILITIES;
        private String builtinToolType;
        private String imageFilePrefix;
        private Pattern toolNamePattern;
        private int maxTools;
        private Predicate<String> samplingRefusedBy = m -> false;
        private ErrorRules errorRules = OPENAI_ERRORS;
        private Class<? extends ProviderOptions> optionsType;
        private RequestExtras extras = RequestExtras.NONE;
        private EmbeddingRules embeddings = EmbeddingRules.UNLIMITED;
        private String chatRefusal;
        private boolean openAiModels;
        private String modelsPath = "models";
        private ModelTable modelTable = ModelTable.EMPTY;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a dialect needs a name");
            }
            this.name = name;
        }

        /**
         * @param model the model used when neither the provider nor the request names one, or null
         * @return this builder
         */
        public Builder defaultModel(String model) {
            this.defaultModel = model;
            return this;
        }

        /**
         * @param field {@code max_completion_tokens} (OpenAI) or {@code max_tokens}
         * @return this builder
         */
        public Builder maxTokensField(String field) {
            this.maxTokensField = Objects.requireNonNull(field, "field");
            return this;
        }

        /**
         * @param ask whether a stream asks for usage with {@code stream_options.include_usage}
         * @return this builder
         */
        public Builder streamUsage(boolean ask) {
            this.streamUsage = ask;
            return this;
        }

        /**
         * @param echo whether assistant messages in the history carry their {@code reasoning_content}
         *             (always on tool-call turns, even empty, as thinking models require)
         * @return this builder
         */
        public Builder echoReasoning(boolean echo) {
            this.echoReasoning = echo;
            return this;
        }

        /**
         * @param send whether tool messages carry the tool's {@code name}
         * @return this builder
         */
        public Builder toolMessageName(boolean send) {
            this.toolMessageName = send;
            return this;
        }

        /**
         * @param rule the server's rule for tool-call ids (default: any id goes)
         * @return this builder
         */
        public Builder toolCallIds(ToolCallIds rule) {
            this.toolCallIds = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /**
         * @param includes whether {@code completion_tokens} include the reasoning tokens (default true)
         * @return this builder
         */
        public Builder completionIncludesReasoning(boolean includes) {
            this.completionIncludesReasoning = includes;
            return this;
        }

        /**
         * @param header the header that carries the key, such as {@code api-key}
         * @param prefix what comes before the key, such as {@code "Bearer "}, or empty
         * @return this builder
         */
        public Builder apiKeyHeader(String header, String prefix) {
            this.apiKeyHeader = Objects.requireNonNull(header, "header");
            this.apiKeyPrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * @param header the response header with the request id
         * @return this builder
         */
        public Builder requestIdHeader(String header) {
            this.requestIdHeader = Objects.requireNonNull(header, "header");
            return this;
        }

        /**
         * @param capabilities what the server can do
         * @return this builder
         */
        public Builder capabilities(Capabilities capabilities) {
            this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
            return this;
        }

        /**
         * @param type the tool type builtin tools are sent with, or null when the server has none
         * @return this builder
         */
        public Builder builtinToolType(String type) {
            this.builtinToolType = type;
            return this;
        }

        /**
         * @param prefix the URL prefix image file ids are sent with, or null
         * @return this builder
         */
        public Builder imageFilePrefix(String prefix) {
            this.imageFilePrefix = prefix;
            return this;
        }

        /**
         * @param pattern the rule a function name must match, or null
         * @param maxTools the most tools per request, or 0 for no limit
         * @return this builder
         */
        public Builder toolRules(Pattern pattern, int maxTools) {
            this.toolNamePattern = pattern;
            this.maxTools = maxTools;
            return this;
        }

        /**
         * @param models which models refuse temperature and top_p other than the default
         * @return this builder
         */
        public Builder samplingRefusedBy(Predicate<String> models) {
            this.samplingRefusedBy = Objects.requireNonNull(models, "models");
            return this;
        }

        /**
         * @param rules the server's own reading of its errors
         * @return this builder
         */
        public Builder errorRules(ErrorRules rules) {
            this.errorRules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * @param type the options a request may carry for this server, read by its {@link RequestExtras}
         * @param extras the fields its requests add
         * @return this builder
         */
        public Builder extras(Class<? extends ProviderOptions> type, RequestExtras extras) {
            this.optionsType = type;
            this.extras = Objects.requireNonNull(extras, "extras");
            return this;
        }

        /**
         * @param rules what the server does with embeddings (default: OpenAI's fields, base64, no limits), or
         *              {@link EmbeddingRules#none} naming the alternative
         * @return this builder
         */
        public Builder embeddings(EmbeddingRules rules) {
            this.embeddings = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /**
         * @param refusal why the server cannot chat and what to use instead, or null (the default) when it can
         * @return this builder
         */
        public Builder chatRefusal(String refusal) {
            this.chatRefusal = refusal;
            return this;
        }

        /**
         * @param openAi whether the server runs OpenAI's models by their names, so tiktoken counts their tokens
         *               (default false)
         * @return this builder
         */
        public Builder openAiModels(boolean openAi) {
            this.openAiModels = openAi;
            return this;
        }

        /**
         * @param path the path of the model list below the base URL (default {@code models}), or null for none
         * @return this builder
         */
        public Builder modelsPath(String path) {
            this.modelsPath = path;
            return this;
        }

        /**
         * @param table the dated context windows of models the server does not describe (default empty)
         * @return this builder
         */
        public Builder modelTable(ModelTable table) {
            this.modelTable = Objects.requireNonNull(table, "table");
            return this;
        }

        /** @return the dialect */
        public Dialect build() {
            return new Dialect(this);
        }
    }
}
