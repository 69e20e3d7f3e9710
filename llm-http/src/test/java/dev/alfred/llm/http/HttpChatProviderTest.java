package dev.alfred.llm.http;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RequestSettings;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.http.example.MessagesTextProvider;
import dev.alfred.llm.http.internal.WireLog;
import dev.alfred.llm.testkit.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider skeleton, through the README's example provider over a loopback server: the lifecycle
 * (close with streams open, abandoned streams, nothing left on the watchdog), a request's own settings,
 * typed failures of odd bodies, and the wire log.
 */
class HttpChatProviderTest {

    private static final String KEY = "sk-skeleton-test-0123456789abcdef";
    private static final String MESSAGE = "{\"type\":\"message\",\"model\":\"m-1\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\"}";

    private final AtomicLong now = new AtomicLong(7);
    private final Watchdog watchdog = Watchdog.manual(now::get);
    private Loopback server;
    private MessagesTextProvider provider;

    @AfterEach
    void stop() throws IOException {
        if (provider != null) {
            provider.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private MessagesTextProvider provider(URI base) {
        provider = MessagesTextProvider.builder().apiKey(KEY).baseUrl(base).watchdog(watchdog)
                .headersTimeout(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(1)).totalTimeout(Duration.ofSeconds(2))
                .header("X-Team", "alfred").build();
        return provider;
    }

    /** Streams two text events, then holds the stream open and waits for the client to go away. */
    private static Loopback.Handler heldStream(AtomicReference<Loopback> self) {
        return (r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream", "request-id", "req-" + self.get().requests());
            Loopback.chunk(out, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":"
                    + "{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n");
            // Blocks until the client closes its side (read gives -1) or the server closes.
            if (s.getInputStream().read() < 0) {
                throw new IOException("closed by the client");
            }
        };
    }

    private Loopback held() throws IOException {
        AtomicReference<Loopback> self = new AtomicReference<>();
        server = Loopback.start(heldStream(self));
        self.set(server);
        return server;
    }

    @Test
    void closeWithStreamsOpenAndReadersBlockedOnOtherThreadsReturnsAtOnce() throws Exception {
        MessagesTextProvider p = provider(held().uri(""));
        List<Thread> readers = new ArrayList<>();
        List<AtomicReference<Throwable>> outcomes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChatStream s = p.stream(ChatRequest.of("hi"));
            Iterator<ChatDelta> it = s.iterator();
            assertEquals("Hel", ((ChatDelta.Text) it.next()).text());
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    it.hasNext();
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            reader.start();
            readers.add(reader);
            outcomes.add(outcome);
        }
        for (Thread r : readers) {
            awaitBlocked(r);
        }
        assertEquals(3, p.liveExchanges());
        assertTimeoutPreemptively(Loopback.HANG, p::close, "close returned while streams were open");
        for (int i = 0; i < 3; i++) {
            readers.get(i).join(Loopback.HANG.toMillis());
            assertTrue(outcomes.get(i).get().getMessage().contains("the provider was closed"),
                    String.valueOf(outcomes.get(i).get()));
        }
        assertEquals(0, p.liveExchanges());
        assertEquals(0, watchdog.watching());
        assertEquals("messages-text: provider is closed",
                assertThrows(LlmException.class, () -> p.chat(ChatRequest.of("again"))).getMessage());
        server.awaitClosedByPeer(3);
    }

    @Test
    void anAbandonedStreamIsCancelledWhenCollectedAndFreesItsConnection() throws Exception {
        MessagesTextProvider p = provider(held().uri(""));
        openAndAbandon(p);
        assertEquals(1, p.liveExchanges());
        long until = System.nanoTime() + Loopback.HANG.toNanos();
        while (p.liveExchanges() > 0) {
            assertTrue(System.nanoTime() < until, "the abandoned stream's exchange was never cancelled");
            System.gc();
            Thread.onSpinWait();
        }
        server.awaitClosedByPeer(1);
        assertEquals(0, watchdog.watching());
        long warnings = CapturedLogs.lines().stream().filter(l -> l.level().equals("WARN")
                && l.message().contains("a stream was abandoned")).count();
        assertTrue(warnings >= 1, "the abandonment is named in a warning");
    }

    private static void openAndAbandon(MessagesTextProvider p) {
        ChatStream s = p.stream(ChatRequest.of("hi"));
        s.iterator().next();
    }

    @Test
    void aRequestCarriesItsOwnHeadersAndDeadlineButCannotReplaceTheProvidersHeaders() throws Exception {
        server = Loopback.start((r, s, out) -> {
            if (r.headers().containsKey("x-hold")) {
                server.awaitGate();
            } else {
                Loopback.respond(out, 200, "application/json", MESSAGE);
            }
        });
        MessagesTextProvider p = provider(server.uri(""));
        p.chat(ChatRequest.builder().user("hi").settings(RequestSettings.builder().header("X-Trace", "t-1")
                .header("X-Team", "override").build()).build());
        Loopback.Request r = server.takeRequest();
        assertEquals("t-1", r.headers().get("x-trace"));
        assertEquals("override", r.headers().get("x-team"), "a request's header replaces the builder's extra one");
        assertEquals(KEY, r.headers().get("x-api-key"));
        for (String reserved : new String[] {"x-api-key", "Anthropic-Version", "Content-Type", "User-Agent"}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> p.chat(ChatRequest.builder()
                    .user("hi").settings(RequestSettings.builder().header(reserved, "x").build()).build()));
            assertTrue(e.getMessage().contains("header '" + reserved + "' is set by the provider"), e.getMessage());
        }
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                p.chat(ChatRequest.builder().user("hi").settings(RequestSettings.builder().header("X-Hold", "1")
                        .timeout(Duration.ofMillis(500)).build()).build());
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        caller.start();
        server.awaitRequests(2);
        now.addAndGet(Duration.ofMillis(500).toNanos());
        watchdog.tick();
        caller.join(Loopback.HANG.toMillis());
        assertTrue(outcome.get() instanceof ProviderUnavailableException
                && outcome.get().getMessage().contains("no response headers within 500 ms"), String.valueOf(outcome.get()));
    }

    @Test
    void extraBodyFieldsAreAddedButReplaceTheLibrarysOnlyWhenTheRequestSaysSo() throws Exception {
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json", MESSAGE));
        MessagesTextProvider p = MessagesTextProvider.builder().apiKey(KEY).baseUrl(server.uri("")).watchdog(watchdog)
                .bodyField("service_tier", "\"flex\"").bodyField("metadata", "{\"team\":\"a\"}").build();
        provider = p;
        p.chat(ChatRequest.builder().user("hi").settings(RequestSettings.builder().bodyField("seed", "42")
                .bodyField("metadata", "{\"team\":\"b\"}").build()).build());
        String body = server.takeRequest().bodyText();
        assertTrue(body.endsWith(",\"service_tier\":\"flex\",\"metadata\":{\"team\":\"b\"},\"seed\":42}"), body);
        assertTrue(body.startsWith("{\"model\":\"claude-sonnet-4-5\""), body);
        InvalidRequestException conflict = assertThrows(InvalidRequestException.class, () -> p.chat(ChatRequest.builder()
                .user("hi").settings(RequestSettings.builder().bodyField("model", "\"other\"").build()).build()));
        assertEquals("messages-text: body field 'model' is written by the library; set replaceLibraryFields to send"
                + " yours instead", conflict.getMessage());
        assertEquals(1, server.requests(), "nothing was sent");
        p.chat(ChatRequest.builder().user("hi").settings(RequestSettings.builder().bodyField("model", "\"other\"")
                .replaceLibraryFields(true).build()).build());
        String replaced = server.takeRequest().bodyText();
        assertTrue(replaced.contains("\"model\":\"other\"") && !replaced.contains("claude"), replaced);
        assertThrows(IllegalArgumentException.class, () -> MessagesTextProvider.builder().bodyField("x", "{not json"));
    }

    @Test
    void optionsForAnotherProviderAreIgnoredWithAWarningOnTheResponse() throws Exception {
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json", MESSAGE));
        ProviderOptions kimi = () -> "kimi";
        List<String> warnings = provider(server.uri("")).chat(ChatRequest.builder().user("hi").options(kimi).build())
                .warnings();
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).endsWith("for provider 'kimi' were ignored by messages-text"), warnings.get(0));
    }

    @Test
    void aBodyThatIsNotTheApisShapeIsMalformedAndNotRetriedAndABigOneIsTooLarge() throws Exception {
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json",
                r.bodyText().contains("big") ? "{\"text\":\"" + "x".repeat(100) + "\"}" : "{\"text\":\"unterminated",
                "request-id", "req-9"));
        MessagesTextProvider p = MessagesTextProvider.builder().apiKey(KEY).baseUrl(server.uri("")).watchdog(watchdog)
                .maxBodyBytes(64).build();
        provider = p;
        MalformedResponseException m = assertThrows(MalformedResponseException.class, () -> p.chat(ChatRequest.of("hi")));
        assertFalse(m.isRetryable());
        assertTrue(m.getMessage().contains("malformed response body") && m.getMessage().contains("req-9"), m.getMessage());
        assertEquals(java.util.OptionalInt.of(200), m.httpStatus());
        ResponseTooLargeException big = assertThrows(ResponseTooLargeException.class, () -> p.chat(ChatRequest.of("big")));
        assertFalse(big.isRetryable());
        assertEquals(0, p.liveExchanges());
    }

    @Test
    void toStringNamesTheProviderWithoutItsKeyOrAUrlsSecrets() throws Exception {
        server = Loopback.start((r, s, out) -> { });
        MessagesTextProvider p = MessagesTextProvider.builder().apiKey(KEY)
                .baseUrl(URI.create(server.uri("").toString() + "?api_key=" + KEY)).build();
        provider = p;
        assertEquals("MessagesTextProvider{id=messages-text, baseUrl=http://127.0.0.1:" + server.uri("").getPort()
                + "?api_key=****, model=claude-sonnet-4-5, apiKey=****}", p.toString());
    }

    @Test
    void aKeyPastedIntoTheBaseUrlIsMaskedInTheBuildersMessageAndTheWireLog() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessagesTextProvider.builder()
                .apiKey(KEY).baseUrl(URI.create("http://10.1.2.3/v1?k=" + KEY)).build());
        assertFalse(e.getMessage().contains(KEY.substring(3, 11)), e.getMessage());
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json", MESSAGE));
        CapturedLogs.clear();
        provider = MessagesTextProvider.builder().apiKey(KEY).watchdog(watchdog)
                .baseUrl(URI.create(server.uri("").toString() + "?key=" + KEY)).build();
        provider.chat(ChatRequest.of("hi"));
        String wire = CapturedLogs.lines().stream().filter(l -> l.logger().equals(WireLog.LOGGER))
                .map(CapturedLogs.Line::message).collect(Collectors.joining("\n"));
        assertTrue(wire.contains("/v1/messages?key=****"), wire);
        assertFalse(wire.contains(KEY.substring(3, 11)), wire);
    }

    @Test
    void theWireLogShowsEachExchangeWithItsSecretsMasked() throws Exception {
        assertTrue(WireLog.enabled(), "the testkit's log capture logs every level");
        server = Loopback.start((r, s, out) -> {
            if (r.bodyText().contains("\"stream\":true")) {
                Loopback.chunkedHead(out, 200, "text/event-stream");
                Loopback.chunk(out, "event: message_stop\ndata: {\"type\":\"message_stop\",\"echo\":\"" + KEY + "\"}\n\n");
                Loopback.lastChunk(out);
            } else {
                Loopback.respond(out, 200, "application/json", MESSAGE, "request-id", "req-1");
            }
        });
        CapturedLogs.clear();
        MessagesTextProvider p = provider(server.uri(""));
        p.chat(ChatRequest.of("Say " + KEY));
        try (ChatStream s = p.stream(ChatRequest.of("stream it"))) {
            s.response();
        }
        List<String> wire = CapturedLogs.lines().stream().filter(l -> l.logger().equals(WireLog.LOGGER))
                .map(CapturedLogs.Line::message).collect(Collectors.toList());
        String all = String.join("\n", wire);
        assertTrue(wire.get(0).matches("(?s)#\\d+ → POST http://127\\.0\\.0\\.1:\\d+/v1/messages.*"), wire.get(0));
        assertTrue(all.contains("x-api-key: ****"), all);
        assertTrue(all.contains("X-Team: alfred"), all);
        assertTrue(all.contains("\"content\":\"Say ****\""), "bodies are scrubbed: " + all);
        assertTrue(all.matches("(?s).*#\\d+ ← 200 \\(\\d+ ms\\).*request-id: req-1.*"), all);
        assertTrue(all.contains("← body\n" + MESSAGE), all);
        assertTrue(all.contains("← event: message_stop data: {\"type\":\"message_stop\",\"echo\":\"****\"}"), all);
        assertFalse(all.contains(KEY.substring(3, 11)), all);
    }

    private static void awaitBlocked(Thread t) {
        assertTimeoutPreemptively(Loopback.HANG, () -> {
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED) {
                Thread.onSpinWait();
            }
        }, "the reader never blocked");
    }
}
