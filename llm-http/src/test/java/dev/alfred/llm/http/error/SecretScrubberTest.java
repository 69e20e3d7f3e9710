package dev.alfred.llm.http.error;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Every run of 8 key characters goes; text is scrubbed before it is cut; cuts respect surrogates. */
class SecretScrubberTest {

    private static final String KEY = "sk-ABCDEFGHIJKLMNOP";
    private final SecretScrubber scrubber = new SecretScrubber(KEY);

    @Test
    void theKeyAndEveryRunOfEightOfItsCharactersAreMasked() {
        assertEquals("a **** b", scrubber.scrub("a " + KEY + " b"));
        assertEquals("head **** tail", scrubber.scrub("head " + KEY.substring(0, 8) + " tail"), "a prefix of 8");
        assertEquals("head **** tail", scrubber.scrub("head " + KEY.substring(5, 13) + " tail"), "a middle run of 8");
        assertEquals("x " + KEY.substring(0, 7) + " y", scrubber.scrub("x " + KEY.substring(0, 7) + " y"), "7 is not a run");
        assertEquals("****|****", scrubber.scrub(KEY + "|" + KEY));
        String plain = "nothing secret here at all";
        assertSame(plain, scrubber.scrub(plain), "text without the key is returned as it is");
        assertNull(scrubber.scrub(null));
        assertEquals("", scrubber.scrub(""));
        assertEquals("short", new SecretScrubber(null).scrub("short"));
        assertEquals("short", new SecretScrubber("").scrub("short"));
    }

    @Test
    void aKeyShorterThanARunIsMaskedWhole() {
        assertEquals("a **** b abcdef", new SecretScrubber("abcdefg").scrub("a abcdefg b abcdef"));
        assertEquals("****", new SecretScrubber("abcdefgh").scrub("abcdefgh"), "a key of exactly 8 is one run");
    }

    @Test
    void scrubbingComesBeforeTheCut() {
        String text = "x".repeat(10) + KEY;
        assertEquals("xxxxxxxxxx****", scrubber.scrubAndBound(text, 14));
        assertEquals("xxxxxxxxxx**… (2 more characters)", scrubber.scrubAndBound(text, 12));
    }

    @Test
    void boundCutsOnlyPastTheLimitAndNeverInsideASurrogatePair() {
        assertEquals("abc", SecretScrubber.bound("abc", 3));
        assertEquals("ab… (1 more characters)", SecretScrubber.bound("abc", 2));
        assertEquals("a… (2 more characters)", SecretScrubber.bound("a🙂", 2), "the emoji is not split");
        assertEquals("… (2 more characters)", SecretScrubber.bound("🙂", 1));
        assertEquals("… (3 more characters)", SecretScrubber.bound("abc", 0));
        assertNull(SecretScrubber.bound(null, 5));
    }
}
