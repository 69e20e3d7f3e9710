package dev.alfred.llm.testkit;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the {@link FakeServer} serves its generated replies: only when nothing is queued and no default was set,
 * with the dialect's request-id header; and how it counts open exchanges, ending a held one whose client left.
 */
class FakeServerGeneratedTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String EMBED = "{\"input\":[\"a\"],\"model\":\"text-embedding-3-small\",\"dimensions\":4}";

    private static HttpResponse<String> post(FakeServer server, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void queuedRepliesAndDefaultsWinOverGeneratedOnes() throws Exception {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            HttpResponse<String> generated = post(server, "/embeddings", EMBED);
            assertEquals(200, generated.statusCode());
            assertTrue(generated.body().contains("\"object\":\"embedding\""), generated.body());
            assertTrue(generated.headers().firstValue("x-request-id").orElse("").startsWith("req_fake"), "a request id, as scripted replies have");
            server.enqueue(Reply.error(429, "requests", "slow down"));
            assertEquals(429, post(server, "/embeddings", EMBED).statusCode(), "a queued reply wins");
            assertEquals(500, post(server, "/chat/completions", "{}").statusCode(), "nothing generated for chat");
            server.setDefault(Reply.error(503, "server_error", "down"));
            assertEquals(503, post(server, "/embeddings", EMBED).statusCode(), "a default set by the test wins");
        }
    }

    @Test
    void theInputLimitIsEnforced() throws Exception {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            server.limitEmbeddingInputs(1);
            HttpResponse<String> r = post(server, "/embeddings", "{\"input\":[\"a\",\"b\"],\"model\":\"text-embedding-3-small\"}");
            assertEquals(400, r.statusCode());
            assertTrue(r.body().contains("invalid_request_error"), r.body());
        }
    }

    @Test
    void aHeldExchangeIsOpenUntilItsClientLeaves() throws Exception {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            Gate gate = new Gate();
            server.enqueue(Reply.generated().holdHead(gate));
            try (Socket s = new Socket(server.baseUri().getHost(), server.baseUri().getPort())) {
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + EMBED.length() + "\r\n\r\n" + EMBED).getBytes(StandardCharsets.UTF_8));
                out.flush();
                gate.awaitReached(Duration.ofSeconds(20));
                assertEquals(1, server.openExchanges());
            }
            server.awaitNoOpenExchange(Duration.ofSeconds(20));
            assertEquals(0, server.openExchanges());
            assertTrue(!gate.isReleased(), "the client's leaving ended it, not a release");
        }
    }

    @Test
    void aReleasedHeldExchangeIsAnsweredAndCloses() throws Exception {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            Gate gate = new Gate();
            server.enqueue(Reply.generated().holdHead(gate));
            try (Socket s = new Socket(server.baseUri().getHost(), server.baseUri().getPort())) {
                s.getOutputStream().write(("POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Length: " + EMBED.length()
                        + "\r\n\r\n" + EMBED).getBytes(StandardCharsets.UTF_8));
                gate.awaitReached(Duration.ofSeconds(20));
                gate.release();
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(15);
                assertEquals("HTTP/1.1 200 OK", new String(head, StandardCharsets.ISO_8859_1));
            }
            server.awaitNoOpenExchange(Duration.ofSeconds(20));
        }
    }
}
