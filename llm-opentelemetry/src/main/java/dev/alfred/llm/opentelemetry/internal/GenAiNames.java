package dev.alfred.llm.opentelemetry.internal;

import io.opentelemetry.api.common.AttributeKey;

import java.util.List;
import java.util.Locale;

/**
 * The names the OpenTelemetry GenAI semantic conventions give, in one place, each with its source.
 *
 * <p>Sources:
 * <ul>
 *   <li>v1.41: {@code open-telemetry/semantic-conventions} release v1.41.0, {@code docs/gen-ai/gen-ai-spans.md},
 *       {@code docs/gen-ai/gen-ai-metrics.md} and {@code docs/registry/attributes/gen-ai.md} (the last release
 *       that holds GenAI);</li>
 *   <li>latest: {@code open-telemetry/semantic-conventions-genai}, {@code docs/gen-ai/client-inference.md}
 *       (span {@code gen_ai.client.inference}, metrics {@code gen_ai.client.inference.*}) and
 *       {@code docs/gen-ai/non-normative/migration.md}, emitted when {@code OTEL_SEMCONV_STABILITY_OPT_IN}
 *       holds {@code gen_ai_latest_experimental}, as v1.41's {@code gen-ai-metrics.md} tells instrumentations
 *       to do ("emit the latest experimental version ... and do not emit the old one").</li>
 * </ul>
 */
public final class GenAiNames {

    private GenAiNames() {
    }

    // Span attributes, both generations (gen-ai-spans.md v1.41; client-inference.md).
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    /** The vector length asked for (or, when none was asked, received) by an embeddings call. */
    public static final AttributeKey<Long> EMBEDDINGS_DIMENSION_COUNT = AttributeKey.longKey("gen_ai.embeddings.dimension.count");
    /** The wire encodings an embeddings call asked for, such as {@code ["base64"]}. */
    public static final AttributeKey<List<String>> REQUEST_ENCODING_FORMATS =
            AttributeKey.stringArrayKey("gen_ai.request.encoding_formats");
    public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
    public static final AttributeKey<Double> REQUEST_TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
    public static final AttributeKey<Double> REQUEST_TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
    public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    public static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES =
            AttributeKey.stringArrayKey("gen_ai.request.stop_sequences");
    public static final AttributeKey<String> OUTPUT_TYPE = AttributeKey.stringKey("gen_ai.output.type");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
    public static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    public static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK =
            AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
    public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    public static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS =
            AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    /** v1.41 (registry/attributes/gen-ai.md); renamed {@link #USAGE_CACHE_WRITE_INPUT_TOKENS} in the newer repository. */
    public static final AttributeKey<Long> USAGE_CACHE_CREATION_INPUT_TOKENS =
            AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
    /** Latest (client-inference.md). */
    public static final AttributeKey<Long> USAGE_CACHE_WRITE_INPUT_TOKENS =
            AttributeKey.longKey("gen_ai.usage.cache_write.input_tokens");
    public static final AttributeKey<Long> USAGE_REASONING_OUTPUT_TOKENS =
            AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
    /** Opt-in content (gen-ai-spans.md, "Opt-In"): JSON after gen-ai-input-messages.json. */
    public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");
    public static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
    /** Opt-in content (gen-ai-spans.md v1.41, inference and invoke_agent spans): JSON after gen-ai-tool-definitions.json. */
    public static final AttributeKey<String> TOOL_DEFINITIONS = AttributeKey.stringKey("gen_ai.tool.definitions");
    // Tool execution span (gen-ai-spans.md v1.41, "Execute tool span").
    public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    public static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    /** Recommended: {@code function} for a tool the client runs (registry/attributes/gen-ai.md v1.41, note 15). */
    public static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
    /** Opt-in content: the arguments, as the JSON string the model sent (recorded on spans as a JSON string). */
    public static final AttributeKey<String> TOOL_CALL_ARGUMENTS = AttributeKey.stringKey("gen_ai.tool.call.arguments");
    /** Opt-in content: what the tool returned, when it succeeded. */
    public static final AttributeKey<String> TOOL_CALL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");
    /** The value of {@link #TOOL_TYPE} for a tool a tool loop runs in this process. */
    public static final String TOOL_TYPE_FUNCTION = "function";
    // Invoke agent internal span (gen-ai-agent-spans.md v1.41): a tool loop run.
    public static final String INVOKE_AGENT = "invoke_agent";
    public static final String EXECUTE_TOOL = "execute_tool";
    public static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    // Exceptions (gen-ai-exceptions.md v1.41: a log record, not the deprecated span event of exceptions-spans.md).
    public static final String EXCEPTION_EVENT = "gen_ai.client.operation.exception";
    public static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
    public static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
    public static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
    // Metric attribute, latest (gen-ai-token-metrics.md): the usage counters' modality.
    public static final AttributeKey<String> TOKEN_MODALITY = AttributeKey.stringKey("gen_ai.token.modality");
    public static final String MODALITY_TEXT = "text";
    public static final String MODALITY_UNKNOWN = "unknown";
    /**
     * The finish reason of a generation that ended abnormally, latest (client-inference.md, note 18 on
     * {@code gen_ai.response.finish_reasons}: failed, cancelled, or a stream that ended before its final event).
     */
    public static final String FINISH_ERROR = "error";
    /** The schema of the v1.41 names (semantic-conventions schemas/1.41.0). */
    public static final String SCHEMA_URL_V1_41 = "https://opentelemetry.io/schemas/1.41.0";
    /**
     * The schema of the latest names: semantic-conventions-genai publishes none of its own, and its documents
     * build on the core conventions v1.44.0 (error.type, server.*), whose schema this is.
     */
    public static final String SCHEMA_URL_LATEST = "https://opentelemetry.io/schemas/1.44.0";
    // General attributes (stable registry: server.md, error.md).
    public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    // Metric attribute (gen-ai-metrics.md v1.41, gen_ai.client.token.usage).
    public static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    // Our own names, outside the conventions: the retry span event and its attributes.
    public static final String RETRY_EVENT = "retry";
    public static final AttributeKey<Long> RETRY_ATTEMPT = AttributeKey.longKey("retry.attempt");
    public static final AttributeKey<Double> RETRY_DELAY = AttributeKey.doubleKey("retry.delay");
    /**
     * {@code error.type} of a stream its caller let go of, neither read to its end nor closed (a
     * low-cardinality identifier of our own). A stream the caller closed is no error: no {@code error.type}.
     */
    public static final String ABANDONED = "abandoned";

    // Metrics, v1.41 (gen-ai-metrics.md v1.41.0).
    public static final String V1_OPERATION_DURATION = "gen_ai.client.operation.duration";
    public static final String V1_TOKEN_USAGE = "gen_ai.client.token.usage";
    public static final String V1_TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
    public static final String V1_TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";
    // Metrics, latest (client-inference.md; migration.md maps gen_ai.client.token.usage to the counters and
    // the operation histograms below).
    public static final String LATEST_DURATION = "gen_ai.client.inference.duration";
    public static final String LATEST_TIME_TO_FIRST_CHUNK = "gen_ai.client.inference.time_to_first_chunk";
    public static final String LATEST_TIME_PER_OUTPUT_CHUNK = "gen_ai.client.inference.time_per_output_chunk";
    public static final String LATEST_USAGE_INPUT = "gen_ai.client.inference.usage.input_tokens";
    public static final String LATEST_USAGE_OUTPUT = "gen_ai.client.inference.usage.output_tokens";
    public static final String LATEST_USAGE_CACHE_READ = "gen_ai.client.inference.usage.cache_read.input_tokens";
    public static final String LATEST_USAGE_CACHE_WRITE = "gen_ai.client.inference.usage.cache_write.input_tokens";
    public static final String LATEST_USAGE_REASONING = "gen_ai.client.inference.usage.reasoning.output_tokens";
    public static final String LATEST_OPERATION_INPUT = "gen_ai.client.inference.operation.input_tokens";
    public static final String LATEST_OPERATION_OUTPUT = "gen_ai.client.inference.operation.output_tokens";
    /** Latest (gen_ai.execute_tool.duration): how long a tool ran. */
    public static final String LATEST_EXECUTE_TOOL_DURATION = "gen_ai.execute_tool.duration";

    /** Bucket advice for durations in seconds (gen-ai-metrics.md v1.41, every client duration histogram). */
    public static final List<Double> DURATION_BUCKETS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);
    /** Bucket advice for token counts (gen-ai-metrics.md v1.41, gen_ai.client.token.usage). */
    public static final List<Long> TOKEN_BUCKETS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L,
            262144L, 1048576L, 4194304L, 16777216L, 67108864L);

    /**
     * The {@code gen_ai.provider.name} of a call: the conventions' well-known value for its server where
     * one applies, which the conventions say MUST be used (gen-ai-spans.md v1.41; {@code moonshot_ai} is
     * listed in the newer repository's registry), else the id itself. The server is the provider's
     * dialect when it has one (an OpenAI-compatible provider talking to Groq), else its id.
     *
     * @param providerId the provider's id
     * @param dialect    the provider's dialect, or null
     * @return the name
     */
    public static String providerName(String providerId, String dialect) {
        String server = dialect != null && !dialect.isBlank() ? dialect : providerId;
        switch (server.toLowerCase(Locale.ROOT)) {
            case "kimi":
            case "moonshot":
                return "moonshot_ai";
            case "mistral":
                return "mistral_ai";
            case "azure":
                return "azure.ai.openai";
            case "xai":
            case "grok":
                return "x_ai";
            case "gemini":
                return "gcp.gemini";
            default:
                return server;
        }
    }

    /**
     * Whether the provider takes system instructions apart from the conversation (Anthropic's top-level
     * {@code system}): only then are they {@code gen_ai.system_instructions}; elsewhere they are part of the
     * history, and stay in {@code gen_ai.input.messages} where they were sent.
     *
     * @param providerName the {@code gen_ai.provider.name}
     * @return true for a provider with top-level system instructions
     */
    public static boolean systemApart(String providerName) {
        return providerName.equals("anthropic");
    }
}
