package dev.alfred.llm.spi;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A scrubbed copy keeps the shape of an exception graph: one copy per exception, however often it is met. */
class ScrubbedCopyTest {

    private static final String KEY = "sk-COPYTEST-0123456789";

    @Test
    void anExceptionMetTwiceIsCopiedOnceAndNamesItsClass() {
        IOException shared = new IOException("reset while sending " + KEY);
        RuntimeException top = new RuntimeException("failed", shared);
        top.addSuppressed(shared);
        SecretScrubber.Scrubbed copy = (SecretScrubber.Scrubbed) new SecretScrubber(KEY).scrubbedCopy(top);
        SecretScrubber.Scrubbed cause = (SecretScrubber.Scrubbed) copy.getCause();
        assertSame(cause, copy.getSuppressed()[0], "the cause and the suppressed one are the same copy");
        assertEquals("java.io.IOException", cause.originalClass());
        assertEquals("reset while sending ****", cause.getMessage());
        assertEquals("java.lang.RuntimeException: failed", copy.toString());
    }
}
