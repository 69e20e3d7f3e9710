package dev.alfred.llm;

/**
 * One part of a streamed answer. A closed set: {@link Text}, {@link Reasoning} and {@link Refusal} increments, and for
 * each tool call a {@link ToolCallStart}, its {@link ToolCallArguments} fragments and a
 * {@link ToolCallEnd} carrying the finished {@link ToolCall}. Tool-call parts carry the call's index
 * within the answer, so fragments of parallel calls that arrive interleaved never mix.
 *
 * <p>Java 17 callers, who cannot switch over a sealed type, switch over {@link #kind()} or test with
 * {@code instanceof}. Immutable and thread-safe.
 */
public sealed interface ChatDelta permits ChatDelta.Text, ChatDelta.Reasoning, ChatDelta.Refusal,
        ChatDelta.ToolCallStart, ChatDelta.ToolCallArguments, ChatDelta.ToolCallEnd {

    /** What a part is, for callers that cannot switch over the sealed type. */
    enum Kind {
        /** {@link Text}. */
        TEXT,
        /** {@link Reasoning}. */
        REASONING,
        /** {@link Refusal}. */
        REFUSAL,
        /** {@link ToolCallStart}. */
        TOOL_CALL_START,
        /** {@link ToolCallArguments}. */
        TOOL_CALL_ARGUMENTS,
        /** {@link ToolCallEnd}. */
        TOOL_CALL_END
    }

    /**
     * What this part is.
     *
     * @return the kind
     */
    Kind kind();

    /**
     * A piece of the answer.
     *
     * @param text the text
     * @return the part
     * @throws IllegalArgumentException if text is null
     */
    static Text text(String text) {
        return new Text(text);
    }

    /**
     * A piece of the reasoning.
     *
     * @param text the reasoning text
     * @return the part
     * @throws IllegalArgumentException if text is null
     */
    static Reasoning reasoning(String text) {
        return new Reasoning(text);
    }

    /**
     * A piece of the answer's text.
     *
     * @param text the increment, never null (may be empty; the stream drops empty ones)
     */
    record Text(String text) implements ChatDelta {
        /**
         * Validates the part.
         *
         * @param text the increment
         * @throws IllegalArgumentException if text is null
         */
        public Text {
            if (text == null) {
                throw new IllegalArgumentException("text must not be null");
            }
        }

        @Override
        public Kind kind() {
            return Kind.TEXT;
        }
    }

    /**
     * A piece of the model's reasoning, which thinking models stream before the answer.
     *
     * @param text the increment, never null (may be empty; the stream drops empty ones)
     */
    record Reasoning(String text) implements ChatDelta {
        /**
         * Validates the part.
         *
         * @param text the increment
         * @throws IllegalArgumentException if text is null
         */
        public Reasoning {
            if (text == null) {
                throw new IllegalArgumentException("text must not be null");
            }
        }

        @Override
        public Kind kind() {
            return Kind.REASONING;
        }
    }

    /**
     * A piece of the model's refusal to answer, which a chat UI shows as it arrives (OpenAI streams it in
     * {@code delta.refusal}); the whole text is {@link ChatResponse#refusal()}.
     *
     * @param text the increment, never null (may be empty; the stream drops empty ones)
     */
    record Refusal(String text) implements ChatDelta {
        /**
         * Validates the part.
         *
         * @param text the increment
         * @throws IllegalArgumentException if text is null
         */
        public Refusal {
            if (text == null) {
                throw new IllegalArgumentException("text must not be null");
            }
        }

        @Override
        public Kind kind() {
            return Kind.REFUSAL;
        }
    }

    /**
     * A tool call begins.
     *
     * @param index the call's index within the answer, not negative
     * @param id    the provider's id of the call, byte for byte
     * @param name  the tool's name
     */
    record ToolCallStart(int index, String id, String name) implements ChatDelta {
        /**
         * Validates the part.
         *
         * @param index the index
         * @param id the id, never null or empty
         * @param name the name, never null or empty
         * @throws IllegalArgumentException naming what is wrong
         */
        public ToolCallStart {
            if (index < 0) {
                throw new IllegalArgumentException("tool call index must not be negative, was " + index);
            }
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("tool call id must not be null or empty");
            }
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("tool call name must not be null or empty");
            }
        }

        @Override
        public Kind kind() {
            return Kind.TOOL_CALL_START;
        }
    }

    /**
     * A fragment of a tool call's JSON arguments, to append to the earlier ones of the same index.
     *
     * @param index    the call's index within the answer
     * @param fragment the fragment, never null
     */
    record ToolCallArguments(int index, String fragment) implements ChatDelta {
        /**
         * Validates the part.
         *
         * @param index the index
         * @param fragment the fragment
         * @throws IllegalArgumentException if index is negative or fragment null
         */
        public ToolCallArguments {
            if (index < 0) {
                throw new IllegalArgumentException("tool call index must not be negative, was " + index);
            }
            if (fragment == null) {
                throw new IllegalArgumentException("fragment must not be null");
            }
        }

        @Override
        public Kind kind() {
            return Kind.TOOL_CALL_ARGUMENTS;
        }
    }

    /**
     * A tool call is finished; it comes only at the end of the answer (or of the provider's block).
     *
     * @param index the call's index within the answer
     * @param call  the finished call, with its status
     */
    record ToolCallEnd(int index, ToolCall call) implements ChatDelta {
        /**
         * Validates the part.
         *
         * @param index the index
         * @param call the call
         * @throws IllegalArgumentException if index is negative or call null
         */
        public ToolCallEnd {
            if (index < 0) {
                throw new IllegalArgumentException("tool call index must not be negative, was " + index);
            }
            if (call == null) {
                throw new IllegalArgumentException("call must not be null");
            }
        }

        @Override
        public Kind kind() {
            return Kind.TOOL_CALL_END;
        }
    }
}
