package dev.alfred.llm.testkit;

import dev.alfred.llm.LlmException;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Finds an API key in text that leaves the process: the whole key, or any run of {@value #RUN} or more
 * of its characters (what survives when a key is cut by a length bound, or echoed back in part).
 * Thread-safe; stateless.
 */
public final class KeyLeaks {

    /** The shortest run of key characters that counts as a leak. */
    public static final int RUN = 8;

    private KeyLeaks() {
    }

    /**
     * The first run of {@value #RUN} key characters found in the text.
     *
     * @param key  the secret
     * @param text any text, or null
     * @return the leaked run, or empty when there is none
     */
    public static Optional<String> find(String key, String text) {
        if (text == null || key == null || key.length() < RUN) {
            return Optional.empty();
        }
        for (int i = 0; i + RUN <= key.length(); i++) {
            String run = key.substring(i, i + RUN);
            if (text.contains(run)) {
                return Optional.of(run);
            }
        }
        return Optional.empty();
    }

    /**
     * Fails when the text holds a run of the key.
     *
     * @param key   the secret
     * @param where what the text is, for the failure message
     * @param text  the text
     * @throws AssertionError naming where the key leaked (and only the run's length, not the run)
     */
    public static void assertNone(String key, String where, String text) {
        find(key, text).ifPresent(run -> {
            throw new AssertionError("the API key leaked into " + where + " (a run of " + run.length()
                    + " of its characters): " + text.replace(run, "<LEAK>"));
        });
    }

    /**
     * Fails when any string an exception chain carries holds a run of the key: every message,
     * {@code toString}, {@link LlmException#errorType()} and {@link LlmException#traceId()}, through
     * causes and suppressed exceptions.
     *
     * @param key the secret
     * @param t   the exception, or null
     * @throws AssertionError naming where the key leaked
     */
    public static void assertNone(String key, Throwable t) {
        check(key, t, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void check(String key, Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        String name = t.getClass().getSimpleName();
        assertNone(key, name + "'s message", t.getMessage());
        assertNone(key, name + "'s toString", t.toString());
        if (t instanceof LlmException) {
            LlmException e = (LlmException) t;
            assertNone(key, name + "'s errorType()", e.errorType().orElse(null));
            assertNone(key, name + "'s traceId()", e.traceId().orElse(null));
        }
        check(key, t.getCause(), seen);
        for (Throwable s : t.getSuppressed()) {
            check(key, s, seen);
        }
    }
}
