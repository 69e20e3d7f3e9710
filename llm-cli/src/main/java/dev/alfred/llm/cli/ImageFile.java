package dev.alfred.llm.cli;

import dev.alfred.llm.ContentPart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An {@code --image} file, read and recognised by its first bytes (the PNG, JPEG, GIF and WebP signatures),
 * never by its name: a JPEG named {@code .png} is sent as {@code image/jpeg}, and an executable named
 * {@code .png} is refused, saying what it is. Stateless.
 */
final class ImageFile {

    /** What an image may be, in the order the messages name them. */
    static final String ACCEPTED = "a PNG, JPEG, GIF or WebP image";

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    private ImageFile() {
    }

    /**
     * Reads an image to attach.
     *
     * @param file     the file, as the user named it
     * @param maxBytes the most bytes one image may have
     * @return the image part, typed by its bytes
     * @throws IllegalArgumentException with a message that starts {@code --image FILE:} and says what is
     *                                  wrong: no such file, a directory, permission denied, empty or too
     *                                  large, or not an image of an accepted type (naming what it is, when
     *                                  known)
     */
    static ContentPart read(Path file, long maxBytes) {
        String name = "--image " + file + ": ";
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(name + "is a directory, not " + ACCEPTED);
        }
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size == 0 || size > maxBytes) {
                throw new IllegalArgumentException(name + size + " bytes; an image must have 1 to " + maxBytes + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + "cannot read it: " + reason(e));
        }
        String type = mediaType(bytes);
        if (type == null) {
            String what = describe(bytes);
            throw new IllegalArgumentException(name + (what == null ? "not " + ACCEPTED
                    + " (its first bytes match none of their signatures)" : what + ", not " + ACCEPTED));
        }
        return ContentPart.image(bytes, type);
    }

    /**
     * Why a file could not be read, in a user's words.
     *
     * @param e the failure
     * @return such as {@code no such file} or {@code permission denied}
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "a part of its path is not a directory";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * The media type the first bytes announce.
     *
     * @param b the file's bytes (only the first twelve are looked at)
     * @return {@code image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/webp}, or null
     */
    static String mediaType(byte[] b) {
        if (startsWith(b, PNG)) {
            return "image/png";
        }
        if (startsWith(b, JPEG)) {
            return "image/jpeg";
        }
        if (startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a"))) {
            return "image/gif";
        }
        if (b.length >= 12 && startsWith(b, ascii("RIFF")) && Arrays.equals(b, 8, 12, ascii("WEBP"), 0, 4)) {
            return "image/webp";
        }
        return null;
    }

    /**
     * What a file that is no accepted image seems to be, for the message.
     *
     * @param b the file's bytes
     * @return such as {@code an ELF executable}, or null when its signature is not one known here
     */
    static String describe(byte[] b) {
        if (startsWith(b, ELF)) {
            return "an ELF executable";
        }
        if (startsWith(b, ascii("%PDF"))) {
            return "a PDF document";
        }
        if (startsWith(b, new byte[] {'P', 'K', 3, 4})) {
            return "a ZIP archive";
        }
        if (startsWith(b, ascii("BM"))) {
            return "a BMP image";
        }
        if (startsWith(b, ascii("II*\0")) || startsWith(b, ascii("MM\0*"))) {
            return "a TIFF image";
        }
        if (b.length >= 12 && Arrays.equals(b, 4, 8, ascii("ftyp"), 0, 4)) {
            return "an ISO media file (HEIC, AVIF or video)";
        }
        return null;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }
}
