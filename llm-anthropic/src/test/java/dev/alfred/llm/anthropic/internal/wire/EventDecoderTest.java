package dev.alfred.llm.anthropic.internal.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field of every event and of a whole message, and what is malformed. */
class EventDecoderTest {

    private final EventDecoder.Streaming decoder = EventDecoder.streaming();

    private Event feed(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(java.util.Arrays.copyOf(b, b.length + 5), b.length);
    }

    private static EventDecoder.Message message(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new EventDecoder().decodeMessage(b, b.length);
    }

    @Test
    void messageStartCarriesIdModelAndUsageAndTheNextEventStartsClean() {
        Event e = feed("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"m\",\"content\":[{\"x\":1}],"
                + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1,\"cache_creation_input_tokens\":2,"
                + "\"cache_read_input_tokens\":3,\"service_tier\":\"standard\"}}}");
        assertEquals("message_start", e.type());
        assertEquals("msg_1", e.messageId());
        assertEquals("m", e.model());
        assertTrue(e.hasUsage());
        assertEquals(new dev.alfred.llm.Usage(10, 1, 11, 3, 2, 0), e.usage().toUsage());
        Event ping = feed("{\"type\": \"ping\"}");
        assertEquals("ping", ping.type());
        assertNull(ping.messageId());
        assertNull(ping.model());
        assertFalse(ping.hasUsage());
        assertNull(ping.usage().toUsage());
        assertEquals(-1, ping.index());
    }

    @Test
    void blockStartsDeltasAndStopsCarryTheirFields() {
        Event start = feed("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\","
                + "\"name\":\"f\",\"input\":{},\"caller\":{\"type\":\"direct\"}}}");
        assertEquals(List.of("tool_use", "t", "f"), List.of(start.blockType(), start.blockId(), start.blockName()));
        assertEquals(2, start.index());
        Event thinking = feed("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\","
                + "\"thinking\":\"hm\",\"signature\":\"s\"}}");
        assertEquals(List.of("hm", "s"), List.of(thinking.blockText(), thinking.blockSignature()));
        assertNull(thinking.blockId());
        assertEquals("d", feed("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"redacted_thinking\","
                + "\"data\":\"d\"}}").blockData());
        for (String[] d : new String[][] {{"text_delta", "text"}, {"input_json_delta", "partial_json"},
                {"thinking_delta", "thinking"}, {"signature_delta", "signature"}}) {
            Event delta = feed("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"" + d[0] + "\",\""
                    + d[1] + "\":\"v\",\"citation\":{\"a\":[1]}}}");
            assertEquals(List.of(d[0], "v"), List.of(delta.deltaType(), delta.deltaValue()));
        }
        Event md = feed("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
                + "\"usage\":{\"output_tokens\":9}}");
        assertEquals("tool_use", md.stopReason());
        assertTrue(md.hasUsage());
        assertEquals(9, md.usage().output);
        assertEquals(-1, md.usage().input);
    }

    @Test
    void anErrorCarriesItsTypeMessageAndRequestIdAndAStringErrorIsOneToo() {
        Event e = feed("{\"type\":\"error\",\"error\":{\"details\":null,\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}"
                + "        ,\"request_id\":\"req_1\"}");
        assertEquals(List.of("overloaded_error", "Overloaded", "req_1"), List.of(e.errorType(), e.errorMessage(), e.requestId()));
        Event untyped = feed("{\"error\":{\"message\":\"m\"}}");
        assertEquals("error", untyped.errorType());
        Event text = feed("{\"error\":\"boom\"}");
        assertEquals(List.of("error", "boom"), List.of(text.errorType(), text.errorMessage()));
        assertNull(feed("{\"error\":[1]}").errorMessage());
    }

    @Test
    void oddIndicesAndCountsAreNotUsedAndTheirValuesAreSkipped() {
        Event e = feed("{\"index\":{\"a\":[1]},\"type\":\"content_block_stop\",\"usage\":{\"input_tokens\":null,"
                + "\"output_tokens\":1.5,\"cache_read_input_tokens\":99999999999999999999,\"cache_creation_input_tokens\":-4,"
                + "\"x\":{\"y\":1}},\"content_block\":[1],\"delta\":\"no\",\"message\":7}");
        assertEquals(-1, e.index());
        assertEquals("content_block_stop", e.type());
        assertEquals(List.of(-1L, -1L, -1L, 0L), List.of(e.usage().input, e.usage().output, e.usage().cacheRead,
                e.usage().cacheCreation));
        assertEquals(-1, feed("{\"index\":99999999999999999999}").index());
        assertEquals(-1, feed("{\"index\":-7}").index());
        assertEquals(3, feed("{\"index\":3}").index());
        assertFalse(feed("{\"usage\":\"none\"}").hasUsage());
    }

    @Test
    void anIncompleteEventTrailingDataOrANonObjectIsMalformedAndSpendsTheDecoder() {
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("[1]".getBytes(), 3));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"a\":1}{}".getBytes(), 9));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"type\":\"x\"".getBytes(), 11));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"type\":".getBytes(), 8));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"a\":tru}".getBytes(), 9));
    }

    @Test
    void aWholeMessageCarriesItsBlocksInOrder() {
        EventDecoder.Message m = message("{\"id\":\"msg_2\",\"model\":\"m\",\"stop_reason\":\"end_turn\",\"extra\":[1],"
                + "\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"s\"},{\"type\":\"redacted_thinking\",\"data\":\"d\"},"
                + "{\"type\":\"text\",\"text\":\"hi\",\"citations\":[]},{\"type\":\"tool_use\",\"id\":\"u\",\"name\":\"f\","
                + "\"input\":{\"a\":[1,{\"b\":null}]}},{\"type\":\"tool_use\",\"id\":\"v\",\"name\":\"g\",\"input\":\"x\"},{}],"
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}");
        assertEquals(List.of("msg_2", "m", "end_turn"), List.of(m.id(), m.model(), m.stopReason()));
        assertEquals(new dev.alfred.llm.Usage(1, 2, 3, 0, 0, 0), m.usage().toUsage());
        List<EventDecoder.Block> b = m.blocks();
        assertEquals(List.of("thinking", "redacted_thinking", "text", "tool_use", "tool_use", "?"),
                b.stream().map(EventDecoder.Block::type).toList());
        assertEquals(List.of("t", "s"), List.of(b.get(0).text(), b.get(0).signature()));
        assertEquals("d", b.get(1).data());
        assertEquals("hi", b.get(2).text());
        assertEquals(List.of("u", "f", "{\"a\":[1,{\"b\":null}]}"), List.of(b.get(3).id(), b.get(3).name(), b.get(3).input()));
        assertNull(b.get(4).input(), "an input that is not an object is not taken");
        assertNull(b.get(5).text());
        EventDecoder.Message odd = message("{\"content\":\"no\",\"usage\":7}");
        assertEquals(List.of(), odd.blocks());
        assertNull(odd.usage().toUsage());
        assertThrows(MalformedEventException.class, () -> message("[]"));
        assertThrows(MalformedEventException.class, () -> message("{} {}"));
        assertThrows(MalformedEventException.class, () -> message("{\"id\":"));
    }
}
