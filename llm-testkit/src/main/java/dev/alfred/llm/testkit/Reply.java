package dev.alfred.llm.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted reply of the {@link FakeServer}: an answer, a stream, an error, or a fault. Immutable.
 */
public final class Reply {

    /** The transport faults the server can inject. */
    public enum Fault {
        /** The connection is reset before any response. */
        CONNECTION_RESET,
        /** The connection is closed with no response at all. */
        EMPTY_REPLY,
        /** A 200 head, then a broken chunked encoding. */
        MALFORMED_CHUNK,
        /** Garbage bytes, then close. */
        RANDOM_DATA
    }

    enum Kind { CHAT, STREAM, ERROR, RAW, FAULT }

    final Kind kind;
    final ScriptedStream script;
    final int status;
    final String errorType;
    final String message;
    final String rawBody;
    final String contentType;
    final Map<String, String> headers;
    final Fault fault;
    final Duration headDelay;

    private Reply(Kind kind, ScriptedStream script, int status, String errorType, String message, String rawBody,
                  String contentType, Map<String, String> headers, Fault fault, Duration headDelay) {
        this.kind = kind;
        this.script = script;
        this.status = status;
        this.errorType = errorType;
        this.message = message;
        this.rawBody = rawBody;
        this.contentType = contentType;
        this.headers = Map.copyOf(headers);
        this.fault = fault;
        this.headDelay = headDelay;
    }

    /**
     * A whole answer (non-streamed).
     *
     * @param script the answer
     * @return the reply
     */
    public static Reply chat(ScriptedStream script) {
        return new Reply(Kind.CHAT, Objects.requireNonNull(script), 200, null, null, null, "application/json",
                Map.of(), null, Duration.ZERO);
    }

    /**
     * A whole answer of one text.
     *
     * @param content the answer's text
     * @return the reply
     */
    public static Reply chat(String content) {
        return chat(ScriptedStream.ofText(content));
    }

    /**
     * A streamed answer.
     *
     * @param script the deltas and how to deliver them
     * @return the reply
     */
    public static Reply stream(ScriptedStream script) {
        return new Reply(Kind.STREAM, Objects.requireNonNull(script), 200, null, null, null, null, Map.of(), null,
                Duration.ZERO);
    }

    /**
     * A streamed answer of text deltas.
     *
     * @param texts the deltas
     * @return the reply
     */
    public static Reply stream(String... texts) {
        return stream(ScriptedStream.ofText(texts));
    }

    /**
     * An error in the dialect's JSON shape.
     *
     * @param status  the HTTP status
     * @param type    the provider's error type, or null
     * @param message the message
     * @return the reply
     */
    public static Reply error(int status, String type, String message) {
        return new Reply(Kind.ERROR, null, status, type, message, null, "application/json", Map.of(), null,
                Duration.ZERO);
    }

    /**
     * Any body with any status, such as an HTML page from a proxy.
     *
     * @param status      the HTTP status
     * @param contentType the content type
     * @param body        the body
     * @return the reply
     */
    public static Reply raw(int status, String contentType, String body) {
        return new Reply(Kind.RAW, null, status, null, null, body, contentType, Map.of(), null, Duration.ZERO);
    }

    /**
     * A transport fault.
     *
     * @param fault the fault
     * @return the reply
     */
    public static Reply fault(Fault fault) {
        return new Reply(Kind.FAULT, null, 200, null, null, null, null, Map.of(), Objects.requireNonNull(fault),
                Duration.ZERO);
    }

    /**
     * A stream cut into three pieces with a pause of {@code stall} before each: the head and the first
     * events come after one pause, then the stream goes silent for another before the rest.
     *
     * @param stall the pause before each piece
     * @param texts the deltas; give several so the first piece holds whole events
     * @return the reply
     */
    public static Reply stallingStream(Duration stall, String... texts) {
        return stream(ScriptedStream.ofText(texts).chunked(3, stall));
    }

    /**
     * This reply with a header added, such as {@code Retry-After} or {@code x-trace-id}.
     *
     * @param name  the header
     * @param value its value
     * @return the copy
     */
    public Reply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new Reply(kind, script, status, errorType, message, rawBody, contentType, h, fault, headDelay);
    }

    /**
     * This reply sent only after a pause before its head, to exercise a headers timeout.
     *
     * @param delay the pause
     * @return the copy
     */
    public Reply afterDelay(Duration delay) {
        return new Reply(kind, script, status, errorType, message, rawBody, contentType, headers, fault, delay);
    }

    @Override
    public String toString() {
        return "Reply{" + kind + (kind == Kind.ERROR ? " " + status + " " + errorType : "")
                + (fault != null ? " " + fault : "") + "}";
    }
}
