package dev.alfred.llm.spi;

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

    @Test
    void secretQueryParametersAndUserInfoPasswordsAreMaskedInAnyText() {
        SecretScrubber none = SecretScrubber.NONE;
        assertEquals("GET https://h/v1?api_key=**** failed", none.scrub("GET https://h/v1?api_key=abc123 failed"));
        assertEquals("https://h/v1?x=1&KEY=****&y=2", none.scrub("https://h/v1?x=1&KEY=v4lue&y=2"), "any case, value only");
        for (String name : new String[] {"key", "api_key", "api-key", "apikey", "token", "access_token", "sig",
                "signature", "secret", "password", "Sig", "ApiKey"}) {
            assertEquals("u?" + name + "=****", none.scrub("u?" + name + "=s3cr3t"), name);
        }
        assertEquals("u?keys=visible&monkey=visible", none.scrub("u?keys=visible&monkey=visible"), "only whole names");
        assertEquals("https://alice:****@host/v1", none.scrub("https://alice:hunter2@host/v1"));
        assertEquals("mail alice@example.com", none.scrub("mail alice@example.com"), "an address is not user-info");
        assertEquals("'https://h/?sig=****'", none.scrub("'https://h/?sig=abc%2Bdef'"), "stops at a quote");
    }

    @Test
    void keyShapedTextAndSeveralSecretsAreMasked() {
        SecretScrubber two = SecretScrubber.of(java.util.List.of("first-secret-value", "second-secret-value"));
        assertEquals("a **** b **** c ****", two.scrub("a first-secret-value b second-secret-value c sk-proj-0123456789"));
        assertEquals("sk-short", SecretScrubber.NONE.scrub("sk-short"), "fewer than 8 key characters is not a key");
        assertSame(two, two.with(null));
        assertSame(two, two.with("first-secret-value"));
        assertEquals("x **** y", SecretScrubber.NONE.with("third-secret").scrub("x third-secret y"));
        assertEquals("SecretScrubber{2 secrets}", two.toString());
    }

    @Test
    void aScrubbedCopyOfAForeignExceptionChainCarriesNoSecretButKeepsItsShape() {
        java.io.IOException root = new java.io.IOException("reset by " + KEY);
        java.net.ProtocolException top = new java.net.ProtocolException("bad status line: HTTP/1.1 200 " + KEY);
        top.initCause(root);
        top.addSuppressed(new IllegalStateException("also " + KEY));
        Throwable copy = scrubber.scrubbedCopy(top);
        assertEquals("java.net.ProtocolException: bad status line: HTTP/1.1 200 ****", copy.toString());
        assertEquals("java.io.IOException: reset by ****", copy.getCause().toString());
        assertEquals("java.lang.IllegalStateException: also ****", copy.getSuppressed()[0].toString());
        org.junit.jupiter.api.Assertions.assertArrayEquals(top.getStackTrace(), copy.getStackTrace());
        java.io.StringWriter printed = new java.io.StringWriter();
        copy.printStackTrace(new java.io.PrintWriter(printed));
        assertEquals(-1, printed.toString().indexOf(KEY.substring(3, 11)), printed.toString());
        assertSame(copy, scrubber.scrubbedCopy(copy), "a copy is not copied again");
        dev.alfred.llm.LlmException own = new dev.alfred.llm.LlmException("ours", null);
        assertSame(own, scrubber.scrubbedCopy(own), "the library's own exceptions are scrubbed where made");
        assertNull(scrubber.scrubbedCopy(null));
        assertEquals("java.lang.RuntimeException", scrubber.scrubbedCopy(new RuntimeException()).toString());
    }
}
