package dev.alfred.llm.testkit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake server's own HTTP/1.1: framing both ways, persistent connections, gates, recorded replay and
 * faults, checked byte for byte with a raw socket where the JDK client would hide the framing.
 */
@Timeout(60) // a hang bound: a server that holds what it should not fails here instead of hanging the build
class FakeServerTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private final FakeServer server = FakeServer.start();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri() {
        return URI.create(server.baseUri() + "/chat/completions");
    }

    private HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri()).header("Authorization", "Bearer k")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A raw HTTP/1.1 exchange on one socket: the head's lines, then the body as the server framed it. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Raw(FakeServer server) throws IOException {
            socket = new Socket("127.0.0.1", server.baseUri().getPort());
            socket.setSoTimeout((int) BOUND.toMillis()); // a hang bound for a server that never answers
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("end of stream");
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        Map<String, String> head() throws IOException {
            Map<String, String> h = new LinkedHashMap<>();
            h.put(":status", line());
            String l;
            while (!(l = line()).isEmpty()) {
                int colon = l.indexOf(':');
                h.put(l.substring(0, colon).toLowerCase(), l.substring(colon + 1).trim());
            }
            return h;
        }

        /** The body's HTTP chunks, each as sent, up to the last (empty) one. */
        List<String> chunks() throws IOException {
            List<String> chunks = new ArrayList<>();
            while (true) {
                int n = Integer.parseInt(line(), 16);
                if (n == 0) {
                    assertEquals("", line());
                    return chunks;
                }
                chunks.add(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                assertEquals("", line());
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final String POST = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

    @Test
    void servesInOrderOnOnePersistentConnectionAndRecordsEachRequest() throws Exception {
        server.enqueue(Reply.chat("one")).enqueue(Reply.error(429, "rate_limit_reached_error", "slow").withHeader("Retry-After", "3"));
        HttpResponse<String> first = post("{\"n\":1}");
        HttpResponse<String> second = post("{\"n\":2}");
        HttpResponse<String> third = post("{\"n\":3}");
        assertEquals(200, first.statusCode());
        assertTrue(first.body().contains("\"one\""), first.body());
        assertEquals(429, second.statusCode());
        assertEquals("3", second.headers().firstValue("retry-after").orElseThrow());
        assertEquals(500, third.statusCode(), "the default reply when nothing is queued");
        assertTrue(third.body().contains("no reply was enqueued"), third.body());
        assertEquals(3, server.requestCount());
        RecordedRequest r = server.takeRequest();
        assertEquals("POST", r.method());
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("Bearer k", r.header("AUTHORIZATION").orElseThrow());
        assertEquals("{\"n\":1}", r.body());
        assertEquals(List.of("{\"n\":2}", "{\"n\":3}"), server.takeRequests().stream().map(RecordedRequest::body).toList());
        assertThrows(AssertionError.class, server::takeRequest);
    }

    @Test
    void readsAChunkedRequestBodyAndAnswersExpectContinue() throws Exception {
        server.enqueue(Reply.chat("ok"));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", raw.line());
            assertEquals("", raw.line());
            raw.send("4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nTrailer: x\r\n\r\n");
            Map<String, String> head = raw.head();
            assertEquals("HTTP/1.1 200 OK", head.get(":status"));
            int length = Integer.parseInt(head.get("content-length"));
            assertTrue(new String(raw.in.readNBytes(length), StandardCharsets.UTF_8).contains("\"ok\""));
        }
        assertEquals("{\"a\":1}", server.takeRequest().body());
    }

    @Test
    void closesAfterAnswerWhenTheRequestAsksAndReadsAGetWithoutBody() throws Exception {
        server.enqueue(Reply.raw(200, "text/plain", "fine"));
        try (Raw raw = new Raw(server)) {
            raw.send("GET /v1/models?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            Map<String, String> head = raw.head();
            assertEquals("close", head.get("connection"));
            assertEquals("text/plain", head.get("content-type"));
            assertEquals("fine", new String(raw.in.readNBytes(4), StandardCharsets.UTF_8));
            assertEquals(-1, raw.in.read(), "the server closed the connection");
        }
        RecordedRequest r = server.takeRequest();
        assertEquals("GET", r.method());
        assertEquals("/v1/models?x=1", r.path());
        assertEquals("", r.body());
    }

    @Test
    void aStreamIsChunkedAndEachScriptedPieceIsItsOwnHttpChunk() throws Exception {
        ScriptedStream script = ScriptedStream.ofText("Hel", "lo").chunked(3, Duration.ZERO);
        server.enqueue(Reply.stream(script));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            Map<String, String> head = raw.head();
            assertEquals("chunked", head.get("transfer-encoding"));
            assertEquals(server.dialect().streamContentType(), head.get("content-type"));
            List<String> chunks = raw.chunks();
            assertEquals(3, chunks.size());
            assertEquals(server.dialect().streamBody(script), String.join("", chunks));
        }
    }

    @Test
    void aRecordedReplyIsServedWithItsChunkBoundariesAndItsHeaders() throws Exception {
        List<byte[]> pieces = List.of(utf8("data: {\"a\":"), utf8(""), utf8("1}\n\n"), utf8("data: [DONE]\n\n"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/event-stream; charset=utf-8");
        headers.put("x-request-id", "req-1");
        headers.put("Transfer-Encoding", "chunked");
        server.enqueue(Reply.recorded(200, headers, pieces));
        server.enqueue(Reply.recorded(400, Map.of("Content-Length", "999", "Content-Type", "application/json"),
                List.of(utf8("{\"error\":"), utf8("{}}"))));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            Map<String, String> head = raw.head();
            assertEquals("text/event-stream; charset=utf-8", head.get("content-type"));
            assertEquals("req-1", head.get("x-request-id"));
            assertEquals(List.of("data: {\"a\":", "1}\n\n", "data: [DONE]\n\n"), raw.chunks(), "the empty piece is skipped");
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            head = raw.head();
            assertEquals("HTTP/1.1 400 Bad Request", head.get(":status"));
            assertEquals("12", head.get("content-length"), "the real length, not the recorded one");
            assertEquals("{\"error\":{}}", new String(raw.in.readNBytes(12), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHeldHeadComesOnlyWhenTheGateIsReleased() throws Exception {
        Gate gate = new Gate();
        server.enqueue(Reply.chat("late").holdHead(gate));
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(HttpRequest.newBuilder(uri())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        gate.awaitReached(BOUND);
        assertTrue(gate.isReached());
        assertEquals(1, server.requestCount(), "the request is recorded before the hold");
        assertFalse(answer.isDone(), "nothing is sent while the head is held");
        gate.release();
        assertTrue(answer.get(BOUND.toSeconds(), TimeUnit.SECONDS).body().contains("late"));
        assertTrue(gate.isReleased());
    }

    @Test
    void aHoldAfterBytesSendsTheHeadAndExactlyThoseBytes() throws Exception {
        Gate gate = new Gate();
        server.enqueue(Reply.raw(200, "text/plain", "0123456789").holdAfter(4, gate));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            gate.awaitReached(BOUND);
            assertEquals("10", raw.head().get("content-length"));
            assertEquals("0123", new String(raw.in.readNBytes(4), StandardCharsets.UTF_8));
            assertEquals(0, raw.in.available(), "the rest is held");
            gate.release();
            assertEquals("456789", new String(raw.in.readNBytes(6), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aHoldAfterDeltasHoldsJustAfterTheEventsOfThoseDeltas() throws Exception {
        Gate atHead = new Gate();
        Gate afterTwo = new Gate();
        ScriptedStream script = ScriptedStream.ofText("a", "b", "c");
        server.enqueue(Reply.stream(script).holdAfterDeltas(2, afterTwo).holdAfter(0, atHead));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            atHead.awaitReached(BOUND);
            assertEquals("chunked", raw.head().get("transfer-encoding"));
            assertEquals(0, raw.in.available(), "held right after the head");
            assertFalse(afterTwo.isReached());
            atHead.release();
            afterTwo.awaitReached(BOUND);
            String firstTwo = server.dialect().streamBody(script.cutAfter(2));
            int n = Integer.parseInt(raw.line(), 16);
            assertEquals(firstTwo, new String(raw.in.readNBytes(n), StandardCharsets.UTF_8));
            assertEquals("", raw.line());
            assertEquals(0, raw.in.available(), "held after the second delta");
            afterTwo.release();
            assertEquals(server.dialect().streamBody(script), firstTwo + String.join("", raw.chunks()));
        }
    }

    @Test
    void everyGateIsReleasedAndEveryConnectionClosedWhenTheServerCloses() throws Exception {
        Gate never = new Gate();
        server.setDefault(Reply.stream("a", "b").holdAfterDeltas(1, never));
        Set<Thread> before = Threads.live();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofInputStream());
        never.awaitReached(BOUND);
        assertTrue(Threads.live().stream().anyMatch(t -> t.getName().startsWith("alfred-fake-server-")));
        server.close();
        assertTrue(never.isReleased());
        try (InputStream body = response.body()) {
            assertThrows(IOException.class, body::readAllBytes, "the held stream is cut, not finished");
        }
        assertThreadsEnded(server);
        server.close(); // idempotent
    }

    /** Every thread of this server has ended: close() waits for them, so no wait is needed here. */
    private static void assertThreadsEnded(FakeServer s) {
        String prefix = "alfred-fake-server-" + s.baseUri().getPort() + "-";
        assertEquals(List.of(), Threads.live().stream().map(Thread::getName).filter(n -> n.startsWith(prefix)).toList(),
                "the server's threads ended when it closed");
    }

    @Test
    void closeEndsIdlePersistentConnectionsAndTheListener() throws Exception {
        server.setDefault(Reply.chat("ok"));
        assertEquals(200, post("{}").statusCode());
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            raw.head();
            server.awaitRequests(2);
            assertTrue(Threads.live().stream().anyMatch(t -> t.getName().endsWith("-accept")));
            server.close();
            assertThreadsEnded(server);
        }
    }

    @Test
    void closeReleasesEveryGateOfEveryReplyEvenOnesNotYetReached() throws Exception {
        Gate first = new Gate();
        Gate second = new Gate();
        Gate unserved = new Gate();
        server.enqueue(Reply.raw(200, "text/plain", "0123456789").holdAfter(2, first).holdAfter(5, second));
        server.enqueue(Reply.chat("never asked for").holdHead(unserved));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            first.awaitReached(BOUND);
            assertFalse(first.isReleased());
            server.close();
            assertTrue(first.isReleased());
            assertTrue(second.isReleased(), "the reply's later gate too");
            assertFalse(second.isReached());
            assertTrue(unserved.isReleased(), "and the gates of replies never served");
            assertThreadsEnded(server);
        }
    }

    @Test
    void aGateMetAfterCloseIsOpen() {
        server.close();
        Gate g = new Gate();
        server.enqueue(Reply.chat("x").holdHead(g));
        assertThrows(Exception.class, () -> post("{}"));
        assertFalse(g.isReached(), "nothing listens any more");
    }

    @ParameterizedTest
    @EnumSource(Reply.Fault.class)
    void eachFaultBreaksTheExchange(Reply.Fault fault) throws Exception {
        server.enqueue(Reply.fault(fault));
        assertThrows(IOException.class, () -> post("{}"));
        assertEquals(1, server.requestCount());
        server.enqueue(Reply.chat("after"));
        assertEquals(200, post("{}").statusCode(), "the server serves on after a fault");
    }

    @Test
    void aConnectionResetIsAnRstNotAnOrderlyClose() throws Exception {
        server.enqueue(Reply.fault(Reply.Fault.CONNECTION_RESET)).enqueue(Reply.fault(Reply.Fault.EMPTY_REPLY));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            java.net.SocketException e = assertThrows(java.net.SocketException.class, raw.in::read);
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.toString());
        }
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            assertEquals(-1, raw.in.read(), "an empty reply is an orderly close");
        }
    }

    @Test
    void randomDataIsGarbageThenAClose() throws Exception {
        server.enqueue(Reply.fault(Reply.Fault.RANDOM_DATA));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            String garbage = new String(raw.in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertFalse(garbage.isEmpty());
            assertFalse(garbage.startsWith("HTTP/"), garbage);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"401,Unauthorized", "404,Not Found", "429,Too Many Requests",
            "503,Service Unavailable", "529,Overloaded", "418,Status 418"})
    void theStatusLineCarriesAReasonPhrase(int status, String reason) throws Exception {
        assertEquals(server, server.setDefault(Reply.error(status, null, "x")));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            assertEquals("HTTP/1.1 " + status + " " + reason, raw.head().get(":status"));
        }
    }

    @Test
    void aMalformedChunkComesAfterAGoodHead() throws Exception {
        server.enqueue(Reply.fault(Reply.Fault.MALFORMED_CHUNK));
        try (Raw raw = new Raw(server)) {
            raw.send(POST + "Content-Length: 2\r\n\r\n{}");
            Map<String, String> head = raw.head();
            assertEquals("HTTP/1.1 200 OK", head.get(":status"));
            assertEquals("chunked", head.get("transfer-encoding"));
            assertEquals("5", raw.line());
            raw.in.readNBytes(7);
            assertThrows(NumberFormatException.class, () -> Integer.parseInt(raw.line(), 16));
        }
    }

    @Test
    void awaitRequestsWaitsForTheStateAndFailsPastItsBound() throws Exception {
        server.setDefault(Reply.chat("ok"));
        CompletableFuture<HttpResponse<String>> a = client.sendAsync(HttpRequest.newBuilder(uri())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        server.awaitRequests(1);
        assertTrue(server.requestCount() >= 1);
        a.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        AssertionError e = assertThrows(AssertionError.class, () -> server.awaitRequests(5, Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("received 1 requests, not 5"), e.getMessage());
    }

    @Test
    void aReplyThatCannotBeRenderedIsAClear500() throws Exception {
        WireDialect kimi = WireDialect.kimi();
        WireDialect broken = new WireDialect() {
            @Override public String basePath() { return kimi.basePath(); }
            @Override public String chatBody(ScriptedStream script) { throw new IllegalStateException("no body today"); }
            @Override public String streamBody(ScriptedStream script) { return kimi.streamBody(script); }
            @Override public String streamContentType() { return kimi.streamContentType(); }
            @Override public String errorBody(String type, String message) { return kimi.errorBody(type, message); }
            @Override public String errorEvent(String type, String message) { return kimi.errorEvent(type, message); }
            @Override public String malformedEvent() { return kimi.malformedEvent(); }
            @Override public List<dev.alfred.llm.ChatMessage> messages(RecordedRequest r) { return kimi.messages(r); }
            @Override public Map<String, String> options(RecordedRequest r) { return kimi.options(r); }
            @Override public String errorTypeFor(int status) { return kimi.errorTypeFor(status); }
        };
        try (FakeServer other = FakeServer.start(broken)) {
            other.enqueue(Reply.chat("x"));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(other.baseUri() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode());
            assertTrue(r.body().contains("no body today"), r.body());
        }
    }

    @Test
    void aPacedReplyStillPausesOnRealTimeButCloseEndsThePause() throws Exception {
        server.enqueue(Reply.chat("slow").afterDelay(Duration.ofMinutes(10)));
        CompletableFuture<HttpResponse<String>> a = client.sendAsync(HttpRequest.newBuilder(uri())
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        server.awaitRequests(1);
        server.close();
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> a.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IOException, e.toString());
        assertThreadsEnded(server);
    }

    @Test
    void repliesRejectWhatCannotBeHeld() {
        assertThrows(IllegalStateException.class, () -> Reply.chat("x").holdAfterDeltas(1, new Gate()));
        assertThrows(IllegalStateException.class, () -> Reply.fault(Reply.Fault.EMPTY_REPLY).holdAfter(1, new Gate()));
        assertThrows(IllegalArgumentException.class, () -> Reply.stream("x").holdAfter(-1, new Gate()));
        assertThrows(IllegalArgumentException.class, () -> Reply.stream("x").holdAfterDeltas(-1, new Gate()));
        assertThrows(NullPointerException.class, () -> Reply.stream("x").holdHead(null));
        assertThrows(IllegalArgumentException.class, () -> Reply.recorded(42, Map.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Reply.chat("x").afterDelay(Duration.ofSeconds(-1)));
        byte[] piece = utf8("abc");
        Reply r = Reply.recorded(200, Map.of(), List.of(piece));
        piece[0] = 'z';
        assertArrayEquals(utf8("abc"), r.recorded.get(0), "the pieces are copied");
        assertEquals("Reply{RECORDED 200, 1 pieces}", r.toString());
        assertEquals("Reply{STREAM, head held, 1 holds}", Reply.stream("x").holdHead(new Gate())
                .holdAfterDeltas(0, new Gate()).toString());
        assertEquals("Reply{ERROR 503 busy}", Reply.error(503, "busy", "m").toString());
        assertEquals("Reply{FAULT EMPTY_REPLY}", Reply.fault(Reply.Fault.EMPTY_REPLY).toString());
        Reply.recorded(100, Map.of(), List.of());
        Reply.recorded(999, Map.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> Reply.recorded(99, Map.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Reply.recorded(1000, Map.of(), List.of()));
        assertTrue(server.toString().startsWith("FakeServer{http://127.0.0.1:"), server.toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
