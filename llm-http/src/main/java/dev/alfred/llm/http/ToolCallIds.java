package dev.alfred.llm.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A server's rule for tool-call ids, and the mapping of ids another provider made into ids this server
 * accepts. A transcript can cross providers (Kimi names a call {@code functions.get_weather:0}, which
 * Anthropic refuses: its ids must match {@code ^[a-zA-Z0-9_-]+$}; Mistral wants exactly nine letters and
 * digits), so an encoder passes every replayed id — of an assistant's call and of the tool result that
 * answers it — through {@link #map}: an id the server accepts goes as it is; another becomes a
 * deterministic one that the server accepts, derived from the whole original id, so that a call and its
 * result stay paired within the request and the same history always gives the same bytes. Ids in the
 * server's answers are never touched. Immutable and thread-safe.
 */
public final class ToolCallIds {

    /** Any id goes as it is. */
    public static final ToolCallIds ANY = new ToolCallIds(null, 0);

    private static final char[] ALPHANUMERIC = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            .toCharArray();

    private final Pattern allowed;
    private final int fixedLength;

    private ToolCallIds(Pattern allowed, int fixedLength) {
        this.allowed = allowed;
        this.fixedLength = fixedLength;
    }

    /**
     * Ids made of letters, digits, {@code _} and {@code -} (Anthropic's {@code ^[a-zA-Z0-9_-]+$}). Another
     * id keeps its allowed characters, others turned to {@code _}, and gains {@code _} and eight hex digits
     * of its hash, so two ids that differ only in disallowed characters stay apart.
     *
     * @return the rule
     */
    public static ToolCallIds wordCharacters() {
        return new ToolCallIds(Pattern.compile("[a-zA-Z0-9_-]+"), 0);
    }

    /**
     * Ids of exactly this many letters and digits (Mistral: nine). Another id becomes that many letters and
     * digits of its hash.
     *
     * @param length the length
     * @return the rule
     * @throws IllegalArgumentException if length is not within 1..32
     */
    public static ToolCallIds alphanumeric(int length) {
        if (length < 1 || length > 32) {
            throw new IllegalArgumentException("length must be within 1..32, was " + length);
        }
        return new ToolCallIds(Pattern.compile("[a-zA-Z0-9]{" + length + "}"), length);
    }

    /**
     * Whether the server takes an id as it is.
     *
     * @param id the id
     * @return true when it matches the rule
     */
    public boolean accepts(String id) {
        return allowed == null || allowed.matcher(id).matches();
    }

    /**
     * The id to send for a replayed id: itself when the server accepts it, else the same mapped id every
     * time.
     *
     * @param id the id as the transcript has it
     * @return the id to send
     * @throws NullPointerException if id is null
     */
    public String map(String id) {
        Objects.requireNonNull(id, "id");
        if (accepts(id)) {
            return id;
        }
        byte[] hash = sha256(id);
        if (fixedLength > 0) {
            char[] out = new char[fixedLength];
            for (int i = 0; i < fixedLength; i++) {
                out[i] = ALPHANUMERIC[(hash[i] & 0xff) % ALPHANUMERIC.length];
            }
            return new String(out);
        }
        StringBuilder b = new StringBuilder(id.length() + 9);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            // ASCII letters, digits, '_' and '-', which all sort at or before 'z'; anything else is '_'
            b.append(c <= 'z' && (Character.isLetterOrDigit(c) || c == '_' || c == '-') ? c : '_');
        }
        b.append('_');
        for (int i = 0; i < 4; i++) {
            b.append(Character.forDigit((hash[i] >> 4) & 0xf, 16)).append(Character.forDigit(hash[i] & 0xf, 16));
        }
        return b.toString();
    }

    private static byte[] sha256(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The rule, for messages.
     *
     * @return the pattern ids must match, or {@code any}
     */
    @Override
    public String toString() {
        return allowed == null ? "any" : allowed.pattern();
    }
}
