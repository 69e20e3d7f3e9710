package dev.alfred.llm;

/**
 * Tokens a call used, as the provider counted them.
 *
 * @param promptTokens     tokens in the prompt, cached ones included
 * @param completionTokens tokens generated, reasoning included
 * @param totalTokens      prompt plus completion
 * @param cachedTokens     prompt tokens served from the provider's cache
 * @param reasoningTokens  generated tokens spent on reasoning
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, long cachedTokens,
                    long reasoningTokens) {

    /**
     * Validates the counts.
     *
     * @param promptTokens tokens in the prompt, cached ones included
     * @param completionTokens tokens generated, reasoning included
     * @param totalTokens prompt plus completion
     * @param cachedTokens prompt tokens served from the provider's cache
     * @param reasoningTokens generated tokens spent on reasoning
     * @throws IllegalArgumentException if a count is negative, naming it
     */
    public Usage {
        requireNonNegative("promptTokens", promptTokens);
        requireNonNegative("completionTokens", completionTokens);
        requireNonNegative("totalTokens", totalTokens);
        requireNonNegative("cachedTokens", cachedTokens);
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
        return new Usage(promptTokens, completionTokens, totalTokens, 0, 0);
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
