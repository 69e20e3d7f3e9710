package dev.alfred.llm.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted reply of the {@link FakeServer}: an answer, a stream, an error, a fault, or recorded
 * bytes replayed as they came. A reply can be held at {@link Gate}s the test keeps (before its head,
 * after some of its body) — a server that stalls at a known point, on the test's say-so rather than a
 * clock — or paced on real time ({@link #afterDelay}, {@link ScriptedStream#chunked}). Immutable; each
 * {@code with…}/{@code hold…} method returns a copy.
 */
public final class Reply {

    /** The transport faults the server can inject. */
    public enum Fault {
        /** The connection is reset (an RST: linger 0, then close) before any response. */
        CONNECTION_RESET,
        /** The connection is closed with no response at all. */
        EMPTY_REPLY,
        /** A 200 head, then a broken chunked encoding, then close. */
        MALFORMED_CHUNK,
        /** Garbage bytes, then close. */
        RANDOM_DATA
    }

    enum Kind { CHAT, STREAM, ERROR, RAW, FAULT, RECORDED, GENERATED }

    /**
     * A hold in the body: after {@code bytes} body bytes, or, with {@code deltas} of 0 or more, after the
     * bytes that carry a scripted stream's first {@code deltas} deltas.
     */
    record Hold(int bytes, int deltas, Gate gate) {
    }

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
    final List<byte[]> recorded;
    final Gate headGate;
    final List<Hold> holds;
    /** Headers the server would add itself that this reply goes without, names in lower case. */
    final java.util.Set<String> withoutHeaders;

    private Reply(Kind kind, ScriptedStream script, int status, String errorType, String message, String rawBody,
                  String contentType, Map<String, String> headers, Fault fault, Duration headDelay) {
        this(kind, script, status, errorType, message, rawBody, contentType, headers, fault, headDelay, List.of(), null,
                List.of());
    }

    private Reply(Kind kind, ScriptedStream script, int status, String errorType, String message, String rawBody,
                  String contentType, Map<String, String> headers, Fault fault, Duration headDelay,
                  List<byte[]> recorded, Gate headGate, List<Hold> holds) {
        this(kind, script, status, errorType, message, rawBody, contentType, headers, fault, headDelay, recorded, headGate,
                holds, java.util.Set.of());
    }

    private Reply(Kind kind, ScriptedStream script, int status, String errorType, String message, String rawBody,
                  String contentType, Map<String, String> headers, Fault fault, Duration headDelay,
                  List<byte[]> recorded, Gate headGate, List<Hold> holds, java.util.Set<String> withoutHeaders) {
        this.withoutHeaders = java.util.Set.copyOf(withoutHeaders);
        this.kind = kind;
        this.script = script;
        this.status = status;
        this.errorType = errorType;
        this.message = message;
        this.rawBody = rawBody;
        this.contentType = contentType;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.fault = fault;
        this.headDelay = headDelay;
        this.recorded = recorded;
        this.headGate = headGate;
        this.holds = holds;
    }

    private Reply with(Map<String, String> headers, Duration headDelay, Gate headGate, List<Hold> holds) {
        return new Reply(kind, script, status, errorType, message, rawBody, contentType, headers, fault, headDelay,
                recorded, headGate, holds, withoutHeaders);
    }

    /**
     * This reply without the request-id header the server adds to every scripted reply
     * ({@link WireDialect#requestIdHeader()}), for a test of what a client does when the header is missing
     * (an Anthropic error body still names the id in its {@code request_id}).
     *
     * @param name the header's name, in any case
     * @return the copy
     * @throws NullPointerException if name is null
     */
    public Reply withoutHeader(String name) {
        java.util.Set<String> w = new java.util.HashSet<>(withoutHeaders);
        w.add(name.toLowerCase(java.util.Locale.ROOT));
        return new Reply(kind, script, status, errorType, message, rawBody, contentType, headers, fault, headDelay,
                recorded, headGate, holds, w);
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
     * The reply the server's {@link WireDialect} generates from the request itself, as the real server would
     * answer it, on the paths whose answer follows from what was asked ({@link WireDialect#generate}):
     * embeddings (one deterministic vector per input text), the token-count endpoints and the model
     * catalogue. This is what an idle server serves when nothing is queued and no {@linkplain
     * FakeServer#setDefault default} was set; enqueue it to serve it in turn among scripted replies, or to
     * {@linkplain #holdHead hold} it. On any other path it is the 500 error saying no reply was enqueued.
     *
     * @return the reply
     */
    public static Reply generated() {
        return new Reply(Kind.GENERATED, null, 200, null, null, null, null, Map.of(), null, Duration.ZERO);
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
     * A stream cut into three pieces with a pause of {@code stall} before each, on real time: the head
     * and the first events come after one pause, then the stream goes silent for another before the
     * rest. To stall a stream without waiting on the clock, hold it at a {@link Gate} instead
     * ({@link #holdAfterDeltas}).
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
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return with(h, headDelay, headGate, holds);
    }

    /**
     * This reply sent only after a pause before its head, on real time. To hold a head without waiting
     * on the clock, use {@link #holdHead} instead.
     *
     * @param delay the pause
     * @return the copy
     */
    public Reply afterDelay(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("the delay must not be negative");
        }
        return with(headers, delay, headGate, holds);
    }

    /**
     * Bytes exactly as a server sent them, for replaying a recorded exchange: the status, the headers,
     * and the body in its recorded pieces, each written and flushed on its own (as one HTTP chunk when
     * the body is chunked), so a client sees the same boundaries the real server made. The body is sent
     * with {@code Content-Length} when the headers carry one (its value is set to the real total), and
     * chunked otherwise; any recorded {@code Transfer-Encoding} is replaced by the server's own framing.
     * Empty pieces are skipped (an empty HTTP chunk would end the body).
     *
     * @param status  the HTTP status
     * @param headers the recorded headers, in order (names in any case)
     * @param chunks  the body's pieces, in order
     * @return the reply
     * @throws IllegalArgumentException if the status is not a valid HTTP status
     * @throws NullPointerException if the headers, the chunks or a chunk is null
     */
    public static Reply recorded(int status, Map<String, String> headers, List<byte[]> chunks) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        List<byte[]> copies = new ArrayList<>();
        for (byte[] chunk : Objects.requireNonNull(chunks, "chunks")) {
            copies.add(Objects.requireNonNull(chunk, "a chunk").clone());
        }
        return new Reply(Kind.RECORDED, null, status, null, null, null, null, Objects.requireNonNull(headers, "headers"),
                null, Duration.ZERO, Collections.unmodifiableList(copies), null, List.of());
    }

    /**
     * This reply held before its head (after the request was read and recorded) until the gate is
     * released: a server that never answers, on fake time. For a fault, the fault waits too.
     *
     * @param gate the gate the test keeps
     * @return the copy
     * @throws NullPointerException if the gate is null
     */
    public Reply holdHead(Gate gate) {
        return with(headers, headDelay, Objects.requireNonNull(gate, "gate"), holds);
    }

    /**
     * This reply held after a number of body bytes until the gate is released: the head and those bytes
     * are written and flushed, then the server goes silent. {@code 0} holds right after the head; a
     * count past the body's end holds after the last byte, before the body is ended. May be given
     * several times, at several places.
     *
     * @param bytes how many body bytes go out before the hold
     * @param gate  the gate the test keeps
     * @return the copy
     * @throws IllegalArgumentException if bytes is negative
     * @throws IllegalStateException for a fault, which has no body
     */
    public Reply holdAfter(int bytes, Gate gate) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
        }
        return hold(new Hold(bytes, -1, Objects.requireNonNull(gate, "gate")));
    }

    /**
     * This scripted stream held just after the events that carry its first {@code deltas} deltas (and
     * any raw events placed right after them) until the gate is released: a stream that stalls
     * mid-answer at a known point, whatever the dialect's bytes look like.
     *
     * @param deltas after how many deltas (0: after the opening events, before the first delta)
     * @param gate   the gate the test keeps
     * @return the copy
     * @throws IllegalArgumentException if deltas is negative
     * @throws IllegalStateException if this reply is not a scripted stream
     */
    public Reply holdAfterDeltas(int deltas, Gate gate) {
        if (kind != Kind.STREAM) {
            throw new IllegalStateException("only a scripted stream has deltas to hold after: " + this);
        }
        if (deltas < 0) {
            throw new IllegalArgumentException("deltas must not be negative, was " + deltas);
        }
        return hold(new Hold(-1, deltas, Objects.requireNonNull(gate, "gate")));
    }

    private Reply hold(Hold hold) {
        if (kind == Kind.FAULT) {
            throw new IllegalStateException("a fault has no body to hold: " + this);
        }
        List<Hold> h = new ArrayList<>(holds);
        h.add(hold);
        return with(headers, headDelay, headGate, List.copyOf(h));
    }

    /** This reply with the body holds of another (a generated reply takes those of the reply that asked for it). */
    Reply withHoldsOf(Reply other) {
        if (other.holds.isEmpty()) {
            return this;
        }
        List<Hold> h = new ArrayList<>(holds);
        h.addAll(other.holds);
        return with(headers, headDelay, headGate, List.copyOf(h));
    }

    /** Every gate this reply can hold at. */
    List<Gate> gates() {
        List<Gate> all = new ArrayList<>();
        if (headGate != null) {
            all.add(headGate);
        }
        holds.forEach(h -> all.add(h.gate()));
        return all;
    }

    @Override
    public String toString() {
        return "Reply{" + kind + (kind == Kind.ERROR ? " " + status + " " + errorType : "")
                + (kind == Kind.RECORDED ? " " + status + ", " + recorded.size() + " pieces" : "")
                + (fault != null ? " " + fault : "") + (headGate != null ? ", head held" : "")
                + (holds.isEmpty() ? "" : ", " + holds.size() + " holds") + "}";
    }
}
