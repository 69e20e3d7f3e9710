package dev.alfred.llm;

import java.util.List;

/**
 * What the user says: text parts and images, in order.
 *
 * @param parts the content, never null or empty
 */
public record UserMessage(List<ContentPart> parts) implements ChatMessage {

    /**
     * Validates and copies the parts.
     *
     * @param parts the content, never null or empty
     * @throws IllegalArgumentException if parts is null or empty, or holds a null
     */
    public UserMessage {
        if (parts == null || parts.isEmpty()) {
            throw new IllegalArgumentException("user message must have at least one part");
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) == null) {
                throw new IllegalArgumentException("user message parts[" + i + "] must not be null");
            }
        }
        parts = List.copyOf(parts);
    }

    @Override
    public Role role() {
        return Role.USER;
    }

    /**
     * The text parts joined, images left out.
     *
     * @return the text, possibly empty
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Text t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    /**
     * Whether any part is an image.
     *
     * @return true when the message carries an image
     */
    public boolean hasImage() {
        for (ContentPart p : parts) {
            if (p instanceof ContentPart.Image) {
                return true;
            }
        }
        return false;
    }
}
