package dev.alfred.llm.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * The embeddings the benchmarks fetch, in the shape OpenAI's {@code POST /v1/embeddings} answers
 * ({@code {"object":"list","data":[{"object":"embedding","index":i,"embedding":…}],"model":…,"usage":…}}):
 * the vector of input {@code "note <k> …"} is {@link #vector(int, int) vector(k, dims)}, Gaussian values of
 * a unit vector's scale (σ = 1/√dims) from a generator seeded with k, so a client's answer can be checked
 * element by element and a batched call's order with it. The embedding comes as base64 of little-endian
 * float32 when asked ({@code encoding_format: base64}), else as JSON numbers written as Python writes a
 * float32 widened to a double, one per line as OpenAI pretty-prints them, about 30 bytes each.
 */
public final class EmbeddingFixture {

    /** The model the fixture's responses name. */
    public static final String MODEL = "text-embedding-3-small";

    private EmbeddingFixture() {
    }

    /**
     * The text of input k.
     *
     * @param k the input's number
     * @return its text
     */
    public static String input(int k) {
        return "note " + k + ": the cat sat on the mat and remembered it";
    }

    /**
     * The texts of inputs 0 to n - 1.
     *
     * @param n how many
     * @return the texts
     */
    public static List<String> inputs(int n) {
        List<String> l = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            l.add(input(k));
        }
        return l;
    }

    /**
     * The number of an input text, or -1 when it is not one of {@link #input(int)}'s.
     *
     * @param text the text
     * @return its number
     */
    public static int number(String text) {
        if (!text.startsWith("note ")) {
            return -1;
        }
        int k = 0;
        int i = 5;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            k = k * 10 + (text.charAt(i++) - '0');
        }
        return i == 5 ? -1 : k;
    }

    /**
     * The vector of input k.
     *
     * @param k    the input's number
     * @param dims its length
     * @return the vector
     */
    public static float[] vector(int k, int dims) {
        Random r = new Random(0x5eed0000L + k);
        double sigma = 1 / Math.sqrt(dims);
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) {
            v[i] = (float) (r.nextGaussian() * sigma);
        }
        return v;
    }

    /**
     * The response to inputs {@code from} to {@code from + count - 1}.
     *
     * @param from   the first input's number
     * @param count  how many inputs, in order
     * @param dims   the vectors' length
     * @param base64 base64 embeddings, else JSON numbers
     * @return the body
     */
    public static byte[] body(int from, int count, int dims, boolean base64) {
        int perVector = base64 ? (dims * 4 + 2) / 3 * 4 + 64 : dims * 32 + 64;
        StringBuilder sb = new StringBuilder(count * perVector + 128);
        sb.append("{\n  \"object\": \"list\",\n  \"data\": [\n");
        byte[] raw = new byte[dims * 4];
        for (int i = 0; i < count; i++) {
            float[] v = vector(from + i, dims);
            sb.append("    {\n      \"object\": \"embedding\",\n      \"index\": ").append(i).append(",\n      \"embedding\": ");
            if (base64) {
                for (int d = 0; d < dims; d++) {
                    int bits = Float.floatToRawIntBits(v[d]);
                    raw[4 * d] = (byte) bits;
                    raw[4 * d + 1] = (byte) (bits >>> 8);
                    raw[4 * d + 2] = (byte) (bits >>> 16);
                    raw[4 * d + 3] = (byte) (bits >>> 24);
                }
                sb.append('"').append(Base64.getEncoder().encodeToString(raw)).append('"');
            } else {
                sb.append('[');
                for (int d = 0; d < dims; d++) {
                    sb.append(d == 0 ? "\n        " : ",\n        ").append(python((double) v[d]));
                }
                sb.append("\n      ]");
            }
            sb.append("\n    }").append(i + 1 < count ? ",\n" : "\n");
        }
        sb.append("  ],\n  \"model\": \"").append(MODEL).append("\",\n  \"usage\": {\n    \"prompt_tokens\": ")
                .append(count * 14).append(",\n    \"total_tokens\": ").append(count * 14).append("\n  }\n}\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A double as Python's repr writes it: plain decimals from 1e-4 on, {@code 1.5e-05} below. */
    private static String python(double d) {
        String s = Double.toString(d);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        String mantissa = s.substring(0, e);
        if (exp == -4 || exp == -3) {
            java.math.BigDecimal b = new java.math.BigDecimal(mantissa).movePointLeft(-exp);
            return b.toPlainString();
        }
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
