package dev.alfred.llm.openai.internal.embed;

import dev.alfred.llm.Usage;
import dev.alfred.llm.http.error.ErrorBody;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an OpenAI-shaped embeddings response, {@code {data:[{index, embedding}], model, usage}}, into one
 * vector per input in input order, whatever order the server listed them in. A vector may come as base64
 * (decoded straight from the body's bytes by {@link Base64Floats}) or as JSON numbers, whichever was asked;
 * usage as {@code prompt_tokens} or, from Voyage AI, {@code total_tokens} only. Fields it does not know are
 * skipped. Stateless and thread-safe.
 */
public final class EmbeddingDecoder {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** The body is not a valid embeddings response for the request; the message says why, naming the input. */
    public static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A decoded body: the vectors, or the error a 200 body carried.
     *
     * @param vectors one per input, in input order; null with an error
     * @param model   the model the server named, or null
     * @param usage   the tokens counted, {@link Usage#ZERO} when not said
     * @param error   the error the body carried instead, or null
     */
    public record Decoded(List<float[]> vectors, String model, Usage usage, ErrorBody error) {
    }

    /**
     * Decodes a 200 body.
     *
     * @param body       the bytes
     * @param inputs     how many inputs the request had
     * @param dimensions the length every vector must have, or null for any (but one length for all)
     * @return the vectors in input order, or the body's error
     * @throws Malformed when the body is not JSON, a vector is missing, repeated, out of range, of another length
     *                   or malformed (naming the input), or there are more vectors than inputs
     */
    public Decoded decode(byte[] body, int inputs, Integer dimensions) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body, 0, body.length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("the body is not a JSON object");
            }
            float[][] vectors = null;
            String model = null;
            Usage usage = Usage.ZERO;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "data":
                        vectors = data(p, body, inputs);
                        break;
                    case "model":
                        model = t == JsonToken.VALUE_STRING ? p.getString() : null;
                        break;
                    case "usage":
                        usage = usage(p);
                        break;
                    case "error":
                        ErrorBody error = t == JsonToken.START_OBJECT ? ErrorBody.parse(body, 0, body.length) : null;
                        if (error != null) {
                            return new Decoded(null, model, usage, error);
                        }
                        p.skipChildren();
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (vectors == null) {
                throw new Malformed("the body has no data");
            }
            return new Decoded(check(vectors, dimensions), model, usage, null);
        } catch (JacksonException e) {
            throw new Malformed("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static List<float[]> check(float[][] vectors, Integer dimensions) {
        int length = dimensions != null ? dimensions : -1;
        for (int i = 0; i < vectors.length; i++) {
            float[] v = vectors[i];
            if (v == null) {
                throw new Malformed("no vector for input " + i + " (" + missing(vectors) + " of " + vectors.length
                        + " missing)");
            }
            if (length < 0) {
                length = v.length;
            } else if (v.length != length) {
                throw new Malformed("the vector of input " + i + " has " + v.length + " dimensions, not " + length
                        + (dimensions != null ? " as asked" : " as input 0's"));
            }
        }
        return Arrays.asList(vectors);
    }

    private static int missing(float[][] vectors) {
        int n = 0;
        for (float[] v : vectors) {
            n += v == null ? 1 : 0;
        }
        return n;
    }

    private static float[][] data(JsonParser p, byte[] body, int inputs) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new Malformed("data is not an array");
        }
        float[][] vectors = new float[inputs][];
        int item = 0;
        int dims = 16;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                throw new Malformed("data[" + item + "] is not an object");
            }
            int index = -1;
            boolean indexed = false;
            float[] vector = null;
            String failure = null;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                if (name.equals("index")) {
                    if (v != JsonToken.VALUE_NUMBER_INT) {
                        throw new Malformed("data[" + item + "].index is not an integer");
                    }
                    index = p.getIntValue();
                    indexed = true;
                } else if (name.equals("embedding")) {
                    try {
                        vector = embedding(p, body, dims);
                        dims = vector.length;
                    } catch (Base64Floats.Malformed | Malformed e) {
                        failure = e.getMessage();
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!indexed) {
                throw new Malformed("data[" + item + "] has no index");
            }
            if (index < 0 || index >= inputs) {
                throw new Malformed("data[" + item + "] has index " + index + ", but the request had " + inputs
                        + " inputs");
            }
            if (failure != null) {
                throw new Malformed("the vector of input " + index + " is malformed: " + failure);
            }
            if (vector == null) {
                throw new Malformed("data[" + item + "] (input " + index + ") has no embedding");
            }
            if (vectors[index] != null) {
                throw new Malformed("input " + index + " has two vectors");
            }
            vectors[index] = vector;
            item++;
        }
        return vectors;
    }

    private static float[] embedding(JsonParser p, byte[] body, int dims) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            // the token starts at its opening quote; base64 needs no escapes, so the text runs to the next quote
            int from = (int) p.currentTokenLocation().getByteOffset() + 1;
            // once the length is known (every vector has the first one's), the closing quote is where it says,
            // and the scan for it is saved; anything else takes the scan below
            int expected = 4 * ((dims * 4 + 2) / 3);
            int at = from + expected;
            if (dims > 16 && at < body.length && body[at] == '"') {
                try {
                    return Base64Floats.decode(body, from, at);
                } catch (Base64Floats.Malformed e) {
                    // not this vector's shape after all: the scan decides
                }
            }
            int end = from;
            while (body[end] != '"' && body[end] != '\\') {
                end++;
            }
            if (body[end] == '"') {
                return Base64Floats.decode(body, from, end); // the parser skips the string itself
            }
            byte[] text = p.getString().getBytes(StandardCharsets.ISO_8859_1); // escaped ("\/"): rare
            return Base64Floats.decode(text, 0, text.length);
        }
        if (t != JsonToken.START_ARRAY) {
            throw new Malformed("the embedding is neither base64 text nor an array of numbers");
        }
        float[] out = new float[Math.max(dims, 1)];
        int n = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                throw new Malformed("element " + n + " of the embedding is not a number");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = p.getFloatValue();
        }
        if (n == 0) {
            throw new Malformed("the embedding is empty");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private static Usage usage(JsonParser p) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Usage.ZERO;
        }
        long prompt = -1;
        long total = -1;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NUMBER_INT && name.equals("prompt_tokens")) {
                prompt = p.getLongValue();
            } else if (t == JsonToken.VALUE_NUMBER_INT && name.equals("total_tokens")) {
                total = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        // Voyage AI reports only total_tokens: for embeddings every token is input
        long in = prompt >= 0 ? prompt : Math.max(total, 0);
        return Usage.of(in, 0, total >= 0 ? total : in);
    }

}
