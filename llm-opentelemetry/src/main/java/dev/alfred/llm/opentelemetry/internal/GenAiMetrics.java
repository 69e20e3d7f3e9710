package dev.alfred.llm.opentelemetry.internal;

import dev.alfred.llm.Usage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;

import static dev.alfred.llm.opentelemetry.internal.GenAiNames.DURATION_BUCKETS;
import static dev.alfred.llm.opentelemetry.internal.GenAiNames.TOKEN_BUCKETS;
import static dev.alfred.llm.opentelemetry.internal.GenAiNames.ERROR_TYPE;
import static dev.alfred.llm.opentelemetry.internal.GenAiNames.MODALITY_TEXT;
import static dev.alfred.llm.opentelemetry.internal.GenAiNames.MODALITY_UNKNOWN;
import static dev.alfred.llm.opentelemetry.internal.GenAiNames.TOKEN_MODALITY;
import static dev.alfred.llm.opentelemetry.internal.GenAiNames.TOKEN_TYPE;

/**
 * The client metrics of one naming generation, built once per meter: operation duration, token usage,
 * time to first chunk and time per output chunk, under the v1.41 names or the latest ones
 * ({@link GenAiNames}). Thread-safe.
 */
public final class GenAiMetrics {

    private final boolean latest;
    private final DoubleHistogram duration;
    private final DoubleHistogram timeToFirstChunk;
    private final DoubleHistogram timePerOutputChunk;
    private final DoubleHistogram toolDuration;
    // v1.41
    private final LongHistogram tokenUsage;
    // latest
    private final LongCounter usageInput;
    private final LongCounter usageOutput;
    private final LongCounter usageCacheRead;
    private final LongCounter usageCacheWrite;
    private final LongCounter usageReasoning;
    private final LongHistogram operationInput;
    private final LongHistogram operationOutput;

    /**
     * Builds the instruments.
     *
     * @param meter  the meter
     * @param latest true for the latest names, false for v1.41's
     */
    public GenAiMetrics(Meter meter, boolean latest) {
        this.latest = latest;
        this.duration = seconds(meter, latest ? GenAiNames.LATEST_DURATION : GenAiNames.V1_OPERATION_DURATION,
                "GenAI operation duration.");
        this.timeToFirstChunk = seconds(meter,
                latest ? GenAiNames.LATEST_TIME_TO_FIRST_CHUNK : GenAiNames.V1_TIME_TO_FIRST_CHUNK,
                "Time to receive the first chunk of a streamed response.");
        this.timePerOutputChunk = seconds(meter,
                latest ? GenAiNames.LATEST_TIME_PER_OUTPUT_CHUNK : GenAiNames.V1_TIME_PER_OUTPUT_CHUNK,
                "Time per output chunk, recorded for each chunk received after the first one.");
        this.toolDuration = latest ? seconds(meter, GenAiNames.LATEST_EXECUTE_TOOL_DURATION, "Tool execution duration.")
                : null;
        if (latest) {
            this.tokenUsage = null;
            this.usageInput = tokens(meter, GenAiNames.LATEST_USAGE_INPUT, "Input token usage.");
            this.usageOutput = tokens(meter, GenAiNames.LATEST_USAGE_OUTPUT, "Output token usage.");
            this.usageCacheRead = tokens(meter, GenAiNames.LATEST_USAGE_CACHE_READ, "Input tokens read from cache.");
            this.usageCacheWrite = tokens(meter, GenAiNames.LATEST_USAGE_CACHE_WRITE, "Input tokens written to cache.");
            this.usageReasoning = tokens(meter, GenAiNames.LATEST_USAGE_REASONING, "Output tokens spent on reasoning.");
            this.operationInput = tokenHistogram(meter, GenAiNames.LATEST_OPERATION_INPUT, "Input tokens per operation.");
            this.operationOutput = tokenHistogram(meter, GenAiNames.LATEST_OPERATION_OUTPUT, "Output tokens per operation.");
        } else {
            this.tokenUsage = tokenHistogram(meter, GenAiNames.V1_TOKEN_USAGE, "Number of input and output tokens used.");
            this.usageInput = null;
            this.usageOutput = null;
            this.usageCacheRead = null;
            this.usageCacheWrite = null;
            this.usageReasoning = null;
            this.operationInput = null;
            this.operationOutput = null;
        }
    }

    private static DoubleHistogram seconds(Meter meter, String name, String description) {
        return meter.histogramBuilder(name).setUnit("s").setDescription(description)
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    }

    private static LongCounter tokens(Meter meter, String name, String description) {
        return meter.counterBuilder(name).setUnit("{token}").setDescription(description).build();
    }

    private static LongHistogram tokenHistogram(Meter meter, String name, String description) {
        return meter.histogramBuilder(name).setUnit("{token}").setDescription(description).ofLongs()
                .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS).build();
    }

    /**
     * Whether these are the latest names.
     *
     * @return true for the latest, false for v1.41
     */
    public boolean latest() {
        return latest;
    }

    /**
     * Records a call's duration.
     *
     * @param seconds    the duration
     * @param attributes the call's attributes, {@code error.type} included on failure
     */
    public void duration(double seconds, Attributes attributes) {
        duration.record(seconds, attributes);
    }

    /**
     * Records a stream's time to first chunk.
     *
     * @param seconds    the time
     * @param attributes the call's attributes
     */
    public void timeToFirstChunk(double seconds, Attributes attributes) {
        timeToFirstChunk.record(seconds, attributes);
    }

    /**
     * Records the time from the previous chunk of a stream to this one (each chunk after the first).
     *
     * @param seconds    the time
     * @param attributes the call's attributes as known at its start
     */
    public void timePerOutputChunk(double seconds, Attributes attributes) {
        timePerOutputChunk.record(seconds, attributes);
    }

    /**
     * Records a tool's run time (latest names only; v1.41 has no tool metric).
     *
     * @param seconds    the time
     * @param attributes the tool's attributes
     */
    public void toolDuration(double seconds, Attributes attributes) {
        if (toolDuration != null) {
            toolDuration.record(seconds, attributes);
        }
    }

    /**
     * Records a call's tokens. v1.41: {@code gen_ai.client.token.usage} by token type, when the call reported
     * usage. Latest (gen-ai-token-metrics.md): for every call, failed ones included, the five usage counters
     * by {@code gen_ai.token.modality} (the input's as given, the output's {@code text}; the cache and
     * reasoning breakdowns only when reported) and the two
     * per-operation histograms with {@code error.type} on failure; a call without usage records 0 with the
     * modality {@code unknown}.
     *
     * @param usage          the usage, or null when the call reported none
     * @param inputModality  the input tokens' modality
     * @param attributes     the call's attributes, without {@code error.type}
     * @param errorType      the call's {@code error.type}, or null when it did not fail
     */
    public void usage(Usage usage, String inputModality, Attributes attributes, String errorType) {
        if (!latest) {
            if (usage != null) {
                tokenUsage.record(usage.promptTokens(), attributes.toBuilder().put(TOKEN_TYPE, "input").build());
                tokenUsage.record(usage.completionTokens(), attributes.toBuilder().put(TOKEN_TYPE, "output").build());
            }
            return;
        }
        Usage u = usage == null ? Usage.ZERO : usage;
        Attributes input = attributes.toBuilder()
                .put(TOKEN_MODALITY, usage == null ? MODALITY_UNKNOWN : inputModality).build();
        Attributes output = attributes.toBuilder()
                .put(TOKEN_MODALITY, usage == null ? MODALITY_UNKNOWN : MODALITY_TEXT).build();
        usageInput.add(u.promptTokens(), input);
        usageOutput.add(u.completionTokens(), output);
        if (u.cachedTokens() > 0) { // the breakdowns only when the provider reported them
            usageCacheRead.add(u.cachedTokens(), input);
        }
        if (u.cacheWriteTokens() > 0) {
            usageCacheWrite.add(u.cacheWriteTokens(), input);
        }
        if (u.reasoningTokens() > 0) {
            usageReasoning.add(u.reasoningTokens(), output);
        }
        Attributes perOperation = errorType == null ? attributes
                : attributes.toBuilder().put(ERROR_TYPE, errorType).build();
        operationInput.record(u.promptTokens(), perOperation);
        operationOutput.record(u.completionTokens(), perOperation);
    }

    /**
     * Records the input tokens of an operation that has no output tokens (embeddings): under the v1.36 names
     * one {@code gen_ai.client.token.usage} point of type {@code input}; under the latest names the input
     * usage and the per-operation input histogram.
     *
     * @param inputTokens the tokens, or -1 when the server did not say (nothing is recorded)
     * @param attributes  the call's attributes
     * @param errorType   the error type, or null
     */
    public void inputUsage(long inputTokens, Attributes attributes, String errorType) {
        if (inputTokens < 0) {
            return;
        }
        if (!latest) {
            tokenUsage.record(inputTokens, attributes.toBuilder().put(TOKEN_TYPE, "input").build());
            return;
        }
        usageInput.add(inputTokens, attributes.toBuilder().put(TOKEN_MODALITY, MODALITY_TEXT).build());
        operationInput.record(inputTokens, errorType == null ? attributes
                : attributes.toBuilder().put(ERROR_TYPE, errorType).build());
    }
}
