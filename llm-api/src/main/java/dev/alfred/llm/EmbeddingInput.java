package dev.alfred.llm;

/**
 * One input to embed. A closed set: text today; images (for multimodal embedding models) can join it
 * later without changing {@link EmbeddingRequest} or {@link EmbeddingProvider}.
 */
public sealed interface EmbeddingInput permits EmbeddingInput.Text {

    /**
     * A text input.
     *
     * @param text the text; servers refuse an empty one, so it is refused here
     */
    record Text(String text) implements EmbeddingInput {

        /**
         * Validates the text.
         *
         * @param text the text
         * @throws IllegalArgumentException if text is null or empty
         */
        public Text {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("an embedding input's text must not be " + (text == null ? "null" : "empty"));
            }
        }
    }

    /**
     * A text input.
     *
     * @param text the text
     * @return the input
     * @throws IllegalArgumentException if text is null or empty
     */
    static EmbeddingInput text(String text) {
        return new Text(text);
    }
}
