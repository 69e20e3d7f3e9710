package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.FinishReason;

/** Maps Anthropic's {@code stop_reason} (anthropic-api.md §4) to {@link FinishReason}. */
public final class StopReasons {

    private StopReasons() {
    }

    /**
     * Maps a wire value.
     *
     * @param wire the value, or null
     * @return the reason: {@code end_turn} and {@code stop_sequence} STOP, {@code max_tokens} and
     *         {@code model_context_window_exceeded} LENGTH, {@code tool_use} TOOL_CALLS, {@code refusal}
     *         REFUSAL, others ({@code pause_turn}) OTHER; null when wire is null
     */
    public static FinishReason of(String wire) {
        if (wire == null) {
            return null;
        }
        switch (wire) {
            case "end_turn":
            case "stop_sequence":
                return FinishReason.STOP;
            case "max_tokens":
            case "model_context_window_exceeded":
                return FinishReason.LENGTH;
            case "tool_use":
                return FinishReason.TOOL_CALLS;
            case "refusal":
                return FinishReason.REFUSAL;
            default:
                return FinishReason.OTHER;
        }
    }
}
