package dev.alfred.llm.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library's one scrubber: it removes secrets from text that is about to leave the process
 * (exception messages and fields, log lines, the wire log, span attributes, what a tool loop tells the
 * model). It masks
 * <ul>
 *   <li>every configured secret whole, and every run of {@value #RUN} or more of its characters, so a key
 *       echoed by a server, cut by a length bound or split across two fields cannot be pieced back;</li>
 *   <li>anything shaped like an API key ({@code sk-} and at least 8 key characters), whoever's it is;</li>
 *   <li>the values of URL query parameters whose names say they are secret ({@code key}, {@code api_key},
 *       {@code api-key}, {@code apikey}, {@code token}, {@code access_token}, {@code sig},
 *       {@code signature}, {@code secret}, {@code password}, in any case), and the password of a URL's
 *       user-info.</li>
 * </ul>
 * Text is always scrubbed before it is cut ({@link #scrubAndBound}), never the other way round; a cut
 * never splits a surrogate pair. {@link #scrubbedCopy(Throwable)} makes a scrubbed copy of an exception chain
 * that a foreign library threw, so that a logger printing a stack trace prints no secret either.
 * Immutable and thread-safe.
 */
public final class SecretScrubber {

    /** The shortest run of a secret's characters that is removed. */
    public static final int RUN = 8;
    /** What stands in for a removed run. */
    public static final String MASK = "****";
    /** A scrubber without configured secrets: it still masks key-shaped text and URL secrets. */
    public static final SecretScrubber NONE = new SecretScrubber((String) null);

    /** Text shaped like an API key: {@code sk-}, {@code sk-proj-}, {@code sk-ant-…}. */
    private static final Pattern KEY_SHAPED = Pattern.compile("sk-[A-Za-z0-9_-]{8,}");
    /** A query parameter whose name says it is secret, and its value up to the next separator. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "([?&;](?i:key|api_key|api-key|apikey|token|access_token|sig|signature|secret|password)=)([^&#;\\s\"'<>]+)");
    /** A URL's user-info with a password: {@code scheme://user:password@}. */
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^/\\s:@?#]*):([^/\\s@?#]+)@");

    private final List<String> secrets;
    private final Set<String> runs;

    /**
     * A scrubber for one key.
     *
     * @param key the secret; null or empty configures none
     */
    public SecretScrubber(String key) {
        this(key == null ? List.of() : Collections.singletonList(key));
    }

    private SecretScrubber(Collection<String> secrets) {
        List<String> kept = new ArrayList<>();
        Set<String> windows = new HashSet<>();
        for (String s : secrets) {
            if (s == null || s.isEmpty()) {
                continue;
            }
            kept.add(s);
            for (int i = 0; i + RUN <= s.length(); i++) {
                windows.add(s.substring(i, i + RUN));
            }
        }
        this.secrets = List.copyOf(kept);
        this.runs = Set.copyOf(windows);
    }

    /**
     * A scrubber for several secrets, such as a provider's key and the secrets a tool loop was told of.
     *
     * @param secrets the secrets; null and empty ones are skipped
     * @return the scrubber
     * @throws NullPointerException if the collection is null
     */
    public static SecretScrubber of(Collection<String> secrets) {
        return new SecretScrubber(Objects.requireNonNull(secrets, "secrets"));
    }

    /**
     * This scrubber with one more secret.
     *
     * @param secret the secret; null or empty gives this scrubber
     * @return the scrubber
     */
    public SecretScrubber with(String secret) {
        if (secret == null || secret.isEmpty() || secrets.contains(secret)) {
            return this;
        }
        List<String> all = new ArrayList<>(secrets);
        all.add(secret);
        return new SecretScrubber(all);
    }

    /**
     * The text with every secret this scrubber knows masked by {@value #MASK} (see the class comment).
     *
     * @param text any text, or null
     * @return the scrubbed text (the same instance when nothing was masked), or null for null
     */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = maskRuns(text);
        s = replaceAll(KEY_SHAPED, s, false);
        if (s.indexOf('=') >= 0) {
            s = replaceAll(SECRET_PARAMETER, s, true);
        }
        if (s.indexOf('@') >= 0) {
            s = replaceAll(USER_INFO, s, true);
        }
        return s;
    }

    /** Replaces each match (or its group 2, keeping group 1) by the mask; the same instance when none. */
    private static String replaceAll(Pattern p, String text, boolean keepFirstGroup) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            out.append(text, last, m.start());
            if (keepFirstGroup) {
                out.append(m.group(1)).append(p == USER_INFO ? ":" + MASK + "@" : MASK);
            } else {
                out.append(MASK);
            }
            last = m.end();
        } while (m.find());
        return out.append(text, last, text.length()).toString();
    }

    private String maskRuns(String text) {
        String s = text;
        for (String secret : secrets) {
            if (secret.length() < RUN) {
                s = s.replace(secret, MASK);
            }
        }
        if (runs.isEmpty() || s.length() < RUN) {
            return s;
        }
        boolean[] covered = null;
        for (int i = 0; i + RUN <= s.length(); i++) {
            if (runs.contains(s.substring(i, i + RUN))) {
                if (covered == null) {
                    covered = new boolean[s.length()];
                }
                for (int j = i; j < i + RUN; j++) {
                    covered[j] = true;
                }
            }
        }
        if (covered == null) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (!covered[i]) {
                out.append(s.charAt(i));
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
        int cut = Math.max(0, max);
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + "… (" + (text.length() - cut) + " more characters)";
    }

    /**
     * A scrubbed copy of an exception chain, to keep as the cause of an exception this library throws:
     * each exception becomes a {@link Scrubbed} that names the original class, carries the scrubbed
     * message and the original stack trace, and has the scrubbed copies of the cause and suppressed
     * exceptions. A {@link Scrubbed} copy, or an exception of this library's own (an
     * {@code LlmException}, whose messages are scrubbed where they are made), is returned as it is.
     *
     * @param t the exception, or null
     * @return the copy, or null for null
     */
    public Throwable scrubbedCopy(Throwable t) {
        return copy(t, new IdentityHashMap<>());
    }

    private Throwable copy(Throwable t, Map<Throwable, Throwable> done) {
        if (t == null || t instanceof Scrubbed || t instanceof dev.alfred.llm.LlmException) {
            return t;
        }
        Throwable seen = done.get(t);
        if (seen != null) {
            return seen;
        }
        Scrubbed c = new Scrubbed(t.getClass().getName(), scrub(t.getMessage()));
        done.put(t, c);
        c.setStackTrace(t.getStackTrace());
        Throwable cause = copy(t.getCause(), done);
        if (cause != null) {
            c.initCause(cause);
        }
        for (Throwable s : t.getSuppressed()) {
            c.addSuppressed(copy(s, done));
        }
        return c;
    }

    /**
     * This scrubber's description, which names how many secrets it holds, never a secret.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "SecretScrubber{" + secrets.size() + " secrets}";
    }

    /**
     * A scrubbed stand-in for an exception a foreign library threw: it prints as the original would
     * ({@code java.net.ProtocolException: message}), with the original stack trace, but its message and
     * those of its causes are scrubbed.
     */
    public static final class Scrubbed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        /** The class of the exception this stands for. */
        private final String originalClass;

        Scrubbed(String originalClass, String message) {
            super(message);
            this.originalClass = originalClass;
        }

        /**
         * The name of the class of the exception this stands for, such as {@code java.net.ProtocolException}.
         *
         * @return the class name
         */
        public String originalClass() {
            return originalClass;
        }

        /**
         * Prints as the original exception would.
         *
         * @return the original class name and the scrubbed message
         */
        @Override
        public String toString() {
            String m = getLocalizedMessage();
            return m == null ? originalClass : originalClass + ": " + m;
        }
    }
}
