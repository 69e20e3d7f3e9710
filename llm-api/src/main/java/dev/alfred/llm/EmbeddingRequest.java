package dev.alfred.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to embed: the inputs, in order, and how. Immutable. Unset optional fields are null and leave the
 * choice to the provider (its default model, the model's native dimensions, no input type).
 *
 * <pre>{@code
 * EmbeddingRequest request = EmbeddingRequest.builder()
 *         .texts(List.of("the cat sat", "on the mat"))
 *         .inputType(EmbeddingRequest.InputType.DOCUMENT)
 *         .build();
 * }</pre>
 *
 * @param inputs     the inputs, at least one; the response has one vector per input, in this order
 * @param model      the model, or null for the provider's default
 * @param dimensions the vector length to ask for (models that can shorten their vectors), or null for the
 *                   model's own
 * @param inputType  whether the inputs are queries or documents, for servers that embed them differently
 *                   (Voyage AI); null when not said. Servers that do not distinguish ignore it
 * @param encoding   how vectors travel on the wire; never changes the vectors themselves
 */
public record EmbeddingRequest(List<EmbeddingInput> inputs, String model, Integer dimensions, InputType inputType,
                               Encoding encoding) {

    /** Whether inputs are queries (searched with) or documents (searched in). */
    public enum InputType {
        /** A question or search text, embedded to find documents. */
        QUERY,
        /** A text stored to be found. */
        DOCUMENT
    }

    /** How vectors travel on the wire. Both give the same floats; base64 is about a quarter of the bytes. */
    public enum Encoding {
        /** Base64 of little-endian float32 where the server supports it, JSON numbers elsewhere: the default. */
        BASE64,
        /** JSON numbers. */
        FLOAT
    }

    /**
     * Validates and copies.
     *
     * @param inputs     the inputs
     * @param model      the model, or null
     * @param dimensions the dimensions, or null
     * @param inputType  the input type, or null
     * @param encoding   the encoding, or null for {@link Encoding#BASE64}
     * @throws IllegalArgumentException if inputs is null, empty or holds null, the model is blank, or dimensions
     *                                  is not positive
     */
    public EmbeddingRequest {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("an embedding request needs at least one input");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) == null) {
                throw new IllegalArgumentException("embedding input " + i + " is null");
            }
        }
        inputs = List.copyOf(inputs);
        if (model != null && model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank; leave it null for the provider's default");
        }
        if (dimensions != null && dimensions <= 0) {
            throw new IllegalArgumentException("dimensions must be positive, not " + dimensions);
        }
        encoding = encoding == null ? Encoding.BASE64 : encoding;
    }

    /**
     * A request for texts with the provider's defaults.
     *
     * @param texts the texts, at least one, none empty
     * @return the request
     * @throws IllegalArgumentException if texts is empty or a text is null or empty
     */
    public static EmbeddingRequest ofTexts(String... texts) {
        return builder().texts(List.of(texts)).build();
    }

    /**
     * The text of input {@code index}.
     *
     * @param index the input's position
     * @return its text
     * @throws IndexOutOfBoundsException if there is no such input
     */
    public String text(int index) {
        EmbeddingInput input = inputs.get(index);
        return ((EmbeddingInput.Text) input).text();
    }

    /**
     * The same request for a slice of the inputs: one batch of a larger call.
     *
     * @param from the first input, inclusive
     * @param to   the last input, exclusive
     * @return the request for {@code inputs[from, to)}
     * @throws IndexOutOfBoundsException if the range is outside the inputs or empty
     */
    public EmbeddingRequest slice(int from, int to) {
        if (from == 0 && to == inputs.size()) {
            return this;
        }
        Objects.checkFromToIndex(from, to, inputs.size());
        if (from == to) {
            throw new IndexOutOfBoundsException("an empty slice " + from + ".." + to);
        }
        return new EmbeddingRequest(inputs.subList(from, to), model, dimensions, inputType, encoding);
    }

    /**
     * A builder for a request.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder for this request's settings, to change some.
     *
     * @return a builder holding this request
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.inputs.addAll(inputs);
        return b.model(model).dimensions(dimensions).inputType(inputType).encoding(encoding);
    }

    /** A mutable builder of {@link EmbeddingRequest}; not thread-safe. */
    public static final class Builder {
        private final List<EmbeddingInput> inputs = new ArrayList<>();
        private String model;
        private Integer dimensions;
        private InputType inputType;
        private Encoding encoding;

        private Builder() {
        }

        /**
         * Adds an input.
         *
         * @param input the input
         * @return this builder
         * @throws IllegalArgumentException if input is null
         */
        public Builder input(EmbeddingInput input) {
            if (input == null) {
                throw new IllegalArgumentException("input must not be null");
            }
            inputs.add(input);
            return this;
        }

        /**
         * Adds a text input.
         *
         * @param text the text
         * @return this builder
         * @throws IllegalArgumentException if text is null or empty
         */
        public Builder text(String text) {
            return input(EmbeddingInput.text(text));
        }

        /**
         * Adds text inputs, in order.
         *
         * @param texts the texts
         * @return this builder
         * @throws IllegalArgumentException if a text is null or empty
         * @throws NullPointerException     if texts is null
         */
        public Builder texts(List<String> texts) {
            for (String text : texts) {
                text(text);
            }
            return this;
        }

        /**
         * Sets the model.
         *
         * @param model the model, or null for the provider's default
         * @return this builder
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the dimensions.
         *
         * @param dimensions the vector length, or null for the model's own
         * @return this builder
         */
        public Builder dimensions(Integer dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /**
         * Sets the input type.
         *
         * @param inputType query or document, or null
         * @return this builder
         */
        public Builder inputType(InputType inputType) {
            this.inputType = inputType;
            return this;
        }

        /**
         * Sets the wire encoding.
         *
         * @param encoding the encoding, or null for {@link Encoding#BASE64}
         * @return this builder
         */
        public Builder encoding(Encoding encoding) {
            this.encoding = encoding;
            return this;
        }

        /**
         * Builds the request.
         *
         * @return the request
         * @throws IllegalArgumentException if a setting is invalid (see {@link EmbeddingRequest})
         */
        public EmbeddingRequest build() {
            return new EmbeddingRequest(inputs, model, dimensions, inputType, encoding);
        }
    }
}
