package dev.alfred.llm.openai.internal.embed;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The base64 → float32 decoder against the JDK's base64 and a little-endian ByteBuffer. */
class Base64FloatsTest {

    private static byte[] encode(float[] floats) {
        ByteBuffer b = ByteBuffer.allocate(floats.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : floats) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encode(b.array());
    }

    private static float[] decode(String text) {
        byte[] b = ("\"" + text + "\"").getBytes(StandardCharsets.ISO_8859_1);
        return Base64Floats.decode(b, 1, b.length - 1);
    }

    @Test
    void everyLengthAndBitPatternRoundTrips() {
        Random random = new Random(26);
        for (int n = 1; n <= 40; n++) {
            float[] floats = new float[n];
            for (int i = 0; i < n; i++) {
                floats[i] = Float.intBitsToFloat(random.nextInt());
            }
            byte[] text = encode(floats);
            float[] back = Base64Floats.decode(text, 0, text.length);
            assertEquals(n, back.length);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(floats[i]), Float.floatToRawIntBits(back[i]), "n=" + n + " i=" + i);
            }
        }
    }

    @Test
    void aLargeVectorRoundTrips() {
        float[] floats = new float[3072];
        Random random = new Random(7);
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) random.nextGaussian() / 30;
        }
        byte[] text = encode(floats);
        assertArrayEquals(floats, Base64Floats.decode(text, 0, text.length));
    }

    @Test
    void malformedTextSaysWhy() {
        assertEquals("base64 of 6 characters, not a multiple of 4",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAA")).getMessage());
        assertEquals("base64 of 0 bytes, not whole float32 values",
                assertThrows(Base64Floats.Malformed.class, () -> decode("")).getMessage());
        assertEquals("base64 of 6 bytes, not whole float32 values",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAAAA")).getMessage());
        assertEquals("base64 of 5 bytes, not whole float32 values",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAAA=")).getMessage());
        assertEquals("'-' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAAAAAAAAAAAAAAAAAA-AAAAAAAAA")).getMessage());
        assertEquals("'\\x00' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAAAAAAAAAAAAAAA\0AAAAAAAAAAAA")).getMessage());
        assertEquals("' ' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAA AAAAAA=")).getMessage());
        assertEquals("'~' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAAAA~A==AAAAAAAAAAAA".substring(0, 12)
                        .replace("==", "AA") + "AAAAAAAAAAAAAAAAAAAA")).getMessage());
        assertEquals("'=' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AA=AAAAAAAA=")).getMessage());
        assertEquals("'.' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAAAA.AA=")).getMessage());
        assertEquals("'.' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAA")).getMessage());
        assertEquals("'\\x7f' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAAAAAAAAAAA\u007fAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                        .getMessage());
        assertEquals("'\\xe9' is not a base64 character",
                assertThrows(Base64Floats.Malformed.class, () -> decode("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\u00e9"))
                        .getMessage());
    }

    @Test
    void paddingOfOneAndTwoCharacters() {
        // 4 floats = 16 bytes: two '=' ; 2 floats = 8 bytes: one '='
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, decode(new String(encode(new float[] {1f, 2f, 3f, 4f}))));
        assertEquals('=', new String(encode(new float[] {1f, 2f, 3f, 4f})).charAt(23));
        assertArrayEquals(new float[] {1f, -2f}, decode(new String(encode(new float[] {1f, -2f}))));
    }
}
