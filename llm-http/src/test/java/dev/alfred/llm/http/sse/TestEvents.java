package dev.alfred.llm.http.sse;

import java.nio.charset.StandardCharsets;

/** Events made by hand, to compare with what the parser dispatched. */
final class TestEvents {

    private TestEvents() {
    }

    static SseEvent of(String type, String data, String lastEventId) {
        return new SseEvent(type, data.getBytes(StandardCharsets.UTF_8), lastEventId);
    }
}
