package dev.alfred.llm.http;

import dev.alfred.llm.LlmException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport owns its exchanges: it lists the live ones, and close cancels them and returns at once. */
class HttpTransportTest {

    private final Watchdog watchdog = Watchdog.manual(new AtomicLong(5)::get);
    private final List<Loopback> servers = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Loopback s : servers) {
            s.close();
        }
    }

    private Loopback server(Loopback.Handler h) throws IOException {
        Loopback s = Loopback.start(h);
        servers.add(s);
        return s;
    }

    private HttpExchange exchange(HttpTransport t, Loopback s, boolean stream) {
        return t.exchange(HttpTransport.request(s.uri("/v1/x")).GET().build(), null, HttpExchangeTest.settings(watchdog),
                stream);
    }

    @Test
    void closeCancelsOpenStreamsWakesTheirReadersAndReturnsAtOnce() throws Exception {
        Loopback s = server((r, sock, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            Loopback.chunk(out, "first");
            s0().awaitGate();
        });
        HttpTransport t = HttpTransport.create(Duration.ofSeconds(5));
        List<Background> readers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpExchange e = exchange(t, s, true);
            e.successfulHeaders();
            e.read();
            readers.add(Background.blocked(e::read));
        }
        HttpExchange unsent = exchange(t, s, true);
        assertEquals(3, t.liveExchanges());
        assertTimeoutPreemptively(Loopback.HANG, t::close, "close returned while streams were open");
        assertEquals(0, t.liveExchanges(), "every live exchange was cancelled before close returned");
        assertEquals(0, watchdog.watching());
        for (Background reader : readers) {
            assertEquals("test: exchange cancelled: the provider was closed", reader.outcome().getMessage());
        }
        LlmException late = assertThrows(LlmException.class, unsent::headers, "an exchange made before close is not sent");
        assertEquals("test: exchange cancelled: the provider was closed", late.getMessage());
        assertEquals(0, watchdog.watching(), "the late exchange, cancelled as it was sent, is not left watched");
        assertEquals(0, t.liveExchanges());
        assertFalse(Thread.currentThread().isInterrupted(), "the cancel of a send on this thread leaves no interrupt");
        assertEquals(3, s.requests(), "the late exchange never reached the server");
        LlmException refused = assertThrows(LlmException.class, () -> exchange(t, s, false));
        assertEquals("test: provider is closed", refused.getMessage());
        t.close();
    }

    @Test
    void closeWhileASendWaitsForItsHeadWakesTheSender() throws Exception {
        Loopback s = server((r, sock, out) -> s0().awaitGate());
        HttpTransport t = HttpTransport.create(Duration.ofSeconds(5));
        HttpExchange e = exchange(t, s, true);
        Background sender = Background.start(e::headers);
        s.awaitRequests(1);
        assertTimeoutPreemptively(Loopback.HANG, t::close);
        assertTrue(e.isEnded());
        assertEquals("test: exchange cancelled: the provider was closed", sender.outcome().getMessage());
    }

    @Test
    void aBorrowedClientIsNeitherClosedNorShutDown() throws Exception {
        Loopback s = server((r, sock, out) -> Loopback.respond(out, 200, "application/json", "{}"));
        HttpClient theirs = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpTransport t = HttpTransport.create(Duration.ofSeconds(5), theirs, null);
        t.close();
        assertEquals(200, theirs.send(HttpRequest.newBuilder(s.uri("/v1")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode(), "the caller's client still works");
    }

    @Test
    void theUrlHelpersKeepQueriesAndSpeakTheRightVersion() {
        assertEquals(URI.create("https://h/v1/chat/completions?api-version=1"),
                HttpTransport.resolve(URI.create("https://h/v1?api-version=1"), "chat/completions"));
        assertEquals(URI.create("http://h:8/v1/x"), HttpTransport.resolve(URI.create("http://h:8/v1/"), "/x"));
        assertEquals(URI.create("http://h/x"), HttpTransport.resolve(URI.create("http://h"), "x"));
        assertEquals(HttpClient.Version.HTTP_2, HttpTransport.request(URI.create("https://h/")).build().version().orElseThrow());
        assertEquals(HttpClient.Version.HTTP_1_1, HttpTransport.request(URI.create("http://h/")).build().version().orElseThrow());
        for (String h : new String[] {"localhost", "LOCALHOST", "a.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]",
                "0:0:0:0:0:0:0:1"}) {
            assertTrue(HttpTransport.isLoopback(h), h);
        }
        for (String h : new String[] {"example.com", "128.0.0.1", "127.0.0.1.example.com", "localhost.example", "[::2]"}) {
            assertFalse(HttpTransport.isLoopback(h), h);
        }
        assertFalse(HttpTransport.isLoopback(null));
        assertTrue(HttpTransport.USER_AGENT.startsWith("alfred-llm/"));
    }

    @Test
    void aBaseUrlIsCheckedForSchemeHostAndCleartextKeys() {
        HttpTransport.checkBaseUrl(URI.create("https://api.example.com/v1"), false, "x.base.url");
        HttpTransport.checkBaseUrl(URI.create("http://localhost:11434/v1"), false, "x.base.url");
        HttpTransport.checkBaseUrl(URI.create("http://10.0.0.5:8000/v1"), true, "x.base.url");
        IllegalArgumentException lan = assertThrows(IllegalArgumentException.class,
                () -> HttpTransport.checkBaseUrl(URI.create("http://10.0.0.5:8000/v1"), false, "x.base.url"));
        assertTrue(lan.getMessage().contains("baseUrl (x.base.url) is plain http to 10.0.0.5"), lan.getMessage());
        for (String bad : new String[] {"ftp://h/", "/relative", "http:///nohost"}) {
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> HttpTransport.checkBaseUrl(URI.create(bad), true, "s")).getMessage()
                    .startsWith("baseUrl must be an absolute http or https URL"), bad);
        }
        assertEquals("connectTimeout must be a positive duration, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> HttpTransport.create(Duration.ZERO)).getMessage());
        assertEquals("connectTimeout must be a positive duration, was null", assertThrows(IllegalArgumentException.class,
                () -> HttpTransport.create(null, HttpClient.newHttpClient(), null)).getMessage());
    }

    /** The server of the running test, for handlers that wait on its gate. */
    private Loopback s0() {
        return servers.get(0);
    }
}
