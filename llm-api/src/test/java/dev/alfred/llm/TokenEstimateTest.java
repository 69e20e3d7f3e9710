package dev.alfred.llm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented rule of thumb, figure by figure. */
class TokenEstimateTest {

    private static long count(ChatRequest r) {
        TokenCount c = TokenCounter.estimate().count(r);
        assertTrue(c.isEstimate());
        assertEquals(TokenEstimate.METHOD, c.method());
        return c.tokens();
    }

    @Test
    void textIsAQuarterTokenPerAsciiCharacterRoundedUpAndOnePerOtherCharacter() {
        assertEquals(0, TokenEstimate.text(null));
        assertEquals(0, TokenEstimate.text(""));
        assertEquals(1, TokenEstimate.text("a"));
        assertEquals(1, TokenEstimate.text("abcd"));
        assertEquals(2, TokenEstimate.text("abcde"));
        assertEquals(2, TokenEstimate.text("日本"));
        assertEquals(1, TokenEstimate.text("😀"));
        assertEquals(3, TokenEstimate.text("ab日本"));
    }

    @Test
    void everyMessageKindCountsWithItsFramingAndThePriming() {
        assertEquals(3 + 4 + 1, count(ChatRequest.of("hi")));
        ChatRequest r = ChatRequest.builder().system("abcdefgh")
                .user(new ContentPart.Text("abcd"), ContentPart.imageUrl(java.net.URI.create("https://x/y.png")))
                .message(new AssistantMessage("abcd", "", List.of(new ToolCall("c1", "clock", "{}", ToolCall.Status.COMPLETE)), ProviderState.NONE))
                .message(new ToolMessage("c1", "clock", "12:00", false))
                .build();
        long expected = 3 + (4 + 2) + (4 + 1 + 1000) + (4 + 1 + 3 + 2 + 1) + (4 + 2 + 2);
        assertEquals(expected, count(r));
    }

    @Test
    void toolsCountTheirNameDescriptionAndSchema() {
        ToolDefinition tool = ToolDefinition.function("abcd", "abcdefgh", JsonSchema.of("{\"a\":1}"));
        ChatRequest r = ChatRequest.builder().user("hi").tools(tool).build();
        assertEquals(3 + 5 + (4 + 1 + 2 + 2), count(r));
    }
}
