package dev.alfred.llm.http.sse;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A kept event: what it holds, and equality over all of it. */
class SseEventTest {

    @Test
    void anEventKeepsItsTypeDataAndIdAndCopiesTheParsersBuffer() {
        List<SseEvent> events = new ArrayList<>();
        byte[] buffer = "hello!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SseEvent.collectInto(events).onEvent("delta", buffer, 5, "42");
        buffer[0] = 'j';
        SseEvent e = events.get(0);
        assertEquals("delta", e.type());
        assertEquals("hello", e.data(), "a copy of the valid bytes, untouched by later changes to the buffer");
        assertEquals("42", e.lastEventId());
        assertEquals("SseEvent{type=delta, id=42, data=hello}", e.toString());
    }

    @Test
    void eventsAreEqualWhenTypeDataAndIdAre() {
        SseEvent e = TestEvents.of("delta", "x", "1");
        assertEquals(e, TestEvents.of("delta", "x", "1"));
        assertEquals(e.hashCode(), TestEvents.of("delta", "x", "1").hashCode());
        assertNotEquals(e, TestEvents.of("other", "x", "1"));
        assertNotEquals(e, TestEvents.of("delta", "y", "1"));
        assertNotEquals(e, TestEvents.of("delta", "x", "2"));
        assertNotEquals(e, "delta");
        assertNotEquals(e.hashCode(), TestEvents.of("delta", "y", "1").hashCode());
        assertNotEquals(e.hashCode(), TestEvents.of("other", "x", "1").hashCode());
    }
}
