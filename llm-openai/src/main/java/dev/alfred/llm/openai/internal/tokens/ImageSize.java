package dev.alfred.llm.openai.internal.tokens;

/** The pixel size an image's header states, for PNG, GIF and JPEG. Stateless. */
final class ImageSize {

    private ImageSize() {
    }

    /**
     * The width and height an image's bytes state.
     *
     * @param b the image
     * @return {width, height}, or null when the format is not PNG, GIF or JPEG or the header is cut
     */
    static int[] of(byte[] b) {
        if (b.length >= 24 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return size(int32(b, 16), int32(b, 20));
        }
        if (b.length >= 10 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
            return size(u8(b, 6) | u8(b, 7) << 8, u8(b, 8) | u8(b, 9) << 8);
        }
        if (b.length >= 4 && u8(b, 0) == 0xff && u8(b, 1) == 0xd8) {
            return jpeg(b);
        }
        return null;
    }

    /** Walks the JPEG segments to the first start-of-frame marker. */
    private static int[] jpeg(byte[] b) {
        int i = 2;
        while (i + 8 < b.length) {
            if (u8(b, i) != 0xff) {
                return null;
            }
            int marker = u8(b, i + 1);
            int length = u8(b, i + 2) << 8 | u8(b, i + 3);
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame) {
                return size(u8(b, i + 7) << 8 | u8(b, i + 8), u8(b, i + 5) << 8 | u8(b, i + 6));
            }
            i += 2 + length;
        }
        return null;
    }

    private static int[] size(int width, int height) {
        return width > 0 && height > 0 ? new int[] {width, height} : null;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static int int32(byte[] b, int i) {
        return u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3);
    }
}
