package dev.alfred.llm;

/**
 * One increment of a streamed answer: a piece of text or a piece of the model's reasoning.
 *
 * <p>Kinds may be added in later versions (tool-call fragments, for one); a consumer should ignore
 * kinds it does not know, so a {@code switch} over {@link Kind} should keep a default branch.
 *
 * @param kind what the text is, never null
 * @param text the increment, never null (may be empty)
 */
public record ChatDelta(Kind kind, String text) {

    /** What a delta carries. */
    public enum Kind {
        /** Part of the answer. */
        TEXT,
        /** Part of the model's reasoning, which thinking models stream before the answer. */
        REASONING
    }

    /**
     * Validates the delta.
     *
     * @param kind what the text is, never null
     * @param text the increment, never null (may be empty)
     * @throws IllegalArgumentException if kind or text is null
     */
    public ChatDelta {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
    }

    /**
     * A piece of the answer.
     *
     * @param text the text
     * @return the delta
     * @throws IllegalArgumentException if text is null
     */
    public static ChatDelta text(String text) {
        return new ChatDelta(Kind.TEXT, text);
    }

    /**
     * A piece of the reasoning.
     *
     * @param text the reasoning text
     * @return the delta
     * @throws IllegalArgumentException if text is null
     */
    public static ChatDelta reasoning(String text) {
        return new ChatDelta(Kind.REASONING, text);
    }

    /**
     * Whether this delta is part of the answer.
     *
     * @return true for {@link Kind#TEXT}
     */
    public boolean isText() {
        return kind == Kind.TEXT;
    }

    /**
     * Whether this delta is part of the reasoning.
     *
     * @return true for {@link Kind#REASONING}
     */
    public boolean isReasoning() {
        return kind == Kind.REASONING;
    }
}
