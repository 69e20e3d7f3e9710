package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.Usage;

/**
 * Anthropic's usage counts, merged field by field: {@code message_delta}'s counts are cumulative and
 * replace, never add to, {@code message_start}'s (anthropic-api.md §3, rule 3). A field is -1 until
 * some event carried it. Not thread-safe.
 */
public final class UsageFields {
    long input = -1;
    long output = -1;
    long cacheCreation = -1;
    long cacheRead = -1;

    void clear() {
        input = -1;
        output = -1;
        cacheCreation = -1;
        cacheRead = -1;
    }

    /**
     * Overwrites the fields the other carried.
     *
     * @param other an event's counts
     */
    public void merge(UsageFields other) {
        if (other.input >= 0) {
            input = other.input;
        }
        if (other.output >= 0) {
            output = other.output;
        }
        if (other.cacheCreation >= 0) {
            cacheCreation = other.cacheCreation;
        }
        if (other.cacheRead >= 0) {
            cacheRead = other.cacheRead;
        }
    }

    /**
     * The port's usage: the prompt is input plus cache writes plus cache reads (Anthropic's
     * {@code input_tokens} leaves the cached ones out), the completion is the output.
     *
     * @return the usage, or null when no count came
     */
    public Usage toUsage() {
        if (input < 0 && output < 0 && cacheCreation < 0 && cacheRead < 0) {
            return null;
        }
        long write = Math.max(0, cacheCreation);
        long read = Math.max(0, cacheRead);
        long prompt = saturatedSum(saturatedSum(Math.max(0, input), write), read);
        long completion = Math.max(0, output);
        return new Usage(prompt, completion, saturatedSum(prompt, completion), read, write, 0);
    }

    private static long saturatedSum(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
