package dev.alfred.llm.http;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.RequestSettings;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.http.internal.WireLog;
import dev.alfred.llm.testkit.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HttpChatProvider#call}, the skeleton's hook for calls beside chat, over a loopback server: what it
 * sends, what it reads, how it fails (typed, bounded, the key left out), and that it lives and dies with the
 * provider (refused after close, cancelled by close).
 */
class HttpChatProviderCallTest {

    private static final String KEY = HttpExchangeTest.KEY;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final AtomicLong now = new AtomicLong(11);
    private final Watchdog watchdog = Watchdog.manual(now::get);
    private Loopback server;
    private ScriptedProvider provider;

    @AfterEach
    void stop() throws IOException {
        if (provider != null) {
            provider.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ScriptedProvider.Builder builder(Loopback.Handler handler) throws IOException {
        server = Loopback.start(handler);
        return ScriptedProvider.builder("call-" + IDS.incrementAndGet()).apiKey(KEY).baseUrl(server.uri("/"))
                .watchdog(watchdog).header("X-Team", "alfred");
    }

    private ScriptedProvider provider(Loopback.Handler handler) throws IOException {
        provider = builder(handler).build();
        return provider;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void aGetIsSentWithTheProvidersHeadersAndNoBodyAndAnsweredWithTheWholeBody() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> Loopback.respond(out, 200, "application/json",
                "{\"data\":[]}", "x-request-id", "req-7"));
        HttpChatProvider.Reply reply = p.call("GET", server.uri("/v1/models?limit=2"), null, RequestSettings.NONE);

        assertEquals("{\"data\":[]}", text(reply.body()));
        assertEquals("req-7", reply.requestId());
        Loopback.Request r = server.takeRequest();
        assertEquals("GET", r.method());
        assertEquals("/v1/models?limit=2", r.target());
        assertEquals(0, r.body().length);
        assertEquals(KEY, r.headers().get("x-key"), "the subclass authenticates");
        assertEquals("alfred", r.headers().get("x-team"), "the provider's extra headers go too");
        assertEquals("application/json", r.headers().get("accept"));
        assertEquals(HttpTransport.USER_AGENT, r.headers().get("user-agent"));
        assertFalse(r.headers().containsKey("content-type"), "no body, no content type: " + r.headers());
        assertEquals(0, p.liveExchanges(), "the exchange ended with its body");
    }

    @Test
    void aPostCarriesItsJsonBodyWithTheExtraFieldsAndTheCallsOwnHeaders() throws Exception {
        provider = builder((r, s, out) -> Loopback.respond(out, 200, "application/json", "{\"n\":1}"))
                .bodyField("service_tier", "\"flex\"").build();
        RequestSettings own = RequestSettings.builder().header("X-Trace", "t-1").header("X-Team", "own")
                .bodyField("seed", "42").build();
        HttpChatProvider.Reply reply = provider.call("POST", server.uri("/v1/count"),
                "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), own);

        assertEquals("{\"n\":1}", text(reply.body()));
        Loopback.Request r = server.takeRequest();
        assertEquals("POST", r.method());
        assertEquals("{\"model\":\"m\",\"service_tier\":\"flex\",\"seed\":42}", r.bodyText());
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals("t-1", r.headers().get("x-trace"));
        assertEquals("own", r.headers().get("x-team"), "the call's header replaces the provider's extra one");
        assertEquals(KEY, r.headers().get("x-key"));
    }

    @Test
    void whatACallCannotSendIsRefusedBeforeAnythingIsSent() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> Loopback.respond(out, 200, "application/json", "{}"));
        for (String reserved : new String[] {"X-Key", "User-Agent", "Accept"}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> p.call("GET",
                    server.uri("/m"), null, RequestSettings.builder().header(reserved, "x").build()));
            assertEquals(p.id() + ": header '" + reserved + "' is set by the provider and a request cannot replace it",
                    e.getMessage());
        }
        InvalidRequestException noBody = assertThrows(InvalidRequestException.class, () -> p.call("GET",
                server.uri("/m?key=" + KEY), null, RequestSettings.builder().bodyField("seed", "1").build()));
        assertEquals(p.id() + ": body fields [seed] need a request body, and GET " + server.uri("/m?key=****")
                + " has none", noBody.getMessage());
        InvalidRequestException clash = assertThrows(InvalidRequestException.class, () -> p.call("POST",
                server.uri("/m"), "{\"seed\":1}".getBytes(StandardCharsets.UTF_8),
                RequestSettings.builder().bodyField("seed", "2").build()));
        assertTrue(clash.getMessage().contains("body field 'seed' is written by the library"), clash.getMessage());
        assertThrows(NullPointerException.class, () -> p.call(null, server.uri("/m"), null, RequestSettings.NONE));
        assertThrows(NullPointerException.class, () -> p.call("GET", null, null, RequestSettings.NONE));
        assertThrows(NullPointerException.class, () -> p.call("GET", server.uri("/m"), null, null));
        assertEquals(0, server.requests());
    }

    @Test
    void anErrorStatusIsTypedByTheProvidersTableWithTheKeyLeftOut() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> {
            if (r.target().endsWith("limited")) {
                Loopback.respond(out, 429, "application/json", "{\"error\":{\"message\":\"slow down\"}}",
                        "x-request-id", "req-429");
            } else {
                Loopback.respond(out, 401, "application/json", "{\"error\":{\"message\":\"bad key " + KEY + "\"}}");
            }
        });
        AuthenticationException auth = assertThrows(AuthenticationException.class,
                () -> p.call("GET", server.uri("/m"), null, RequestSettings.NONE));
        assertTrue(auth.getMessage().contains("HTTP 401") && auth.getMessage().contains("bad key ****"),
                auth.getMessage());
        assertFalse(String.valueOf(auth).contains(KEY.substring(3, 11)), String.valueOf(auth));
        RateLimitException limited = assertThrows(RateLimitException.class,
                () -> p.call("POST", server.uri("/limited"), "{}".getBytes(StandardCharsets.UTF_8), RequestSettings.NONE));
        assertTrue(limited.getMessage().contains("req-429"), limited.getMessage());
        assertEquals(0, p.liveExchanges());
    }

    @Test
    void anErrorBodyTooLongToReadIsCancelledNotLeftOpen() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> {
            Loopback.chunkedHead(out, 500, "application/json");
            Loopback.chunk(out, "{\"error\":\"" + "x".repeat(70_000));
            Loopback.awaitGateOf(s);
        });
        assertThrows(ProviderUnavailableException.class, () -> p.call("GET", server.uri("/m"), null,
                RequestSettings.NONE));
        assertEquals(0, p.liveExchanges(), "the exchange whose error body was cut is cancelled");
        server.awaitClosedByPeer(1);
    }

    @Test
    void aClosedProviderRefusesACallAsItRefusesChat() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> Loopback.respond(out, 200, "application/json", "{}"));
        p.close();
        LlmException e = assertThrows(LlmException.class, () -> p.call("GET", server.uri("/m"), null,
                RequestSettings.NONE));
        assertEquals(p.id() + ": provider is closed", e.getMessage());
        LlmException first = assertThrows(LlmException.class, () -> p.call("GET", server.uri("/m"), null,
                RequestSettings.builder().header("User-Agent", "x").build()));
        assertEquals(p.id() + ": provider is closed", first.getMessage(), "being closed is said before anything else");
        assertEquals(0, server.requests());
    }

    @Test
    void closeCancelsACallBlockedOnItsHead() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> Loopback.awaitGateOf(s));
        Background call = Background.start(() -> p.call("GET", server.uri("/m"), null, RequestSettings.NONE));
        server.awaitRequests(1);
        call.awaitBlocked();
        assertEquals(1, p.liveExchanges(), "the call is listed by the provider's transport");
        assertEquals(1, watchdog.watching(), "and watched by its watchdog");
        p.close();
        Throwable outcome = call.outcome();
        assertInstanceOf(LlmException.class, outcome);
        assertTrue(outcome.getMessage().contains("the provider was closed"), outcome.getMessage());
        assertEquals(0, p.liveExchanges());
        assertEquals(0, watchdog.watching());
        server.awaitClosedByPeer(1);
    }

    @Test
    void aCallRunsOnTheProvidersDeadlinesOrItsOwn() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> Loopback.awaitGateOf(s));
        Background own = Background.start(() -> p.call("GET", server.uri("/m"), null,
                RequestSettings.builder().timeout(Duration.ofMillis(500)).build()));
        server.awaitRequests(1);
        own.awaitBlocked();
        now.addAndGet(Duration.ofMillis(500).toNanos());
        watchdog.tick();
        Throwable outcome = own.outcome();
        assertInstanceOf(ProviderUnavailableException.class, outcome);
        assertTrue(outcome.getMessage().contains("no response headers within 500 ms"), outcome.getMessage());
        assertEquals(0, p.liveExchanges());
    }

    @Test
    void aBodyOverTheProvidersBoundIsTooLargeAndOneAtTheBoundIsRead() throws Exception {
        String atBound = "{\"t\":\"" + "x".repeat(56) + "\"}";
        assertEquals(64, atBound.length());
        provider = builder((r, s, out) -> Loopback.respond(out, 200, "application/json",
                r.target().endsWith("big") ? atBound + " " : atBound, "x-request-id", "req-big")).maxBodyBytes(64).build();
        assertEquals(atBound, text(provider.call("GET", server.uri("/fits"), null, RequestSettings.NONE).body()));
        ResponseTooLargeException big = assertThrows(ResponseTooLargeException.class,
                () -> provider.call("GET", server.uri("/big"), null, RequestSettings.NONE));
        assertFalse(big.isRetryable());
        assertTrue(big.getMessage().contains("larger than 64 bytes") && big.getMessage().contains("req-big"),
                big.getMessage());
        assertEquals(0, provider.liveExchanges());
    }

    @Test
    void theWireLogShowsACallWithTheKeyMasked() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> Loopback.respond(out, 200, "application/json",
                "{\"echo\":\"" + KEY + "\"}"));
        CapturedLogs.clear();
        HttpChatProvider.Reply reply = p.call("POST", server.uri("/v1/count"),
                ("{\"text\":\"" + KEY + "\"}").getBytes(StandardCharsets.UTF_8), RequestSettings.NONE);
        assertTrue(text(reply.body()).contains(KEY), "the body is the caller's, as the server sent it");
        String wire = CapturedLogs.lines().stream().filter(l -> l.logger().equals(WireLog.LOGGER))
                .map(CapturedLogs.Line::message).collect(Collectors.joining("\n"));
        assertTrue(wire.matches("(?s)#\\d+ → POST http://127\\.0\\.0\\.1:\\d+/v1/count.*"), wire);
        assertTrue(wire.contains("x-key: ****") && wire.contains("{\"text\":\"****\"}"), wire);
        assertFalse(wire.contains(KEY.substring(3, 11)), wire);
    }

    @Test
    void aMalformedAnswerIsReportedAsChatReportsOneWithTheKeyLeftOut() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> { });
        MalformedResponseException m = p.malformed("malformed page (" + KEY + ")", "req-1",
                new IllegalStateException("cannot read " + KEY));
        assertEquals(p.id() + ": HTTP 200 - malformed page (****) (x-request-id req-1)", m.getMessage());
        assertEquals(OptionalInt.of(200), m.httpStatus());
        assertFalse(m.isRetryable());
        assertEquals(java.util.Optional.of(p.id()), m.providerId());
        assertEquals(java.util.Optional.of("req-1"), m.traceId());
        assertFalse(String.valueOf(m.getCause()).contains(KEY.substring(3, 11)), String.valueOf(m.getCause()));
        assertTrue(String.valueOf(m.getCause()).contains("cannot read ****"), String.valueOf(m.getCause()));
        MalformedResponseException plain = p.malformed("the list never ends", null, null);
        assertEquals(p.id() + ": HTTP 200 - the list never ends", plain.getMessage());
        assertNull(plain.getCause());
    }

    @Test
    void aReplyHasABody() {
        assertThrows(NullPointerException.class, () -> new HttpChatProvider.Reply(null, "r"));
        byte[] body = {1, 2};
        assertArrayEquals(body, new HttpChatProvider.Reply(body, null).body());
    }

    /** The README's provider uses the hook as a provider in another package would: a compile-time check. */
    @Test
    void aSubclassInAnotherPackageCanCallTheHook() throws Exception {
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json", "{\"data\":[]}"));
        try (dev.alfred.llm.http.example.MessagesTextProvider p = dev.alfred.llm.http.example.MessagesTextProvider
                .builder().apiKey(KEY).baseUrl(server.uri("")).watchdog(watchdog).build()) {
            assertEquals("{\"data\":[]}", p.modelsPage());
            assertEquals("/v1/models", server.takeRequest().target());
        }
    }
}
