package dev.alfred.llm;

/**
 * Tokens a call used, as the provider counted them.
 *
 * @param promptTokens     tokens in the prompt, cached ones included
 * @param completionTokens tokens generated, reasoning included
 * @param totalTokens      prompt plus completion
 * @param cachedTokens     prompt tokens read from the provider's cache
 * @param cacheWriteTokens prompt tokens written to the provider's cache (Anthropic); 0 where not reported
 * @param reasoningTokens  generated tokens spent on reasoning
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens,
                    long cacheWriteTokens, long reasoningTokens) {

    /** No tokens. */
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0);

    /**
     * Validates the counts.
     *
     * @param promptTokens tokens in the prompt
     * @param completionTokens tokens generated
     * @param totalTokens prompt plus completion
     * @param cachedTokens prompt tokens read from cache
     * @param cacheWriteTokens prompt tokens written to cache
     * @param reasoningTokens generated tokens spent on reasoning
     * @throws IllegalArgumentException if a count is negative, naming it
     */
    public Usage {
        requireNonNegative("promptTokens", promptTokens);
        requireNonNegative("completionTokens", completionTokens);
        requireNonNegative("totalTokens", totalTokens);
        requireNonNegative("cachedTokens", cachedTokens);
        requireNonNegative("cacheWriteTokens", cacheWriteTokens);
        requireNonNegative("reasoningTokens", reasoningTokens);
    }

    /**
     * Usage with only the three basic counts.
     *
     * @param promptTokens     tokens in the prompt
     * @param completionTokens tokens generated
     * @param totalTokens      prompt plus completion
     * @return the usage
     * @throws IllegalArgumentException if a count is negative
     */
    public static Usage of(long promptTokens, long completionTokens, long totalTokens) {
        return new Usage(promptTokens, completionTokens, totalTokens, 0, 0, 0);
    }

    /**
     * The sum of two usages, for the total of several calls; each count saturates at {@code Long.MAX_VALUE}.
     *
     * @param other the usage to add, or null for none
     * @return the sum
     */
    public Usage plus(Usage other) {
        if (other == null) {
            return this;
        }
        return new Usage(add(promptTokens, other.promptTokens), add(completionTokens, other.completionTokens),
                add(totalTokens, other.totalTokens), add(cachedTokens, other.cachedTokens),
                add(cacheWriteTokens, other.cacheWriteTokens), add(reasoningTokens, other.reasoningTokens));
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
