package dev.alfred.llm.http.error;

import java.util.HashSet;
import java.util.Set;

/**
 * Removes an API key from text that is about to leave the process (exception messages and fields, log
 * lines): the whole key, and every run of {@value #RUN} or more characters of it, so that a key echoed
 * by a server, cut by a length bound or split across two fields cannot be pieced back together.
 * Text is always scrubbed before it is cut ({@link #scrubAndBound}), never the other way round.
 * Immutable and thread-safe.
 */
public final class SecretScrubber {

    /** The shortest run of key characters that is removed. */
    public static final int RUN = 8;
    /** What stands in for a removed run. */
    public static final String MASK = "****";

    private final String key;
    private final Set<String> runs;

    /**
     * A scrubber for one key.
     *
     * @param key the secret; null or empty scrubs nothing
     */
    public SecretScrubber(String key) {
        this.key = key == null ? "" : key;
        Set<String> windows = new HashSet<>();
        if (this.key.length() >= RUN) {
            for (int i = 0; i + RUN <= this.key.length(); i++) {
                windows.add(this.key.substring(i, i + RUN));
            }
        }
        this.runs = Set.copyOf(windows);
    }

    /**
     * The text with the key and every run of {@value #RUN} or more of its characters replaced by
     * {@value #MASK}. A key shorter than {@value #RUN} characters is removed where it appears whole.
     *
     * @param text any text, or null
     * @return the scrubbed text, or null for null
     */
    public String scrub(String text) {
        if (text == null || key.isEmpty() || text.isEmpty()) {
            return text;
        }
        if (runs.isEmpty()) {
            return text.replace(key, MASK);
        }
        boolean[] covered = null;
        for (int i = 0; i + RUN <= text.length(); i++) {
            if (runs.contains(text.substring(i, i + RUN))) {
                if (covered == null) {
                    covered = new boolean[text.length()];
                }
                for (int j = i; j < i + RUN; j++) {
                    covered[j] = true;
                }
            }
        }
        if (covered == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (!covered[i]) {
                out.append(text.charAt(i));
            } else if (i == 0 || !covered[i - 1]) {
                out.append(MASK);
            }
        }
        return out.toString();
    }

    /**
     * Scrubs, then bounds the length: what is over {@code max} characters is cut (never inside a
     * surrogate pair) and replaced by {@code … (N more characters)}.
     *
     * @param text any text, or null
     * @param max  the most characters of the text to keep
     * @return the scrubbed, bounded text, or null for null
     */
    public String scrubAndBound(String text, int max) {
        return bound(scrub(text), max);
    }

    /**
     * Bounds the length of text that holds no secret: over {@code max} characters it is cut (never
     * inside a surrogate pair) and ends in {@code … (N more characters)}.
     *
     * @param text any text, or null
     * @param max  the most characters to keep
     * @return the bounded text, or null for null
     */
    public static String bound(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int cut = max;
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "… (" + (text.length() - cut) + " more characters)";
    }
}
