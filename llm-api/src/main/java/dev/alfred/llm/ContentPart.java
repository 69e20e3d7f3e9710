package dev.alfred.llm;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;

/**
 * One part of a {@link UserMessage}: {@link Text} or an {@link Image}. Immutable and thread-safe.
 */
public sealed interface ContentPart permits ContentPart.Text, ContentPart.Image {

    /**
     * A text part.
     *
     * @param text the text
     * @return the part
     * @throws IllegalArgumentException if text is null or empty
     */
    static Text text(String text) {
        return new Text(text);
    }

    /**
     * An image sent inline.
     *
     * @param data      the encoded image (PNG, JPEG, GIF, WebP…)
     * @param mediaType its media type, such as {@code image/png}
     * @return the part
     * @throws IllegalArgumentException if data is empty or the media type is not {@code image/…}
     */
    static ImageBytes image(byte[] data, String mediaType) {
        return new ImageBytes(data, mediaType);
    }

    /**
     * An image the provider fetches itself; not every provider does (see
     * {@link Capabilities.Feature#IMAGE_URLS}).
     *
     * @param url an http(s) URL, or a {@code data:} URL
     * @return the part
     * @throws IllegalArgumentException if url is not absolute
     */
    static ImageUrl imageUrl(URI url) {
        return new ImageUrl(url);
    }

    /**
     * An image uploaded to the provider before, by its file id (Kimi: {@code ms://<id>} or the bare id).
     *
     * @param fileId the provider's file id
     * @return the part
     * @throws IllegalArgumentException if fileId is null or blank
     */
    static ImageFile imageFile(String fileId) {
        return new ImageFile(fileId);
    }

    /**
     * Text.
     *
     * @param text the text, never null or empty
     */
    record Text(String text) implements ContentPart {
        /**
         * Validates the part.
         *
         * @param text the text
         * @throws IllegalArgumentException if text is null or empty
         */
        public Text {
            if (text == null || text.isEmpty()) {
                throw new IllegalArgumentException("text part must not be null or empty");
            }
        }
    }

    /** An image, from bytes, a URL or a provider's file id. */
    sealed interface Image extends ContentPart permits ImageBytes, ImageUrl, ImageFile {
    }

    /**
     * An image sent inline. The array is copied in and out, so the part stays immutable.
     *
     * @param data      the encoded image, never empty
     * @param mediaType its media type, {@code image/…}, lower case
     */
    record ImageBytes(byte[] data, String mediaType) implements Image {
        /**
         * Validates and copies the image.
         *
         * @param data the encoded image
         * @param mediaType its media type
         * @throws IllegalArgumentException if data is null or empty, or mediaType is not {@code image/…}
         */
        public ImageBytes {
            if (data == null || data.length == 0) {
                throw new IllegalArgumentException("image data must not be null or empty");
            }
            if (mediaType == null || !mediaType.toLowerCase(Locale.ROOT).matches("image/[a-z0-9.+-]+")) {
                throw new IllegalArgumentException("image media type must be image/<subtype>, was " + mediaType);
            }
            data = data.clone();
            mediaType = mediaType.toLowerCase(Locale.ROOT);
        }

        /**
         * A copy of the encoded image.
         *
         * @return the bytes
         */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ImageBytes other && mediaType.equals(other.mediaType) && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return 31 * mediaType.hashCode() + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "ImageBytes[" + mediaType + ", " + data.length + " bytes]";
        }
    }

    /**
     * An image at a URL.
     *
     * @param url the absolute URL
     */
    record ImageUrl(URI url) implements Image {
        /**
         * Validates the part.
         *
         * @param url the URL
         * @throws IllegalArgumentException if url is null or not absolute
         */
        public ImageUrl {
            if (url == null || !url.isAbsolute()) {
                throw new IllegalArgumentException("image URL must be absolute, was " + url);
            }
        }
    }

    /**
     * An image the provider already holds.
     *
     * @param fileId the provider's file id
     */
    record ImageFile(String fileId) implements Image {
        /**
         * Validates the part.
         *
         * @param fileId the id
         * @throws IllegalArgumentException if fileId is null or blank
         */
        public ImageFile {
            if (fileId == null || fileId.isBlank()) {
                throw new IllegalArgumentException("image file id must not be null or blank");
            }
        }
    }
}
