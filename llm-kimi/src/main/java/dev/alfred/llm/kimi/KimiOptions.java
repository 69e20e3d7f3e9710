package dev.alfred.llm.kimi;

import dev.alfred.llm.ProviderOptions;

/**
 * Settings only Kimi understands, carried on a request with
 * {@code ChatRequest.builder().options(KimiOptions.thinking(false))}; other providers ignore them with
 * a warning. Immutable.
 *
 * <ul>
 *   <li>{@code thinking}: Kimi's {@code thinking.type}, {@code enabled} or {@code disabled}; null leaves
 *       the model's default. K2.5/K2.6 may disable it; K2.7 Code rejects {@code disabled}; K3 always
 *       thinks (kimi-api.md §2).</li>
 *   <li>{@code partial}: partial mode — the last message, the assistant's, is a prefix the model
 *       continues. The answer does not repeat the prefix; prepend it yourself.</li>
 * </ul>
 *
 * @param thinking whether the model thinks, or null for its default
 * @param partial  whether the last (assistant) message is a prefix to continue
 */
public record KimiOptions(Boolean thinking, boolean partial) implements ProviderOptions {

    /** No Kimi-specific settings. */
    public static final KimiOptions DEFAULT = new KimiOptions(null, false);

    /**
     * Options that switch thinking on or off.
     *
     * @param enabled whether the model thinks
     * @return the options
     */
    public static KimiOptions thinking(boolean enabled) {
        return new KimiOptions(enabled, false);
    }

    /**
     * Options for partial mode: the model continues the last (assistant) message.
     *
     * @return the options
     */
    public static KimiOptions partialMode() {
        return new KimiOptions(null, true);
    }

    /**
     * These options with partial mode set or cleared.
     *
     * @param partial whether the last message is a prefix to continue
     * @return the options
     */
    public KimiOptions withPartial(boolean partial) {
        return new KimiOptions(thinking, partial);
    }

    /**
     * These options with thinking set, or cleared with null.
     *
     * @param thinking whether the model thinks
     * @return the options
     */
    public KimiOptions withThinking(Boolean thinking) {
        return new KimiOptions(thinking, partial);
    }

    @Override
    public String providerId() {
        return KimiProvider.ID;
    }
}
