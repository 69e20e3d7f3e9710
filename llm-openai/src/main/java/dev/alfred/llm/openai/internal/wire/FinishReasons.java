package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.FinishReason;

/** Maps the wire's {@code finish_reason} strings to {@link FinishReason}. */
public final class FinishReasons {

    private FinishReasons() {
    }

    /**
     * Maps a wire value.
     *
     * @param wire the value, or null
     * @return the reason, {@link FinishReason#OTHER} for unknown values, or null when wire is null
     */
    public static FinishReason of(String wire) {
        if (wire == null) {
            return null;
        }
        switch (wire) {
            case "stop": return FinishReason.STOP;
            case "length": return FinishReason.LENGTH;
            case "tool_calls": case "function_call": return FinishReason.TOOL_CALLS;
            case "content_filter": return FinishReason.CONTENT_FILTER;
            default: return FinishReason.OTHER;
        }
    }
}
