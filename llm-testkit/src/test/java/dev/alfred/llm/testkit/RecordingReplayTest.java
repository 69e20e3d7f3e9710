package dev.alfred.llm.testkit;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corpus as the kit serves it ({@link Recordings}, {@link Recording}) and the request ids the fake
 * server gives its scripted replies.
 */
class RecordingReplayTest {

    private static byte[] join(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void everyCutOfEveryRecordingAddsUpToItsBytes() {
        for (Recording r : Recordings.all()) {
            for (Recording.Cut cut : Recording.Cut.values()) {
                assertArrayEquals(r.replayBytes(), join(r.pieces(cut)), r + " " + cut);
            }
            if (r.isStream()) {
                List<byte[]> events = r.pieces(Recording.Cut.PER_EVENT);
                for (byte[] e : events.subList(0, events.size() - 1)) {
                    String s = new String(e, StandardCharsets.UTF_8);
                    assertTrue(s.endsWith("\n\n"), r + ": a piece that is not one event: " + s);
                }
            }
            assertFalse(r.pieces(Recording.Cut.ODD_BYTES).stream().anyMatch(p -> p.length > 29), r.toString());
        }
    }

    @Test
    void onlyStreamsWhoseEndMarkerWasNotStoredGetOne() {
        Recording rebuilt = Recordings.named("deepseek/vai-deepseek-tool-call.chunks.sse");
        assertTrue(rebuilt.needsEndMarker());
        assertTrue(new String(rebuilt.replayBytes(), StandardCharsets.UTF_8).endsWith("\n\ndata: [DONE]\n\n"));
        assertTrue(Recordings.named("kimi/kcli-test_kimi_stream_usage.finish-chunk.sse").needsEndMarker(), "a fragment");
        assertFalse(Recordings.named("openai/opy-test_parse_nothing.sse").needsEndMarker(), "recorded with its [DONE]");
        assertFalse(Recordings.named("groq/pai-test_tool_use_failed_error_streaming_with_text.0.sse").needsEndMarker(),
                "a stream that ended in an error event stays as it ended");
        assertFalse(Recordings.named("anthropic/vai-anthropic-text.chunks.sse").needsEndMarker(), "Anthropic has no [DONE]");
        assertEquals("application/json", Recordings.named("openai/issue-gpt-pilot-340-insufficient-quota.json")
                .replayHeaders().get("content-type"), "a type where the source recorded no header");
        assertThrows(IllegalArgumentException.class, () -> Recordings.named("openai/none.sse"));
        assertTrue(Recordings.groundTruth("kimi").stream().noneMatch(Recording::synthetic));
    }

    @Test
    void aRecordedReplyIsServedByteForByteWithItsOwnHeadersOnly() throws IOException, InterruptedException {
        Recording r = Recordings.named("anthropic/issue-anthropic-sdk-typescript-616-overloaded.json");
        try (FakeServer server = FakeServer.start(WireDialect.anthropic())) {
            server.enqueue(r.reply(Recording.Cut.ODD_BYTES));
            HttpResponse<byte[]> response = post(server.baseUri());
            assertEquals(529, response.statusCode());
            assertArrayEquals(r.bytes(), response.body());
            assertEquals(Optional.of("req_01RCc7MbLyQNtGKzBTv8VCep"), response.headers().firstValue("request-id"),
                    "the recorded id, not one of the fake's");
            assertEquals(Optional.of("true"), response.headers().firstValue("x-should-retry"));
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<byte[]> post(URI base) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/v1/x")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void scriptedRepliesNameTheirExchangeInTheDialectsHeader() throws IOException, InterruptedException {
        try (FakeServer server = FakeServer.start(WireDialect.anthropic())) {
            server.enqueue(Reply.error(529, "overloaded_error", "Overloaded"))
                    .enqueue(Reply.chat("ok"))
                    .enqueue(Reply.error(500, "api_error", "x").withHeader("Request-Id", "req_mine"))
                    .enqueue(Reply.error(401, "authentication_error", "x").withoutHeader("request-id"))
                    .enqueue(Reply.raw(502, "text/html", "<html>bad gateway</html>"));
            HttpResponse<byte[]> first = post(server.baseUri());
            assertEquals(Optional.of("req_fake0001"), first.headers().firstValue("request-id"));
            assertTrue(new String(first.body(), StandardCharsets.UTF_8).contains("\"request_id\":\"req_fake0001\""),
                    "the body names the header's id");
            assertEquals(Optional.of("req_fake0002"), post(server.baseUri()).headers().firstValue("request-id"));
            HttpResponse<byte[]> mine = post(server.baseUri());
            assertEquals(List.of("req_mine"), mine.headers().allValues("request-id"), "the reply's own id, once");
            assertTrue(new String(mine.body(), StandardCharsets.UTF_8).contains("req_mine"));
            HttpResponse<byte[]> without = post(server.baseUri());
            assertEquals(Optional.empty(), without.headers().firstValue("request-id"));
            assertTrue(new String(without.body(), StandardCharsets.UTF_8).contains("\"request_id\":\"req_fake"),
                    "the body still names one");
            assertEquals(Optional.empty(), post(server.baseUri()).headers().firstValue("request-id"), "a proxy's page names none");
        }
        try (FakeServer server = FakeServer.start(WireDialect.kimi())) {
            server.enqueue(Reply.stream("a"));
            assertEquals(Optional.of("req_fake0001"), post(server.baseUri()).headers().firstValue("x-trace-id"));
        }
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            server.enqueue(Reply.chat("a"));
            assertEquals(Optional.of("req_fake0001"), post(server.baseUri()).headers().firstValue("x-request-id"));
        }
    }
}
