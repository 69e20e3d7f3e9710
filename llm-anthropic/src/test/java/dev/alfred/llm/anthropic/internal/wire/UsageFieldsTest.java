package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.Usage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Usage merged field by field, replacing; the prompt counts the cached tokens too. */
class UsageFieldsTest {

    private static UsageFields of(long input, long output, long creation, long read) {
        UsageFields u = new UsageFields();
        u.input = input;
        u.output = output;
        u.cacheCreation = creation;
        u.cacheRead = read;
        return u;
    }

    @Test
    void nothingReportedIsNoUsageAndAnyOneFieldIsSome() {
        assertNull(new UsageFields().toUsage());
        assertEquals(new Usage(0, 0, 0, 0, 0, 0), of(0, -1, -1, -1).toUsage());
        assertEquals(new Usage(0, 0, 0, 0, 0, 0), of(-1, 0, -1, -1).toUsage());
        assertEquals(new Usage(0, 0, 0, 0, 0, 0), of(-1, -1, 0, -1).toUsage());
        assertEquals(new Usage(0, 0, 0, 0, 0, 0), of(-1, -1, -1, 0).toUsage());
        assertEquals(new Usage(3 + 5 + 7, 11, 26, 7, 5, 0), of(3, 11, 5, 7).toUsage());
    }

    @Test
    void aLaterCountReplacesAnEarlierOneZeroIncludedAndAnAbsentOneKeepsIt() {
        UsageFields u = of(20, 1, 4, 6);
        u.merge(of(0, 88, -1, 0));
        assertEquals(of(0, 88, 4, 0).toUsage(), u.toUsage());
        u.merge(of(-1, -1, 0, -1));
        assertEquals(new Usage(0, 88, 88, 0, 0, 0), u.toUsage());
        u.merge(of(-1, 0, -1, -1));
        assertEquals(new Usage(0, 0, 0, 0, 0, 0), u.toUsage(), "an output of zero replaces too");
    }

    @Test
    void sumsSaturateInsteadOfOverflowing() {
        Usage u = of(Long.MAX_VALUE, Long.MAX_VALUE, 1, 0).toUsage();
        assertEquals(Long.MAX_VALUE, u.promptTokens());
        assertEquals(Long.MAX_VALUE, u.totalTokens());
        assertEquals(Long.MAX_VALUE - 1, of(Long.MAX_VALUE - 2, 1, 0, 0).toUsage().totalTokens());
    }
}
