package dev.alfred.llm.opentelemetry;

import java.util.Map;

/**
 * Which generation of the OpenTelemetry GenAI metric names to emit. The conventions renamed their client
 * metrics in late 2026; instrumentations keep the old names by default and switch when the user opts in,
 * as the v1.41 conventions ask ({@code docs/gen-ai/gen-ai-metrics.md}).
 */
public enum GenAiConventions {

    /**
     * The v1.41.0 names ({@code gen_ai.client.operation.duration}, {@code gen_ai.client.token.usage},
     * {@code gen_ai.client.operation.time_to_first_chunk}, {@code …time_per_output_chunk}) and
     * {@code gen_ai.usage.cache_creation.input_tokens}: the default.
     */
    V1_41,

    /**
     * The newer names of {@code open-telemetry/semantic-conventions-genai} ({@code gen_ai.client.inference.*},
     * usage counters instead of {@code gen_ai.client.token.usage}, {@code gen_ai.execute_tool.duration})
     * and {@code gen_ai.usage.cache_write.input_tokens}: when {@code OTEL_SEMCONV_STABILITY_OPT_IN} holds
     * {@code gen_ai_latest_experimental}.
     */
    LATEST_EXPERIMENTAL;

    /** The environment variable that opts in to the newer names. */
    public static final String OPT_IN_VARIABLE = "OTEL_SEMCONV_STABILITY_OPT_IN";
    /** The system property that does the same, after OpenTelemetry's naming of properties. */
    public static final String OPT_IN_PROPERTY = "otel.semconv-stability.opt-in";
    /** The value in the comma-separated opt-in list that selects {@link #LATEST_EXPERIMENTAL}. */
    public static final String OPT_IN_VALUE = "gen_ai_latest_experimental";

    /**
     * The generation a set of settings selects: {@link #LATEST_EXPERIMENTAL} when the opt-in list (the
     * environment variable, else the system property) holds {@code gen_ai_latest_experimental}.
     *
     * @param settings the environment variables and system properties, by name
     * @return the generation
     */
    public static GenAiConventions from(Map<String, String> settings) {
        String list = settings.get(OPT_IN_VARIABLE);
        if (list == null) {
            list = settings.get(OPT_IN_PROPERTY);
        }
        if (list != null) {
            for (String value : list.split(",")) {
                if (value.trim().equals(OPT_IN_VALUE)) {
                    return LATEST_EXPERIMENTAL;
                }
            }
        }
        return V1_41;
    }
}
