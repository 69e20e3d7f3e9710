package dev.alfred.llm.http;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
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
import java.lang.ref.WeakReference;
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
        List<Background> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ChatStream s = p.stream(ChatRequest.of("hi"));
            Iterator<ChatDelta> it = s.iterator();
            assertEquals("Hel", ((ChatDelta.Text) it.next()).text());
            readers.add(Background.blocked(it::hasNext));
        }
        assertEquals(3, p.liveExchanges());
        assertTimeoutPreemptively(Loopback.HANG, p::close, "close returned while streams were open");
        assertEquals(0, p.liveExchanges(), "close cancelled every exchange before it returned");
        assertEquals(0, watchdog.watching());
        for (Background reader : readers) {
            Throwable outcome = reader.outcome();
            assertTrue(outcome.getMessage().contains("the provider was closed"), String.valueOf(outcome));
        }
        assertEquals("messages-text: provider is closed",
                assertThrows(LlmException.class, () -> p.chat(ChatRequest.of("again"))).getMessage());
        assertEquals("messages-text: provider is closed",
                assertThrows(LlmException.class, () -> p.stream(ChatRequest.of("again"))).getMessage());
        server.awaitClosedByPeer(3);
    }

    @Test
    void anAbandonedStreamIsCancelledWhenCollectedAndFreesItsConnection() throws Exception {
        MessagesTextProvider p = provider(held().uri(""));
        WeakReference<ChatStream> abandoned = openAndAbandon(p);
        assertEquals(1, p.liveExchanges());
        long until = System.nanoTime() + Loopback.HANG.toNanos();
        while (abandoned.get() != null) {
            assertTrue(System.nanoTime() < until, "the abandoned stream was never collected");
            System.gc();
        }
        // Collected: the cleaner's thread cancels its exchange.
        while (p.liveExchanges() > 0) {
            assertTrue(System.nanoTime() < until, "the abandoned stream's exchange was never cancelled");
            Thread.onSpinWait();
        }
        server.awaitClosedByPeer(1);
        assertEquals(0, watchdog.watching());
        List<CapturedLogs.Line> warnings = CapturedLogs.lines().stream().filter(l -> l.level().equals("WARN")
                && l.message().startsWith("messages-text: a stream was abandoned")).collect(Collectors.toList());
        assertFalse(warnings.isEmpty(), "the abandonment is named in a warning");
        assertTrue(warnings.stream().allMatch(l -> String.valueOf(l.thrown()).contains("the abandoned stream was opened here")),
                "with DEBUG on, the warning says where the stream was opened: " + warnings);
    }

    private static WeakReference<ChatStream> openAndAbandon(MessagesTextProvider p) {
        ChatStream s = p.stream(ChatRequest.of("hi"));
        s.iterator().next();
        return new WeakReference<>(s);
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

    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();

    /** A provider with an id of its own, so that what the JVM remembers per provider starts afresh. */
    private ScriptedProvider scripted(Loopback.Handler handler) throws IOException {
        server = Loopback.start(handler);
        return ScriptedProvider.builder("skeleton-" + IDS.incrementAndGet()).baseUrl(server.uri("/")).watchdog(watchdog)
                .build();
    }

    @Test
    void everyRequestCarriesTheCommonHeadersForWhatItAsksFor() throws Exception {
        ScriptedProvider p = scripted(EventStreamChatStreamTest.scripted());
        try (p) {
            assertEquals("x", p.stream(ChatRequest.of("text:x|end:")).response().content());
            Loopback.Request streamed = server.takeRequest();
            assertEquals("/v1/stream", streamed.target());
            assertEquals("text/event-stream", streamed.headers().get("accept"));
            assertEquals("application/json", streamed.headers().get("content-type"));
            assertEquals(HttpTransport.USER_AGENT, streamed.headers().get("user-agent"));
            assertEquals("text:x|end:", streamed.bodyText());
            assertFalse(streamed.headers().containsKey("x-key"), "a loopback server without a key gets none");
        }
        ScriptedProvider chat = ScriptedProvider.builder("skeleton-" + IDS.incrementAndGet()).apiKey(KEY)
                .baseUrl(server.uri("/")).watchdog(watchdog).build();
        try (chat) {
            assertEquals("hello", chat.chat(ChatRequest.of("hello")).content());
        }
        Loopback.Request whole = server.takeRequest();
        assertEquals("/v1/chat", whole.target());
        assertEquals("application/json", whole.headers().get("accept"));
        assertEquals(KEY, whole.headers().get("x-key"));
    }

    @Test
    void aRequestTheProviderCannotServeIsRefusedBeforeAnythingIsSent() throws Exception {
        ScriptedProvider p = scripted((r, s, out) -> Loopback.respond(out, 200, "application/json", "ok"));
        try (p) {
            ChatRequest withTool = ChatRequest.builder().user("hi").tools(List.of(dev.alfred.llm.ToolDefinition.function(
                    "f", "d", dev.alfred.llm.JsonSchema.of("{\"type\":\"object\"}")))).build();
            dev.alfred.llm.UnsupportedFeatureException e = assertThrows(dev.alfred.llm.UnsupportedFeatureException.class,
                    () -> p.chat(withTool));
            assertTrue(e.getMessage().startsWith(p.id() + " does not support TOOLS"), e.getMessage());
            assertEquals(0, server.requests());
        }
    }

    @Test
    void optionsForAnotherProviderAreLoggedOncePerTypeAndProvider() throws Exception {
        ScriptedProvider p = scripted((r, s, out) -> Loopback.respond(out, 200, "application/json", "ok"));
        try (p) {
            ProviderOptions mine = p::id;
            ProviderOptions theirs = () -> "elsewhere";
            for (int i = 0; i < 3; i++) {
                ChatResponse r = p.chat(ChatRequest.builder().user("hi").options(mine).options(theirs).build());
                assertEquals("ok", r.content());
                assertEquals(1, r.warnings().size(), "only the foreign options are ignored: " + r.warnings());
            }
            long logged = CapturedLogs.lines().stream().filter(l -> l.level().equals("WARN")
                    && l.message().contains("were ignored by " + p.id() + " (logged once per options type)")).count();
            assertEquals(1, logged);
        }
    }

    @Test
    void aBodyTheDecoderCannotReadIsMalformedAndItsOwnErrorsPassAsTheyAre() throws Exception {
        ScriptedProvider p = scripted((r, s, out) -> Loopback.respond(out, 200, "application/json", r.bodyText(),
                "x-request-id", "req-3"));
        try (p) {
            MalformedResponseException m = assertThrows(MalformedResponseException.class, () -> p.chat(ChatRequest.of("boom")));
            assertTrue(m.getMessage().contains("malformed response body (cannot read ****)"), m.getMessage());
            assertTrue(m.getMessage().contains("req-3"), m.getMessage());
            assertFalse(String.valueOf(m.getCause()).contains(HttpExchangeTest.KEY.substring(3, 11)), "the cause is scrubbed");
            LlmException own = assertThrows(LlmException.class, () -> p.chat(ChatRequest.of("throw-llm")));
            assertEquals(p.id() + ": the body says no", own.getMessage());
            assertEquals(0, p.liveExchanges());
        }
    }

    @Test
    void theProviderDescribesItselfWithoutSecrets() throws Exception {
        ScriptedProvider p = scripted((r, s, out) -> { });
        try (p) {
            assertTrue(p.id().startsWith("skeleton-"));
            assertEquals("script-1", p.model());
            assertEquals(server.uri("/"), p.baseUrl());
            assertEquals(new dev.alfred.llm.ProviderEndpoint(server.uri("/"), "script-1"), p.endpoint());
            assertEquals("ScriptedProvider{id=" + p.id() + ", script=yes, baseUrl=" + server.uri("/")
                    + ", model=script-1, apiKey=none}", p.toString());
        }
    }
}
