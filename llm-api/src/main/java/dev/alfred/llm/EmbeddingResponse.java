package dev.alfred.llm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The vectors of an {@link EmbeddingRequest}: one per input, in input order, as {@code float[]} (no
 * boxing), with the usage the server reported. Immutable in its structure; the arrays are handed over, not
 * copied (a thousand vectors of 1,536 floats are 6 MB), so treat them as read-only. Thread-safe for reading.
 */
public final class EmbeddingResponse {

    private final List<float[]> vectors;
    private final String model;
    private final Usage usage;

    /**
     * Creates a response.
     *
     * @param vectors the vectors, one per input, in input order; the list is copied, the arrays are not
     * @param model   the model the server says it used, or null when it did not say
     * @param usage   the tokens counted; {@link Usage#ZERO} when the server did not say
     * @throws IllegalArgumentException if vectors is null or empty, or holds a null or empty vector
     * @throws NullPointerException     if usage is null
     */
    public EmbeddingResponse(List<float[]> vectors, String model, Usage usage) {
        if (vectors == null || vectors.isEmpty()) {
            throw new IllegalArgumentException("an embedding response needs at least one vector");
        }
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            if (v == null || v.length == 0) {
                throw new IllegalArgumentException("vector " + i + " is " + (v == null ? "missing" : "empty"));
            }
        }
        this.vectors = Collections.unmodifiableList(new ArrayList<>(vectors));
        this.model = model;
        this.usage = Objects.requireNonNull(usage, "usage");
    }

    /**
     * Joins the responses of consecutive batches into the response of the whole call: vectors in batch
     * order, usage summed, the first batch's model.
     *
     * @param parts the batches' responses, in input order
     * @return the joined response
     * @throws IllegalArgumentException if parts is empty
     */
    public static EmbeddingResponse join(List<EmbeddingResponse> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to join");
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<float[]> all = new ArrayList<>();
        Usage usage = Usage.ZERO;
        for (EmbeddingResponse part : parts) {
            all.addAll(part.vectors);
            usage = usage.plus(part.usage);
        }
        return new EmbeddingResponse(all, parts.get(0).model, usage);
    }

    /**
     * The vectors, one per input, in input order.
     *
     * @return an unmodifiable list of the vectors
     */
    public List<float[]> vectors() {
        return vectors;
    }

    /**
     * The vector of input {@code index}.
     *
     * @param index the input's position
     * @return its vector (not a copy)
     * @throws IndexOutOfBoundsException if there is no such input
     */
    public float[] vector(int index) {
        return vectors.get(index);
    }

    /**
     * How many vectors there are: as many as inputs.
     *
     * @return the count
     */
    public int size() {
        return vectors.size();
    }

    /**
     * The length of the first vector (a model's vectors all have one length).
     *
     * @return the dimensions
     */
    public int dimensions() {
        return vectors.get(0).length;
    }

    /**
     * The model the server says it used.
     *
     * @return the model, or null when the server did not say
     */
    public String model() {
        return model;
    }

    /**
     * The tokens the server counted ({@link Usage#promptTokens()}).
     *
     * @return the usage; {@link Usage#ZERO} when the server did not say
     */
    public Usage usage() {
        return usage;
    }

    /**
     * Equal when the vectors hold the same floats in the same order and the model and usage are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof EmbeddingResponse)) {
            return false;
        }
        EmbeddingResponse other = (EmbeddingResponse) o;
        if (vectors.size() != other.vectors.size() || !Objects.equals(model, other.model) || !usage.equals(other.usage)) {
            return false;
        }
        for (int i = 0; i < vectors.size(); i++) {
            if (!Arrays.equals(vectors.get(i), other.vectors.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A hash of the vectors, model and usage.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        int h = Objects.hash(model, usage);
        for (float[] v : vectors) {
            h = 31 * h + Arrays.hashCode(v);
        }
        return h;
    }

    /**
     * The shape, not the floats.
     *
     * @return the count, dimensions, model and usage
     */
    @Override
    public String toString() {
        return "EmbeddingResponse{" + size() + " vectors of " + dimensions() + ", model=" + model + ", usage=" + usage + "}";
    }
}
