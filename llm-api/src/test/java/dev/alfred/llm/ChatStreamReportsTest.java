package dev.alfred.llm;

import dev.alfred.llm.spi.AbstractChatStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What a stream reports beside its parts reaches the response: citations, server tools (which a decoder
 * looks up again to add their results), unmodelled provider fields, and how long the text is so far.
 */
class ChatStreamReportsTest {

    /** Text, then a citation over it, a server tool and its result, and a field the port does not model. */
    private static final class Reporting extends AbstractChatStream {
        final List<Object> seen = new ArrayList<>();
        private int step;

        Reporting() {
            super("reporting");
        }

        @Override
        protected ChatDelta fetch() {
            switch (step++) {
                case 0:
                    return ChatDelta.text("Paris");
                case 1:
                    seen.add(reportedContentLength());
                    reportCitation(new Citation(0, reportedContentLength(), "url_citation", "Paris", "https://x", "X",
                            "{}"));
                    reportServerTool(new ServerToolUse("st-1", "web_search", "{\"q\":\"capital\"}", null, null));
                    seen.add(reportedServerTool("st-1"));
                    seen.add(reportedServerTool("st-2"));
                    reportServerTool(reportedServerTool("st-1").withResult("web_search_result", "[]"));
                    reportProviderField("choices[0].logprobs", "null");
                    return new ChatDelta.Refusal("");
                case 2:
                    return new ChatDelta.Refusal("no");
                default:
                    return null;
            }
        }

        @Override
        protected void abort() {
        }
    }

    @Test
    void reportsReachTheResponseAndAnEmptyRefusalIsNoPart() {
        Reporting s = new Reporting();
        List<ChatDelta> parts = new ArrayList<>();
        s.forEach(parts::add);
        assertEquals(List.of(ChatDelta.text("Paris"), new ChatDelta.Refusal("no")), parts,
                "an empty refusal part is dropped, a refusal with text is not");
        ChatResponse r = s.response();
        assertEquals(5, s.seen.get(0), "the text so far");
        assertEquals("web_search", ((ServerToolUse) s.seen.get(1)).name());
        assertNull(s.seen.get(2));
        assertEquals(List.of(new Citation(0, 5, "url_citation", "Paris", "https://x", "X", "{}")), r.citations());
        assertEquals(List.of(new ServerToolUse("st-1", "web_search", "{\"q\":\"capital\"}", "web_search_result", "[]")),
                r.serverTools());
        assertEquals(Map.of("choices[0].logprobs", "null"), r.providerFields());
        assertEquals("no", r.refusal());
    }
}
