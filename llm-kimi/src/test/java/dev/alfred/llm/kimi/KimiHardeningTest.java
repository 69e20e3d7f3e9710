package dev.alfred.llm.kimi;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.Usage;
import dev.alfred.llm.http.error.ErrorMapper;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.testkit.CapturedLogs;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.KeyLeaks;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.StreamRecording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a hostile server and a code review found in wave 1 (issue 10): partial and echoed keys, unbounded
 * messages, error events taken for success, foreign choices, strict usage, absurd Retry-After values,
 * deadlines that started too early, plain http, missing ids. Real HTTP against the fake server.
 */
class KimiHardeningTest {

    private static final String KEY = "sk-LEAKCHECK-7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c1e";

    private FakeServer server;
    private KimiProvider kimi;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        kimi = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).idleTimeout(Duration.ofSeconds(5)).build();
        CapturedLogs.clear();
    }

    @AfterEach
    void stop() {
        kimi.close();
        server.close();
    }

    private static String sse(String... events) {
        return String.join("\n\n", events) + "\n\n";
    }

    private static String content(String text) {
        return "data: {\"model\":\"kimi-k3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}";
    }

    private void assertNoLeakInLogs() {
        for (CapturedLogs.Line line : CapturedLogs.lines()) {
            KeyLeaks.assertNone(KEY, "a log line of " + line.logger(), line.text());
        }
    }

    // 1. A key that straddles the length bound must not survive in part.
    @Test
    void aKeyStraddlingTheCutOfAPlainTextErrorBodyLeavesNoRun() {
        String body = "x".repeat(167) + " " + KEY + " and more text after the key";
        server.setDefault(Reply.raw(401, "text/plain", body));
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> kimi.chat(ChatRequest.of("hi")));
        KeyLeaks.assertNone(KEY, e);
        assertTrue(e.getMessage().contains("x".repeat(100)), "the server's text is kept: " + e.getMessage());
        assertTrue(e.getMessage().contains("****"), e.getMessage());
        // a key cut in half by the server itself is still scrubbed
        server.setDefault(Reply.raw(401, "text/plain", "bad key " + KEY.substring(0, 20)));
        KeyLeaks.assertNone(KEY, assertThrows(AuthenticationException.class, () -> kimi.chat(ChatRequest.of("hi"))));
        assertNoLeakInLogs();
    }

    @Test
    void aKeyInAMalformedChunkIsScrubbedBeforeTheSnippetIsCut() {
        server.enqueue(Reply.raw(200, "text/event-stream", sse(content("ok"), "data: {\"broken\": \"" + "y".repeat(100) + KEY)));
        StreamInterruptedException e = StreamRecording.of(kimi.stream(ChatRequest.of("hi")))
                .assertFailed(StreamInterruptedException.class);
        KeyLeaks.assertNone(KEY, e);
        assertTrue(e.getCause().getMessage().contains("malformed stream chunk"), e.getCause().getMessage());
    }

    // 2. The error type and the trace id are scrubbed as well as the message.
    @Test
    void anEchoedKeyInTheErrorTypeOrTraceIdIsScrubbed() {
        server.setDefault(Reply.error(401, "invalid_key_" + KEY, "Incorrect API key " + KEY).withHeader("x-trace-id", KEY));
        LlmException http = assertThrows(AuthenticationException.class, () -> kimi.chat(ChatRequest.of("hi")));
        KeyLeaks.assertNone(KEY, http);
        assertEquals(Optional.of("invalid_key_****"), http.errorType());
        assertEquals(Optional.of("****"), http.traceId());

        server.setDefault(Reply.raw(200, "text/event-stream",
                sse("data: {\"error\":{\"message\":\"bad " + KEY + "\",\"type\":\"" + KEY + "\",\"code\":\"" + KEY + "\"}}")));
        KeyLeaks.assertNone(KEY, StreamRecording.of(kimi.stream(ChatRequest.of("hi"))).failure());
        assertNoLeakInLogs();
    }

    // 6. Messages are bounded, whatever the server sends.
    @Test
    void aHugeErrorMessageIsBoundedWithACountOfWhatWasCut() {
        String huge = "m".repeat(60_000);
        server.setDefault(Reply.error(500, "server_error", huge));
        LlmException e = assertThrows(ProviderUnavailableException.class, () -> kimi.chat(ChatRequest.of("hi")));
        assertTrue(e.getMessage().length() < 1300, "bounded: " + e.getMessage().length());
        assertTrue(e.getMessage().contains("… (" + (60_000 - ErrorMapper.MAX_SERVER_TEXT) + " more characters)"),
                e.getMessage());

        String streamed = "s".repeat(900_000);
        server.setDefault(Reply.raw(200, "text/event-stream",
                sse(content("a"), "data: {\"error\":{\"message\":\"" + streamed + "\",\"type\":\"server_error\"}}")));
        LlmException s = StreamRecording.of(kimi.stream(ChatRequest.of("hi"))).failure();
        assertTrue(s.getMessage().length() < 1500, "bounded: " + s.getMessage().length());
        assertTrue(s.getCause().getMessage().length() < 1300, "bounded: " + s.getCause().getMessage().length());
    }

    @Test
    void anHtmlErrorPageGivesItsTitleOnce() {
        server.setDefault(Reply.raw(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center>"
                + "<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"));
        LlmException e = assertThrows(ProviderUnavailableException.class, () -> kimi.chat(ChatRequest.of("hi")));
        assertEquals("kimi: HTTP 502 - non-JSON body: 502 Bad Gateway", e.getMessage());
    }

    // 7. An error event is an error, before or after output, through [DONE] or not.
    @Test
    void anErrorEventAfterOutputFailsTheStreamEvenWhenDoneFollows() {
        server.enqueue(Reply.raw(200, "text/event-stream", sse(content("Hel"),
                "event: error\ndata: {\"error\":{\"message\":\"stream failure upstream\",\"type\":\"server_error\"}}",
                "data: [DONE]")));
        StreamRecording rec = StreamRecording.of(kimi.stream(ChatRequest.of("hi")));
        StreamInterruptedException e = rec.assertFailed(StreamInterruptedException.class);
        assertEquals("Hel", e.partialContent());
        assertInstanceOf(ProviderUnavailableException.class, e.getCause());
        assertTrue(e.getCause().isRetryable());
        assertTrue(e.getCause().getMessage().contains("stream failure upstream"), e.getCause().getMessage());
    }

    @Test
    void anErrorEventBeforeOutputIsTypedByItsTypeAndRetryableAsItSays() {
        server.enqueue(Reply.raw(200, "text/event-stream", sse(
                "event: error\ndata: {\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_reached_error\"}}",
                "data: [DONE]")));
        RateLimitException rate = StreamRecording.of(kimi.stream(ChatRequest.of("hi"))).assertFailed(RateLimitException.class);
        assertTrue(rate.isRetryable());
        assertEquals(Optional.of("rate_limit_reached_error"), rate.errorType());

        server.enqueue(Reply.raw(200, "text/event-stream", sse("event: error\ndata: upstream exploded", "data: [DONE]")));
        ProviderUnavailableException plain = StreamRecording.of(kimi.stream(ChatRequest.of("hi")))
                .assertFailed(ProviderUnavailableException.class);
        assertTrue(plain.getMessage().contains("upstream exploded"), plain.getMessage());

        server.enqueue(Reply.raw(200, "text/event-stream", sse("event: error\ndata: {\"detail\":\"odd\"}", "data: [DONE]")));
        assertTrue(StreamRecording.of(kimi.stream(ChatRequest.of("hi"))).assertFailed(ProviderUnavailableException.class)
                .getMessage().contains("odd"));

        server.enqueue(Reply.raw(200, "text/event-stream", sse("event: ping\ndata: {}", content("fine"), "data: [DONE]")));
        assertEquals("fine", StreamRecording.of(kimi.stream(ChatRequest.of("hi"))).assertCompleted().content(),
                "other named events are still ignored");
    }

    // 8. Only choice 0 is the answer.
    @Test
    void otherChoicesAndNonObjectEntriesNeverJoinTheAnswer() {
        server.enqueue(Reply.raw(200, "text/event-stream", sse(content("Hel"),
                "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"ignored\"}}]}",
                "data: {\"choices\":[7,{\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}", "data: [DONE]")));
        assertEquals("Hello", StreamRecording.of(kimi.stream(ChatRequest.of("hi"))).assertCompleted().content());
    }

    // 9. Odd usage never costs a complete answer.
    @Test
    void oddUsageNumbersKeepTheAnswer() {
        server.enqueue(Reply.raw(200, "text/event-stream", sse(content("All here"),
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\",\"usage\":{\"prompt_tokens\":3.0,"
                        + "\"completion_tokens\":123456789012345678901234567890,\"total_tokens\":7}}]}", "data: [DONE]")));
        StreamRecording rec = StreamRecording.of(kimi.stream(ChatRequest.of("hi")));
        assertEquals("All here", rec.assertCompleted().content());
        assertEquals(new Usage(3, 0, 7, 0, 0, 0), rec.response().usage());
        assertTrue(CapturedLogs.lines().stream().anyMatch(l -> l.level().equals("DEBUG")
                && l.text().contains("completion_tokens")), "the dropped count is logged at DEBUG");
    }

    // 10. A Retry-After too large to represent is "too long", not "absent".
    @ParameterizedTest
    @ValueSource(strings = {"Retry-After", "retry-after-ms"})
    void anAbsurdRetryAfterIsTheLongestWaitNotNone(String header) {
        server.setDefault(Reply.error(429, "rate_limit_reached_error", "wait").withHeader(header, "9".repeat(400)));
        RateLimitException e = assertThrows(RateLimitException.class, () -> kimi.chat(ChatRequest.of("hi")));
        assertEquals(Optional.of(ErrorMapper.LONGEST_WAIT), e.retryAfter());
    }

    // 11. Deadlines start at send, not at stream().
    @Test
    void aStreamReadLongAfterItWasCreatedDoesNotTimeOutAtOnce() throws Exception {
        AtomicLong now = new AtomicLong();
        Watchdog watchdog = Watchdog.manual(now::get);
        try (HeldServer held = new HeldServer(sse(content("late but fine"), "data: [DONE]"));
             KimiProvider k = KimiProvider.builder().apiKey(KEY).baseUrl(held.baseUri()).watchdog(watchdog)
                     .headersTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(1))
                     .totalTimeout(Duration.ofSeconds(2)).build()) {
            ChatStream s = k.stream(ChatRequest.of("hi"));
            now.addAndGet(Duration.ofMinutes(10).toNanos()); // the caller reads ten minutes later
            CompletableFuture<StreamRecording> read = CompletableFuture.supplyAsync(() -> StreamRecording.of(s));
            held.awaitRequest();                              // sent: the head deadline is armed
            assertEquals(1, watchdog.watching());
            watchdog.tick();                                  // a deadline taken at stream() would fire here
            now.addAndGet(Duration.ofMillis(999).toNanos());
            watchdog.tick();
            assertEquals(1, watchdog.watching(), "the head deadline, 1 s from send, has not passed");
            held.release();
            assertEquals("late but fine", read.get(20, TimeUnit.SECONDS).assertCompleted().content());
        }
    }

    /** A loopback server for one exchange that holds its response until released. */
    private static final class HeldServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final CountDownLatch requested = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final Thread thread;

        HeldServer(String eventStream) throws IOException {
            thread = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        head.append((char) in.read());
                    }
                    requested.countDown();
                    released.await();
                    byte[] body = eventStream.getBytes(StandardCharsets.UTF_8);
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + body.length
                            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                } catch (IOException | InterruptedException ignored) {
                    // the test ended
                }
            }, "held-server");
            thread.setDaemon(true);
            thread.start();
        }

        URI baseUri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v1");
        }

        void awaitRequest() throws InterruptedException {
            assertTrue(requested.await(20, TimeUnit.SECONDS), "the request never came");
        }

        void release() {
            released.countDown();
        }

        @Override
        public void close() throws IOException {
            released.countDown();
            socket.close();
        }
    }

    // 5. No key over plain http to the network.
    @Test
    void plainHttpToANonLoopbackHostIsRefusedNamingTheSetting() {
        for (String url : List.of("http://api.moonshot.ai/v1", "http://10.0.0.5:8080/v1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KimiProvider.builder().apiKey(KEY).baseUrl(URI.create(url)).build());
            assertTrue(e.getMessage().contains("kimi.base.url") && e.getMessage().contains("allow-insecure-http"),
                    e.getMessage());
            KimiProvider.builder().apiKey(KEY).baseUrl(URI.create(url)).allowInsecureHttp(true).build().close();
            new KimiProviderFactory().create(ProviderConfig.of(Map.of("KIMI_API_KEY", KEY, "KIMI_BASE_URL", url,
                    "KIMI_ALLOW_INSECURE_HTTP", "true"))).close();
            assertThrows(IllegalArgumentException.class, () -> new KimiProviderFactory().create(
                    ProviderConfig.of(Map.of("KIMI_API_KEY", KEY, "KIMI_BASE_URL", url))));
        }
        for (String url : List.of("http://localhost:8080/v1", "http://127.0.0.1:1/v1", "http://127.8.9.10/v1",
                "http://[::1]:9/v1", "https://api.moonshot.ai/v1")) {
            KimiProvider.builder().apiKey(KEY).baseUrl(URI.create(url)).build().close();
        }
    }

    // 24. Provider id on every exception; the trace id is a field.
    @Test
    void everyExceptionNamesItsProviderAndCarriesTheTraceId() {
        server.setDefault(Reply.error(503, "server_error", "down").withHeader("x-trace-id", "trace-77"));
        LlmException e = assertThrows(ProviderUnavailableException.class, () -> kimi.chat(ChatRequest.of("hi")));
        assertEquals(Optional.of("trace-77"), e.traceId());
        assertEquals(Optional.of("kimi"), e.providerId());

        server.setDefault(Reply.stream("a", "b"));
        ChatStream closed = kimi.stream(ChatRequest.of("hi"));
        closed.close();
        LlmException c = assertThrows(LlmException.class, () -> closed.iterator().hasNext());
        assertEquals(Optional.of("kimi"), c.providerId());

        server.setDefault(Reply.raw(200, "text/event-stream", sse(content("x"),
                "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}")).withHeader("x-trace-id", "trace-88"));
        StreamInterruptedException i = StreamRecording.of(kimi.stream(ChatRequest.of("hi")))
                .assertFailed(StreamInterruptedException.class);
        assertEquals(Optional.of("trace-88"), i.traceId());
        assertEquals(Optional.of("trace-88"), i.getCause().traceId());
    }
}
