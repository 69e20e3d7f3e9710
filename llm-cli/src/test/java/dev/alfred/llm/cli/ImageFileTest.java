package dev.alfred.llm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Images told by their first bytes, and files that are none, named for what they are. */
class ImageFileTest {

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    @ParameterizedTest
    @CsvSource({
        "89504e470d0a1a0a0000000d, image/png",
        "ffd8ffe000104a4649460001, image/jpeg",
        "ffd8ffdb, image/jpeg",
        "474946383761, image/gif",
        "474946383961, image/gif",
        "52494646 24000000 57454250 5650, image/webp",
        "52494646 24000000 57454250, image/webp",
    })
    void eachAcceptedSignatureGivesItsType(String bytes, String type) {
        assertEquals(type, ImageFile.mediaType(hex(bytes)));
    }

    @ParameterizedTest
    @CsvSource({
        "89504e470d0a1a",                  // a PNG signature cut short
        "89504e470d0a1a0b",                // its last byte wrong
        "ffd8",                            // a JPEG's first two bytes only
        "474946383861",                    // GIF88a is no GIF
        "52494646 24000000 57415645",      // RIFF, but WAVE
        "52494646 24000000 574542",        // RIFF, WEB cut short
        "''",
    })
    void nearMissesAreNoImage(String bytes) {
        assertNull(ImageFile.mediaType(hex(bytes)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "7f454c46020101|an ELF executable",
        "255044462d312e37|a PDF document",
        "504b0304|a ZIP archive",
        "424d3600|a BMP image",
        "49492a00|a TIFF image",
        "4d4d002a|a TIFF image",
        "00000018 66747970 68656963|an ISO media file (HEIC, AVIF or video)",
    })
    void otherFilesAreNamed(String bytes, String what) {
        assertEquals(what, ImageFile.describe(hex(bytes)));
    }

    @Test
    void textIsNotNamed() {
        assertNull(ImageFile.describe("hello there".getBytes(StandardCharsets.US_ASCII)));
        assertNull(ImageFile.describe(hex("7f454c")));
        assertNull(ImageFile.describe(hex("0000001866747970")), "ftyp needs its brand");
    }

    @Test
    void aFileThatCannotBeReadSaysWhyInPlainWords() {
        assertEquals("no such file", ImageFile.reason(new NoSuchFileException("/x/cat.png")));
        assertEquals("permission denied", ImageFile.reason(new AccessDeniedException("/x/cat.png")));
        assertEquals("a part of its path is not a directory", ImageFile.reason(new NotDirectoryException("/x")));
        assertEquals("Input/output error", ImageFile.reason(new IOException("Input/output error")));
        assertEquals("IOException", ImageFile.reason(new IOException()));
    }

    @Test
    void readTypesTheImageAndRefusesWhatItCannotSend(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        java.nio.file.Path gif = java.nio.file.Files.write(dir.resolve("a.jpg"), hex("4749463839610100"));
        dev.alfred.llm.ContentPart.ImageBytes image = (dev.alfred.llm.ContentPart.ImageBytes) ImageFile.read(gif, 8);
        assertEquals("image/gif", image.mediaType());
        assertEquals("--image " + gif + ": 8 bytes; an image must have 1 to 7 bytes", refusal(gif, 7));
        java.nio.file.Path empty = java.nio.file.Files.write(dir.resolve("e.png"), new byte[0]);
        assertEquals("--image " + empty + ": 0 bytes; an image must have 1 to 7 bytes", refusal(empty, 7));
        java.nio.file.Path pdf = java.nio.file.Files.write(dir.resolve("p.png"), hex("255044462d31"));
        assertEquals("--image " + pdf + ": a PDF document, not a PNG, JPEG, GIF or WebP image", refusal(pdf, 99));
        java.nio.file.Path text = java.nio.file.Files.write(dir.resolve("t.png"), hex("68656c6c6f"));
        assertEquals("--image " + text + ": not a PNG, JPEG, GIF or WebP image (its first bytes match none of their"
                + " signatures)", refusal(text, 99));
        assertEquals("--image " + dir + ": is a directory, not a PNG, JPEG, GIF or WebP image", refusal(dir, 99));
        java.nio.file.Path gone = dir.resolve("gone.png");
        assertEquals("--image " + gone + ": cannot read it: no such file", refusal(gone, 99));
    }

    private static String refusal(java.nio.file.Path file, long max) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ImageFile.read(file, max))
                .getMessage();
    }
}
