package dev.alfred.llm.http.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One dispatched Server-Sent Event: its type, its data (UTF-8 bytes, decoded on demand) and the last
 * event id in force when it was dispatched.
 */
public final class SseEvent {

    private final String type;
    private final byte[] data;
    private final String lastEventId;

    SseEvent(String type, byte[] data, String lastEventId) {
        this.type = type;
        this.data = data;
        this.lastEventId = lastEventId;
    }

    /**
     * A listener that copies every event into a list, for callers that keep events.
     *
     * @param events where to add them
     * @return the listener
     */
    public static SseParser.Listener collectInto(List<SseEvent> events) {
        return (type, data, length, id) -> events.add(new SseEvent(type, Arrays.copyOf(data, length), id));
    }

    /**
     * The event type; {@code message} when the stream named none.
     *
     * @return the type
     */
    public String type() {
        return type;
    }

    /**
     * The data, lines joined with LF, decoded as UTF-8 with malformed bytes replaced (as WHATWG decodes).
     *
     * @return the data
     */
    public String data() {
        return new String(data, StandardCharsets.UTF_8);
    }



    /**
     * The last event id in force; empty when none was set.
     *
     * @return the id
     */
    public String lastEventId() {
        return lastEventId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SseEvent && type.equals(((SseEvent) o).type) && Arrays.equals(data, ((SseEvent) o).data)
                && lastEventId.equals(((SseEvent) o).lastEventId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "SseEvent{type=" + type + ", id=" + lastEventId + ", data=" + data() + "}";
    }
}
