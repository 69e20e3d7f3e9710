package dev.alfred.llm.testkit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One recorded real exchange of the corpus under {@code dev/alfred/llm/testkit/recordings/} (see its
 * {@code README.md}): the bytes a server sent, with its index entry — status, headers, provenance and the
 * folded result the exchange must give ({@link #expect()}). {@link #reply(Cut)} serves it from the
 * {@link FakeServer} exactly as recorded, cut into pieces as a test chooses. Get them from
 * {@link Recordings}. Immutable and thread-safe.
 *
 * @param file          the file, relative to the corpus root, such as {@code openai/opy-test_parse_nothing.sse}
 * @param server        the server that sent it, such as {@code openai} or {@code kimi}
 * @param kind          {@code stream}, {@code body} or {@code error}
 * @param status        the HTTP status
 * @param headers       the recorded response headers that matter, names in lower case
 * @param synthetic     whether the source hand-made or edited it (kept for shape, never ground truth)
 * @param fragment      whether only part of the exchange was recorded
 * @param framing       how the stream's framing was rebuilt ({@code rebuilt: …}), or empty when it is as sent
 * @param expect        the folded result the exchange must give (the index's {@code expect})
 * @param notableFields the JSON paths present in the file that lie outside a plain answer; a decoder must
 *                      surface or keep each of them
 * @param entry         the whole index entry
 */
public record Recording(String file, String server, String kind, int status, Map<String, String> headers,
                        boolean synthetic, boolean fragment, String framing, JsonNode expect,
                        List<String> notableFields, JsonNode entry) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The end marker of a chat-completions stream. */
    static final String DONE_EVENT = "data: [DONE]\n\n";

    /** How a replayed body is cut into the pieces the server writes and flushes one by one. */
    public enum Cut {
        /** All the bytes in one piece. */
        WHOLE,
        /** One piece per server-sent event (comments included), as a server flushes them. */
        PER_EVENT,
        /**
         * Pieces of 1, 7, 2, 13, 3, 29 and 5 bytes in turn, so that cuts fall inside lines, inside JSON
         * strings and inside multi-byte characters.
         */
        ODD_BYTES
    }

    private static final int[] ODD = {1, 7, 2, 13, 3, 29, 5};

    /**
     * Validates and copies.
     *
     * @param file the file
     * @param server the server
     * @param kind the kind
     * @param status the status
     * @param headers the headers
     * @param synthetic whether synthetic
     * @param fragment whether a fragment
     * @param framing the framing note, or empty
     * @param expect the expectation
     * @param notableFields the notable paths
     * @param entry the index entry
     * @throws NullPointerException if a component is null
     */
    public Recording {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(kind, "kind");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(expect, "expect");
        notableFields = List.copyOf(notableFields);
        Objects.requireNonNull(entry, "entry");
    }

    /**
     * The endpoint the exchange belongs to: {@code chat} (chat completions or messages, the default),
     * {@code embeddings}, {@code count_tokens} or {@code models} (the index's {@code endpoint}).
     *
     * @return the endpoint
     */
    public String endpoint() {
        return entry == null ? "chat" : entry.path("endpoint").asString("chat");
    }

    /** @return whether it is a stream */
    public boolean isStream() {
        return kind.equals("stream");
    }

    /** @return whether it is an error response (status 400 or more) */
    public boolean isError() {
        return kind.equals("error");
    }

    /**
     * Whether a stream must be completed with {@code data: [DONE]} to be replayed as the server sent it:
     * the source kept only the events' data ({@code framing} rebuilt) or a fragment, so the end marker
     * the server sends was not stored; a stream that ended with an error event is left as it is.
     *
     * @return true when {@link #replayBytes()} adds the end marker
     */
    public boolean needsEndMarker() {
        if (!isStream() || server.equals("anthropic") || expect.path("done_terminator").asBoolean(false)) {
            return false;
        }
        boolean notStored = fragment || framing.startsWith("rebuilt:");
        return notStored && expect.path("stream_errors").isEmpty();
    }

    /**
     * The bytes as stored in the corpus.
     *
     * @return a fresh copy
     */
    public byte[] bytes() {
        return Recordings.read(file);
    }

    /**
     * The bytes to replay: as stored, with {@code data: [DONE]} added where {@link #needsEndMarker()}.
     *
     * @return a fresh copy
     */
    public byte[] replayBytes() {
        byte[] b = bytes();
        if (!needsEndMarker()) {
            return b;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(b);
        if (b.length > 0 && b[b.length - 1] != '\n') {
            out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(DONE_EVENT.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * The replayed bytes cut into pieces.
     *
     * @param cut how
     * @return the pieces, in order, adding up to {@link #replayBytes()}
     */
    public List<byte[]> pieces(Cut cut) {
        byte[] b = replayBytes();
        List<byte[]> out = new ArrayList<>();
        switch (cut) {
            case WHOLE:
                out.add(b);
                break;
            case ODD_BYTES:
                int at = 0;
                for (int i = 0; at < b.length; i++) {
                    int n = Math.min(ODD[i % ODD.length], b.length - at);
                    out.add(Arrays.copyOfRange(b, at, at + n));
                    at += n;
                }
                break;
            default:
                int start = 0;
                for (int i = 0; i + 1 < b.length; i++) {
                    if (b[i] == '\n' && b[i + 1] == '\n') {
                        out.add(Arrays.copyOfRange(b, start, i + 2));
                        start = i + 2;
                        i++;
                    }
                }
                if (start < b.length) {
                    out.add(Arrays.copyOfRange(b, start, b.length));
                }
        }
        return out;
    }

    /**
     * The headers to replay: the recorded ones, plus a {@code Content-Type} where the source recorded
     * none ({@code text/event-stream} for a stream, {@code application/json} otherwise).
     *
     * @return the headers, in order
     */
    public Map<String, String> replayHeaders() {
        Map<String, String> h = new LinkedHashMap<>(new java.util.TreeMap<>(headers)); // in a stable order
        if (h.keySet().stream().noneMatch(n -> n.toLowerCase(Locale.ROOT).equals("content-type"))) {
            h.put("content-type", isStream() ? "text/event-stream" : "application/json");
        }
        return h;
    }

    /**
     * The exchange as a fake-server reply: its status, headers and bytes, cut as asked.
     *
     * @param cut how the body is cut into pieces
     * @return the reply
     */
    public Reply reply(Cut cut) {
        return Reply.recorded(status, replayHeaders(), pieces(cut));
    }

    /**
     * The JSON objects the exchange carries: a body's one object, or a stream's data objects in order
     * ({@code [DONE]} and comments left out).
     *
     * @return the objects
     */
    public List<JsonNode> objects() {
        String text = new String(bytes(), StandardCharsets.UTF_8);
        if (!isStream()) {
            return List.of(JSON.readTree(text.strip()));
        }
        List<JsonNode> out = new ArrayList<>();
        for (Event e : events()) {
            if (!e.data().isEmpty() && !e.data().equals("[DONE]")) {
                out.add(JSON.readTree(e.data()));
            }
        }
        return out;
    }

    /**
     * One server-sent event of a stream.
     *
     * @param name its {@code event:} name, or {@code message}
     * @param data its data lines joined with {@code \n}
     */
    public record Event(String name, String data) {
    }

    /**
     * A stream's events, comments left out.
     *
     * @return the events, in order
     * @throws IllegalStateException if this is not a stream
     */
    public List<Event> events() {
        if (!isStream()) {
            throw new IllegalStateException(file + " is not a stream");
        }
        String text = new String(bytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<Event> out = new ArrayList<>();
        for (String block : text.split("\n\n+")) {
            String name = "message";
            StringBuilder data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String d = line.substring(5);
                    d = d.startsWith(" ") ? d.substring(1) : d;
                    data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
                }
            }
            if (data != null) {
                out.add(new Event(name, data.toString()));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return file;
    }
}
