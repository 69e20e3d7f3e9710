package dev.alfred.llm.anthropic;

import dev.alfred.llm.ProviderOptions;

/**
 * Settings only the Anthropic provider understands, carried on a request with
 * {@code ChatRequest.builder().options(AnthropicOptions.thinking(8000))}; other providers ignore them
 * with a warning. Immutable.
 *
 * <ul>
 *   <li>{@code thinking}: {@code enabled} with a token budget (at least 1024; Sonnet 4.5 and older),
 *       {@code adaptive} (Opus 4.6, Sonnet 4.6 and later; the only mode of Opus 4.7 and Claude 5), or
 *       {@code disabled}; null leaves the model's default. Under {@code enabled}, a forced tool choice
 *       ({@code REQUIRED} or a named tool) is refused before sending, as the API refuses it.</li>
 *   <li>{@code effort}: {@code output_config.effort} ({@code low}, {@code medium}, {@code high},
 *       {@code xhigh}, {@code max}), or null.</li>
 * </ul>
 *
 * @param thinking       {@code enabled}, {@code adaptive}, {@code disabled}, or null for the model's default
 * @param budgetTokens   the thinking budget with {@code enabled}, else 0
 * @param effort         the effort, or null
 */
public record AnthropicOptions(String thinking, int budgetTokens, String effort) implements ProviderOptions {

    /** No Anthropic-specific settings. */
    public static final AnthropicOptions DEFAULT = new AnthropicOptions(null, 0, null);

    /**
     * Validates the options.
     *
     * @param thinking the mode, or null
     * @param budgetTokens the budget
     * @param effort the effort, or null
     * @throws IllegalArgumentException for an unknown mode, or a budget below 1024 with {@code enabled}
     */
    public AnthropicOptions {
        if (thinking != null && !thinking.equals("enabled") && !thinking.equals("adaptive") && !thinking.equals("disabled")) {
            throw new IllegalArgumentException("thinking must be enabled, adaptive or disabled, was " + thinking);
        }
        if ("enabled".equals(thinking) && budgetTokens < 1024) {
            throw new IllegalArgumentException("a thinking budget must be at least 1024 tokens, was " + budgetTokens);
        }
        if (!"enabled".equals(thinking) && budgetTokens != 0) {
            throw new IllegalArgumentException("a thinking budget needs thinking enabled");
        }
    }

    /**
     * Manual thinking with a budget.
     *
     * @param budgetTokens at least 1024
     * @return the options
     */
    public static AnthropicOptions thinking(int budgetTokens) {
        return new AnthropicOptions("enabled", budgetTokens, null);
    }

    /**
     * Adaptive thinking, with an effort or none.
     *
     * @param effort {@code low} to {@code max}, or null
     * @return the options
     */
    public static AnthropicOptions adaptiveThinking(String effort) {
        return new AnthropicOptions("adaptive", 0, effort);
    }

    /**
     * No thinking.
     *
     * @return the options
     */
    public static AnthropicOptions noThinking() {
        return new AnthropicOptions("disabled", 0, null);
    }

    @Override
    public String providerId() {
        return AnthropicProvider.ID;
    }
}
