package dev.alfred.llm.http.internal;

import dev.alfred.llm.spi.SecretScrubber;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire log's bodies: scrubbed, then cut at 16 Ki characters, with the whole length named. */
class WireLogTest {

    private static final String KEY = "sk-wirelog-0123456789abcdef";
    private static final SecretScrubber SCRUBBER = new SecretScrubber(KEY);

    private static String text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return WireLog.text(b, b.length, SCRUBBER);
    }

    @Test
    void aBodyUpToTheBoundIsShownWholeAndScrubbed() {
        String exact = "a".repeat(WireLog.MAX_BODY_CHARS);
        assertEquals(exact, text(exact), "exactly the bound: nothing cut");
        String mid = "b".repeat(10_000);
        assertEquals(mid, text(mid));
        assertEquals("key ****", text("key " + KEY));
        assertEquals("", text(""));
    }

    @Test
    void aLongerBodyIsCutAndCounted() {
        String longer = "c".repeat(WireLog.MAX_BODY_CHARS + 1);
        assertEquals("c".repeat(WireLog.MAX_BODY_CHARS) + "… (16385 bytes in all)", text(longer));
        byte[] big = "d".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
        assertEquals("d".repeat(WireLog.MAX_BODY_CHARS) + "… (1048576 bytes in all)", WireLog.text(big, big.length, SCRUBBER));
        assertEquals("dd", WireLog.text(big, 2, SCRUBBER), "only the valid bytes count");
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        String s = "e".repeat(WireLog.MAX_BODY_CHARS - 1) + "🙂" + "tail";
        String shown = text(s);
        assertEquals("e".repeat(WireLog.MAX_BODY_CHARS - 1) + "… (" + s.getBytes(StandardCharsets.UTF_8).length
                + " bytes in all)", shown);
    }

    @Test
    void aKeySplitByTheCutIsStillMasked() {
        String s = "f".repeat(WireLog.MAX_BODY_CHARS - 10) + KEY + "g".repeat(100);
        String shown = text(s);
        assertFalse(shown.contains(KEY.substring(0, 10)), shown.substring(shown.length() - 60));
        assertTrue(shown.contains("****"));
    }

    @Test
    void secretHeadersAreNamedByWhatTheySpeakOf() {
        for (String secret : new String[] {"Authorization", "x-api-key", "X-Goog-Api-Key", "api-token", "X-Secret",
            "Cookie", "Set-Cookie", "X-Amz-Signature", "Proxy-Authorization"}) {
            assertTrue(WireLog.isSecret(secret), secret);
        }
        for (String plain : new String[] {"Content-Type", "x-request-id", "anthropic-version", "Accept"}) {
            assertFalse(WireLog.isSecret(plain), plain);
        }
    }
}
