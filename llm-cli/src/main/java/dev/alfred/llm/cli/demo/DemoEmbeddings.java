package dev.alfred.llm.cli.demo;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The demo server's {@code POST /v1/embeddings}, in OpenAI's shape ({@code {object:"list", data:[{object:
 * "embedding", index, embedding}], model, usage:{prompt_tokens, total_tokens}}}), with a bag-of-words hashing
 * embedding instead of a model: each lower-cased word (a run of letters and digits) is hashed (64-bit FNV-1a of
 * its UTF-8 bytes) to seed a pseudo-random vector over every dimension (SplitMix64, values uniform in
 * [-1, 1)), the words' vectors are summed and the sum is scaled to length 1. Random vectors of a few hundred
 * dimensions are nearly orthogonal, so the cosine of two texts is about the share of words they have in
 * common: clearly positive for texts that share words, within about 0.1 of zero for texts that share none, and
 * a nearest-note search in the demo finds what a person expects. No semantics beyond shared words: "tea" and
 * "coffee" are as far apart as any two words. The vectors are dense, as a model's are.
 *
 * <p>It honours {@code dimensions} (the number of buckets; {@value #DEFAULT_DIMENSIONS} when absent, at most
 * {@value #MAX_DIMENSIONS}) and {@code encoding_format} ({@code base64}: the little-endian float32 bytes in
 * base64, as OpenAI sends them; {@code float} or absent: JSON numbers); {@code input} is a string or an
 * array of strings, none empty. Usage counts the words. The model it reports is {@value #MODEL}, whatever
 * was asked for: the vectors are not any real model's. Stateless and thread-safe.
 */
final class DemoEmbeddings {

    /** The model the answers name. */
    static final String MODEL = "offline-demo-bag-of-words";
    /** The vector length when the request does not ask for one. */
    static final int DEFAULT_DIMENSIONS = 256;
    /** The longest vector the demo makes (text-embedding-3-large's length). */
    static final int MAX_DIMENSIONS = 3072;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private DemoEmbeddings() {
    }

    /**
     * The answer to an embeddings request.
     *
     * @param json the mapper
     * @param body the request body
     * @return the vectors, or a 400 naming what was wrong
     */
    static DemoAnswer answer(JsonMapper json, String body) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JacksonException e) {
            return DemoAnswer.invalid("the body is not JSON");
        }
        if (request == null || !request.isObject()) {
            return DemoAnswer.invalid("the body is not a JSON object");
        }
        List<String> texts = new ArrayList<>();
        JsonNode input = request.path("input");
        if (input.isString()) {
            texts.add(input.asString());
        } else if (input.isArray() && !input.isEmpty()) {
            for (JsonNode t : input) {
                if (!t.isString()) {
                    return DemoAnswer.invalid("'input' must be a string or an array of strings");
                }
                texts.add(t.asString());
            }
        } else {
            return DemoAnswer.invalid("'input' must be a string or a non-empty array of strings");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i).isEmpty()) {
                return DemoAnswer.invalid("input " + i + " is empty");
            }
        }
        JsonNode d = request.path("dimensions");
        int dimensions = DEFAULT_DIMENSIONS;
        if (!d.isMissingNode() && !d.isNull()) {
            if (!d.isInt() || d.asInt() < 1 || d.asInt() > MAX_DIMENSIONS) {
                return DemoAnswer.invalid("'dimensions' must be an integer from 1 to " + MAX_DIMENSIONS + ", was " + d);
            }
            dimensions = d.asInt();
        }
        String format = request.path("encoding_format").asString("float");
        if (!format.equals("float") && !format.equals("base64")) {
            return DemoAnswer.invalid("'encoding_format' must be float or base64, was '" + format + "'");
        }
        ObjectNode root = json.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        long words = 0;
        for (int i = 0; i < texts.size(); i++) {
            List<String> w = words(texts.get(i));
            words += w.size();
            float[] v = vector(w, dimensions);
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            if (format.equals("base64")) {
                item.put("embedding", base64(v));
            } else {
                ArrayNode floats = item.putArray("embedding");
                for (float f : v) {
                    floats.add(f);
                }
            }
        }
        root.put("model", MODEL);
        root.putObject("usage").put("prompt_tokens", words).put("total_tokens", words);
        return new DemoAnswer.Body(root);
    }

    /**
     * The words of a text: its lower-cased runs of letters and digits, or the whole text when it has none.
     *
     * @param text the text
     * @return the words, at least one
     */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        if (words.isEmpty()) {
            words.add(text);
        }
        return words;
    }

    /**
     * The hashed bag of words, scaled to length 1.
     *
     * @param words      the words
     * @param dimensions the vector length
     * @return the vector
     */
    static float[] vector(List<String> words, int dimensions) {
        double[] sum = new double[dimensions];
        for (String w : words) {
            long state = FNV_OFFSET;
            for (byte b : w.getBytes(StandardCharsets.UTF_8)) {
                state = (state ^ (b & 0xff)) * FNV_PRIME;
            }
            for (int d = 0; d < dimensions; d++) {
                state += GOLDEN_GAMMA;
                sum[d] += (mix(state) >>> 11) * 0x1.0p-52 - 1; // 53 random bits as [-1, 1)
            }
        }
        double norm = 0;
        for (double x : sum) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = norm == 0 ? 0f : (float) (sum[i] / norm);
        }
        return v;
    }

    /** SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /**
     * A vector as OpenAI's base64: its float32 values, little-endian, in base64.
     *
     * @param v the vector
     * @return the base64 text
     */
    static String base64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            bytes.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
