package dev.alfred.llm.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The floor for embeddings: the cheapest correct consumer of a base64 embeddings response —
 * {@code java.net.http} with {@code BodyHandlers.ofByteArray()}, a byte scan for each item's
 * {@code "index":} and {@code "embedding":"}, and a hand-written loop from base64 straight to
 * little-endian float32 (sixteen characters, three floats, per step). No JSON parser, no validation
 * beyond the status, no timeouts of its own. The request body is written by hand (the bench's inputs
 * need no escaping).
 */
public final class EmbedFloorClient implements EmbedClient {

    private static final byte[] INDEX = "\"index\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMBEDDING = "\"embedding\":".getBytes(StandardCharsets.US_ASCII);
    private static final int[] VALUE = new int[256];

    static {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUE[alphabet.charAt(i)] = i;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public String encoding() {
        return "base64";
    }

    @Override
    public float[][] embed(URI base, List<String> inputs) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder(inputs.size() * 64 + 96);
        body.append("{\"model\":\"").append(EmbeddingFixture.MODEL).append("\",\"input\":[");
        for (int i = 0; i < inputs.size(); i++) {
            body.append(i == 0 ? "\"" : ",\"").append(inputs.get(i)).append('"');
        }
        body.append("],\"encoding_format\":\"base64\"}");
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/embeddings"))
                .header("Authorization", "Bearer sk-bench").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return parse(response.body(), inputs.size());
    }

    /**
     * The floor's reading of a base64 embeddings body: each item's index and embedding found by a byte scan.
     *
     * @param b      the body
     * @param inputs how many inputs the request had
     * @return the vectors by index
     */
    static float[][] parse(byte[] b, int inputs) {
        float[][] vectors = new float[inputs][];
        int at = 0;
        while ((at = indexOf(b, INDEX, at)) >= 0) {
            at += INDEX.length;
            while (b[at] == ' ') {
                at++;
            }
            int index = 0;
            while (b[at] >= '0' && b[at] <= '9') {
                index = index * 10 + (b[at++] - '0');
            }
            at = indexOf(b, EMBEDDING, at) + EMBEDDING.length;
            while (b[at] != '"') {
                at++;
            }
            int from = ++at;
            while (b[at] != '"') {
                at++;
            }
            vectors[index] = decode(b, from, at);
        }
        return vectors;
    }

    private static int indexOf(byte[] b, byte[] what, int from) {
        byte first = what[0];
        outer:
        for (int i = from, last = b.length - what.length; i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int k = 1; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Base64 of little-endian float32 to floats; the tail (with its padding) byte by byte. */
    private static float[] decode(byte[] s, int from, int to) {
        int pad = s[to - 1] == '=' ? s[to - 2] == '=' ? 2 : 1 : 0;
        float[] out = new float[((to - from) / 4 * 3 - pad) / 4];
        int i = from;
        int f = 0;
        while (i + 16 <= to - 4) {
            int t0 = quad(s, i);
            int t1 = quad(s, i + 4);
            int t2 = quad(s, i + 8);
            int t3 = quad(s, i + 12);
            out[f] = Float.intBitsToFloat((t0 >>> 16) | (t0 >>> 8 & 0xff) << 8 | (t0 & 0xff) << 16 | (t1 >>> 16) << 24);
            out[f + 1] = Float.intBitsToFloat((t1 >>> 8 & 0xff) | (t1 & 0xff) << 8 | (t2 >>> 16) << 16
                    | (t2 >>> 8 & 0xff) << 24);
            out[f + 2] = Float.intBitsToFloat((t2 & 0xff) | (t3 >>> 16) << 8 | (t3 >>> 8 & 0xff) << 16 | (t3 & 0xff) << 24);
            f += 3;
            i += 16;
        }
        int acc = 0;
        int shift = 0;
        for (; i < to; i += 4) {
            int n = i + 4 == to ? 3 - pad : 3;
            int t = quad(s, i);
            for (int k = 0; k < n; k++) {
                acc |= (t >>> (16 - 8 * k) & 0xff) << shift;
                shift += 8;
                if (shift == 32) {
                    out[f++] = Float.intBitsToFloat(acc);
                    acc = 0;
                    shift = 0;
                }
            }
        }
        return out;
    }

    /** Four characters as 24 bits; '=' (and, unchecked, any other byte) counts as zero. */
    private static int quad(byte[] s, int i) {
        return VALUE[s[i] & 0xff] << 18 | VALUE[s[i + 1] & 0xff] << 12 | VALUE[s[i + 2] & 0xff] << 6 | VALUE[s[i + 3] & 0xff];
    }
}
