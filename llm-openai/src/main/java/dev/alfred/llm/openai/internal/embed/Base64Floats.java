package dev.alfred.llm.openai.internal.embed;

import java.util.Arrays;

/**
 * Decodes base64 of little-endian IEEE-754 float32 values (what OpenAI-compatible servers send for
 * {@code encoding_format: base64}) straight from the response bytes into a {@code float[]}: no String, no
 * intermediate byte array. Sixteen characters give twelve bytes, three floats, per step. Stateless.
 */
public final class Base64Floats {

    /** The value of each base64 character, -1 for any other byte. */
    private static final int[] VALUE = new int[256];

    static {
        Arrays.fill(VALUE, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUE[alphabet.charAt(i)] = i;
        }
    }

    private Base64Floats() {
    }

    /** The text is not base64 of whole float32 values; the message says why. */
    public static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decodes {@code src[from, to)}.
     *
     * @param src  the bytes holding the base64 text (ASCII)
     * @param from its first character
     * @param to   the end of the text, exclusive
     * @return the floats
     * @throws Malformed if the length is not a multiple of 4, a character is not base64 (padding only at
     *                   the end), the bytes are not whole float32 values, or there are none
     */
    public static float[] decode(byte[] src, int from, int to) {
        int length = to - from;
        if (length % 4 != 0) {
            throw new Malformed("base64 of " + length + " characters, not a multiple of 4");
        }
        int pad = length == 0 ? 0 : src[to - 1] == '=' ? src[to - 2] == '=' ? 2 : 1 : 0;
        int bytes = length / 4 * 3 - pad;
        if (bytes == 0 || bytes % 4 != 0) {
            throw new Malformed("base64 of " + bytes + " bytes, not whole float32 values");
        }
        float[] out = new float[bytes / 4];
        int i = from;
        int f = 0;
        // whole 16-character blocks, leaving the last quad (which may hold padding) to the tail
        int blockEnd = to - 4;
        while (i + 16 <= blockEnd) {
            int t0 = quad(src, i);
            int t1 = quad(src, i + 4);
            int t2 = quad(src, i + 8);
            int t3 = quad(src, i + 12);
            if ((t0 | t1 | t2 | t3) < 0) {
                throw invalid(src, i);
            }
            out[f] = Float.intBitsToFloat((t0 >>> 16) | (t0 >>> 8 & 0xff) << 8 | (t0 & 0xff) << 16
                    | (t1 >>> 16) << 24);
            out[f + 1] = Float.intBitsToFloat((t1 >>> 8 & 0xff) | (t1 & 0xff) << 8 | (t2 >>> 16) << 16
                    | (t2 >>> 8 & 0xff) << 24);
            out[f + 2] = Float.intBitsToFloat((t2 & 0xff) | (t3 >>> 16) << 8 | (t3 >>> 8 & 0xff) << 16
                    | (t3 & 0xff) << 24);
            f += 3;
            i += 16;
        }
        // the rest, byte by byte
        int acc = 0;
        int shift = 0;
        for (; i < to; i += 4) {
            boolean last = i + 4 == to;
            int t = last && pad > 0 ? padded(src, i, pad) : quad(src, i);
            if (t < 0) {
                throw invalid(src, i);
            }
            int n = last ? 3 - pad : 3;
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

    /** Four characters as 24 bits, or a negative number when one is not a base64 character. */
    private static int quad(byte[] s, int i) {
        int a = VALUE[s[i] & 0xff];
        int b = VALUE[s[i + 1] & 0xff];
        int c = VALUE[s[i + 2] & 0xff];
        int d = VALUE[s[i + 3] & 0xff];
        return (a | b | c | d) < 0 ? -1 : a << 18 | b << 12 | c << 6 | d;
    }

    /** The last quad, with one or two '=' at its end. */
    private static int padded(byte[] s, int i, int pad) {
        int a = VALUE[s[i] & 0xff];
        int b = VALUE[s[i + 1] & 0xff];
        int c = pad == 2 ? 0 : VALUE[s[i + 2] & 0xff];
        return (a | b | c) < 0 ? -1 : a << 18 | b << 12 | c << 6;
    }

    /** The first character from {@code from} on that is not base64 (the caller found one). */
    private static Malformed invalid(byte[] s, int from) {
        int k = from;
        while (VALUE[s[k] & 0xff] >= 0) {
            k++;
        }
        return new Malformed("'" + (s[k] >= 0x20 && s[k] < 0x7f ? String.valueOf((char) s[k])
                : String.format("\\x%02x", s[k] & 0xff)) + "' is not a base64 character");
    }
}
