package dev.alfred.llm.anthropic.internal.wire;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every field of every event and of a whole message, what is kept unmodelled, and what is malformed. */
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
    void messageStartCarriesIdModelUsageAndKeepsWhatItDoesNotModelAndTheNextEventStartsClean() {
        Event e = feed("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"container\":{\"id\":\"c\"},"
                + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1,\"cache_creation_input_tokens\":2,"
                + "\"cache_read_input_tokens\":3,\"service_tier\":\"standard\",\"cache_creation\":{\"ephemeral_5m_input_tokens\":2}}}}");
        assertEquals("message_start", e.type());
        assertEquals("msg_1", e.messageId());
        assertEquals("m", e.model());
        assertTrue(e.hasUsage());
        assertEquals(new dev.alfred.llm.Usage(10, 1, 11, 3, 2, 0), e.usage().toUsage());
        assertEquals(3, e.extraCount(), "container and two usage fields; nulls and the empty content are nothing");
        assertEquals("{\"id\":\"c\"}", e.extra("container"));
        assertEquals("\"standard\"", e.extra("usage.service_tier"));
        assertEquals("{\"ephemeral_5m_input_tokens\":2}", e.extra("usage.cache_creation"));
        assertNull(e.stopReason());
        Event ping = feed("{\"type\": \"ping\"}");
        assertEquals("ping", ping.type());
        assertNull(ping.messageId());
        assertNull(ping.model());
        assertFalse(ping.hasUsage());
        assertNull(ping.usage().toUsage());
        assertEquals(-1, ping.index());
        assertEquals(0, ping.extraCount());
        assertNull(ping.extra("container"));
        assertNull(ping.block());
    }

    @Test
    void aMessageStartWithContentKeepsItAndOddFieldsAreKeptUnderTheirNames() {
        Event e = feed("{\"type\":\"message_start\",\"message\":{\"content\":[{\"type\":\"text\"}],\"role\":{\"x\":1},"
                + "\"usage\":7},\"delta\":[1],\"content_block\":\"x\",\"extra\":true}");
        assertEquals("[{\"type\":\"text\"}]", e.extra("content"));
        assertEquals("7", e.extra("usage"));
        assertFalse(e.hasUsage());
        assertEquals("[1]", e.extra("delta"));
        assertEquals("\"x\"", e.extra("content_block"));
        assertNull(e.block());
        assertEquals("true", e.extra("extra"));
        Event m = feed("{\"message\":\"no\"}");
        assertEquals("\"no\"", m.extra("message"));
    }

    @Test
    void aBlockStartCarriesItsScalarsItsInputAsTextAndEveryOtherFieldRaw() {
        Event start = feed("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\","
                + "\"name\":\"f\",\"input\":{},\"caller\":{\"type\":\"direct\"},\"cache\":null}}");
        EventDecoder.Block b = start.block();
        assertNotNull(b);
        assertEquals(List.of("tool_use", "t", "f"), List.of(b.type(), b.id(), b.name()));
        assertSame(RawJson.EMPTY_OBJECT, b.input());
        assertEquals(1, b.extraCount(), "a null field is nothing");
        assertEquals("{\"type\":\"direct\"}", b.extra("caller"));
        assertEquals(2, start.index());
        assertEquals(0, start.extraCount());
        EventDecoder.Block t = feed("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\","
                + "\"thinking\":\"hm\",\"signature\":\"s\"}}").block();
        assertEquals(List.of("hm", "s"), List.of(t.thinking(), t.signature()));
        assertNull(t.text());
        assertNull(t.id());
        assertNull(t.input());
        assertEquals(0, t.extraCount());
        assertNull(t.extra("caller"));
        EventDecoder.Block other = feed("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"x\","
                + "\"text\":\"T\",\"data\":\"d\",\"tool_use_id\":\"u\",\"input\":null,\"content\":[1]}}").block();
        assertEquals(List.of("T", "d", "u", "null"), List.of(other.text(), other.data(), other.toolUseId(), other.input()));
        assertEquals("[1]", other.extra("content"));
        Event next = feed("{\"type\":\"content_block_stop\",\"index\":1}");
        assertNull(next.block(), "the block of the last event is cleared");
        assertEquals(1, next.index());
    }

    @Test
    void deltasCarryTheirValueACitationAsJsonAndAValueThatIsNotAStringAsJsonFlagged() {
        for (String[] d : new String[][] {{"text_delta", "text"}, {"input_json_delta", "partial_json"},
                {"thinking_delta", "thinking"}, {"signature_delta", "signature"}}) {
            Event delta = feed("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"" + d[0] + "\",\""
                    + d[1] + "\":\"v\"}}");
            assertEquals(List.of(d[0], "v"), List.of(delta.deltaType(), delta.deltaValue()));
            assertFalse(delta.deltaNotString());
        }
        Event number = feed("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":5}}");
        assertEquals("5", number.deltaValue());
        assertTrue(number.deltaNotString());
        Event object = feed("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"partial_json\":{\"a\":[1]},\"type\":\"input_json_delta\"}}");
        assertEquals("{\"a\":[1]}", object.deltaValue());
        assertTrue(object.deltaNotString());
        Event citation = feed("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"citations_delta\","
                + "\"citation\":{\"type\":\"web_search_result_location\",\"url\":\"u\"},\"other\":1}}");
        assertEquals("{\"type\":\"web_search_result_location\",\"url\":\"u\"}", citation.deltaValue());
        assertFalse(citation.deltaNotString());
        assertEquals("1", citation.extra("other"));
        assertFalse(feed("{\"type\":\"ping\"}").deltaNotString(), "cleared");
    }

    @Test
    void messageDeltaCarriesTheStopReasonAndKeepsStopDetailsContainerAndAMatchedStopSequence() {
        Event md = feed("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"refusal\",\"stop_sequence\":\"END\","
                + "\"stop_details\":{\"type\":\"refusal\",\"category\":\"cyber\"},\"container\":null},"
                + "\"usage\":{\"output_tokens\":9,\"server_tool_use\":{\"web_search_requests\":1}},\"context_management\":{}}");
        assertEquals("refusal", md.stopReason());
        assertTrue(md.hasUsage());
        assertEquals(9, md.usage().output);
        assertEquals(-1, md.usage().input);
        assertEquals("\"END\"", md.extra("stop_sequence"));
        assertEquals("{\"type\":\"refusal\",\"category\":\"cyber\"}", md.extra("stop_details"));
        assertNull(md.extra("container"));
        assertEquals("{\"web_search_requests\":1}", md.extra("usage.server_tool_use"));
        assertEquals("{}", md.extra("context_management"));
    }

    @Test
    void aCountThatIsNotACountIsKeptAsTextAndNotUsed() {
        Event e = feed("{\"index\":{\"a\":[1]},\"type\":\"content_block_stop\",\"usage\":{\"input_tokens\":null,"
                + "\"output_tokens\":1.5,\"cache_read_input_tokens\":99999999999999999999,\"cache_creation_input_tokens\":-4}}");
        assertEquals(-1, e.index());
        assertEquals("content_block_stop", e.type());
        assertEquals(List.of(-1L, -1L, -1L, -1L), List.of(e.usage().input, e.usage().output, e.usage().cacheRead,
                e.usage().cacheCreation));
        assertEquals("1.5", e.extra("usage.output_tokens"));
        assertEquals("99999999999999999999", e.extra("usage.cache_read_input_tokens"));
        assertEquals("-4", e.extra("usage.cache_creation_input_tokens"));
        assertNull(e.extra("usage.input_tokens"), "null is no count and nothing to keep");
        Event zero = feed("{\"usage\":{\"output_tokens\":0,\"input_tokens\":\"7\"}}");
        assertEquals(0, zero.usage().output);
        assertEquals("\"7\"", zero.extra("usage.input_tokens"));
        assertEquals(-1, feed("{\"index\":99999999999999999999}").index());
        assertEquals(-1, feed("{\"index\":-7}").index());
        assertEquals(0, feed("{\"index\":0}").index());
        assertEquals(3, feed("{\"index\":3}").index());
    }

    @Test
    void anErrorCarriesItsTypeMessageDetailsAndRequestIdAndAStringErrorIsOneToo() {
        Event e = feed("{\"type\":\"error\",\"error\":{\"details\":null,\"type\":\"overloaded_error\",\"message\":\"Overloaded\","
                + "\"other\":[1]}        ,\"request_id\":\"req_1\"}");
        assertEquals(List.of("overloaded_error", "Overloaded", "req_1"), List.of(e.errorType(), e.errorMessage(), e.requestId()));
        assertNull(e.errorDetails());
        assertEquals("{\"why\":1}", feed("{\"error\":{\"type\":\"x\",\"details\":{\"why\":1}}}").errorDetails());
        Event untyped = feed("{\"error\":{\"message\":\"m\"}}");
        assertEquals("error", untyped.errorType());
        Event text = feed("{\"error\":\"boom\"}");
        assertEquals(List.of("error", "boom"), List.of(text.errorType(), text.errorMessage()));
        Event odd = feed("{\"error\":[1]}");
        assertNull(odd.errorMessage());
        assertEquals("error", odd.errorType());
        assertNull(feed("{\"type\":\"ping\"}").errorType(), "cleared");
    }

    @Test
    void anIncompleteEventTrailingDataOrANonObjectIsMalformedAndSpendsTheDecoder() {
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("[1]".getBytes(), 3));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"a\":1}{}".getBytes(), 9));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"type\":\"x\"".getBytes(), 11));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"type\":".getBytes(), 8));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"a\":tru}".getBytes(), 9));
        assertThrows(MalformedEventException.class, () -> EventDecoder.streaming().decode("{\"a\":{\"b\":1}".getBytes(), 12));
    }

    @Test
    void aWholeMessageCarriesItsHeaderAndItsBlocksInOrder() {
        EventDecoder.Message m = message("{\"id\":\"msg_2\",\"type\":\"message\",\"model\":\"m\",\"stop_reason\":\"end_turn\","
                + "\"extra\":[1],\"content\":[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"s\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"d\"},{\"type\":\"text\",\"text\":\"hi\",\"citations\":null},"
                + "{\"type\":\"tool_use\",\"id\":\"u\",\"name\":\"f\",\"input\":{\"a\":[1,{\"b\":null}]}},"
                + "{\"type\":\"tool_use\",\"id\":\"v\",\"name\":\"g\",\"input\":\"x\"},{}],"
                + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}");
        Event h = m.header();
        assertEquals(List.of("msg_2", "m", "end_turn"), List.of(h.messageId(), h.model(), h.stopReason()));
        assertEquals(new dev.alfred.llm.Usage(1, 2, 3, 0, 0, 0), h.usage().toUsage());
        assertEquals("[1]", h.extra("extra"));
        List<EventDecoder.Block> b = m.blocks();
        assertEquals(java.util.Arrays.asList("thinking", "redacted_thinking", "text", "tool_use", "tool_use", null),
                b.stream().map(EventDecoder.Block::type).toList());
        assertEquals(List.of("t", "s"), List.of(b.get(0).thinking(), b.get(0).signature()));
        assertEquals("d", b.get(1).data());
        assertEquals("hi", b.get(2).text());
        assertEquals(0, b.get(2).extraCount(), "null citations are none");
        assertEquals(List.of("u", "f", "{\"a\":[1,{\"b\":null}]}"), List.of(b.get(3).id(), b.get(3).name(), b.get(3).input()));
        assertEquals("\"x\"", b.get(4).input(), "an input that is not an object is kept as it is, to be judged");
        assertNull(b.get(5).text());
    }

    @Test
    void aBodyThatIsNotAMessageIsMalformed() {
        assertEquals(List.of(), message("{\"content\":[]}").blocks(), "a message may leave out its type");
        assertThrows(MalformedEventException.class, () -> message("[]"));
        assertThrows(MalformedEventException.class, () -> message("{} {}"));
        assertThrows(MalformedEventException.class, () -> message("{\"id\":"));
        MalformedEventException noContent = assertThrows(MalformedEventException.class, () -> message("{\"id\":\"x\"}"));
        assertTrue(noContent.getMessage().contains("without a content array"), noContent.getMessage());
        assertThrows(MalformedEventException.class, () -> message("{\"content\":\"no\"}"));
        assertThrows(MalformedEventException.class, () -> message("{\"content\":null}"));
        MalformedEventException other = assertThrows(MalformedEventException.class,
                () -> message("{\"type\":\"completion\",\"content\":[]}"));
        assertTrue(other.getMessage().contains("type 'completion'"), other.getMessage());
        MalformedEventException block = assertThrows(MalformedEventException.class, () -> message("{\"content\":[{}, 5]}"));
        assertTrue(block.getMessage().contains("content block 1 is not an object"), block.getMessage());
    }
}
