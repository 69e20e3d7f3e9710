package dev.alfred.llm.http;

import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.http.error.ErrorMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One exchange against a loopback server driven by state, its deadlines on fake time: a manual watchdog
 * ticks when the test says so, after the state it waits for (a request received, a reader blocked).
 */
class HttpExchangeTest {

    static final String KEY = "sk-exchange-test-0123456789abcdef";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Watchdog watchdog = Watchdog.manual(now::get);
    private final HttpTransport transport = HttpTransport.create(Duration.ofSeconds(5));
    private Loopback server;

    @AfterEach
    void stop() throws IOException {
        transport.close();
        if (server != null) {
            server.close();
        }
    }

    static ExchangeSettings settings(Watchdog watchdog) {
        return new ExchangeSettings("test", Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(200),
                Duration.ofSeconds(2), new ErrorMapper("test", KEY, Clock.systemUTC()), watchdog);
    }

    private HttpExchange exchange(boolean stream) {
        byte[] body = "{\"q\":1}".getBytes(StandardCharsets.UTF_8);
        return transport.exchange(HttpTransport.request(server.uri("/v1/x")).header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), body, settings(watchdog), stream);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
        watchdog.tick();
    }

    @Test
    void aWholeBodyIsReadAndTheEndedExchangeLeavesTheWatchdogAndTheTransport() throws Exception {
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json", "{\"ok\":true}",
                "x-request-id", "req-1"));
        HttpExchange e = exchange(false);
        assertEquals(0, watchdog.watching(), "nothing is watched before the send");
        assertEquals(200, e.successfulHeaders().statusCode());
        assertEquals(1, watchdog.watching(), "watched while in flight");
        assertEquals(1, transport.liveExchanges());
        assertEquals("req-1", e.requestId());
        assertEquals("{\"ok\":true}", text(e.readAll(1 << 20, true)));
        assertTrue(e.isEnded());
        assertEquals(0, watchdog.watching(), "gone the moment it ended");
        assertEquals(0, transport.liveExchanges());
        assertEquals("POST", server.takeRequest().method());
        assertTrue(e.id() > 0);
    }

    @Test
    void aHeadThatNeverComesFailsAtTheHeadersTimeoutOnFakeTime() throws Exception {
        server = Loopback.start((r, s, out) -> server.awaitGate());
        HttpExchange e = exchange(true);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                e.headers();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        reader.start();
        server.awaitRequests(1);
        advance(Duration.ofMillis(299));
        assertTrue(reader.isAlive(), "a millisecond short of the headers timeout");
        advance(Duration.ofMillis(1));
        reader.join(Loopback.HANG.toMillis());
        ProviderUnavailableException u = assertInstanceOf(ProviderUnavailableException.class, outcome.get());
        assertTrue(u.getMessage().contains("no response headers within 300 ms"), u.getMessage());
        assertEquals(0, watchdog.watching());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void aChatWaitsForItsHeadUpToTheTotalTimeoutNotTheHeadersTimeout() throws Exception {
        server = Loopback.start((r, s, out) -> server.awaitGate());
        HttpExchange e = exchange(false);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                e.headers();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        reader.start();
        server.awaitRequests(1);
        advance(Duration.ofMillis(1999));
        assertTrue(reader.isAlive(), "a chat's head comes after the whole generation");
        advance(Duration.ofMillis(1));
        reader.join(Loopback.HANG.toMillis());
        assertTrue(outcome.get().getMessage().contains("no response headers within 2000 ms"), outcome.get().getMessage());
    }

    @Test
    void aSilentBodyFailsAtTheIdleTimeoutAndDataKeepsItAlive() throws Exception {
        server = Loopback.start((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            Loopback.chunk(out, "a");
            server.awaitGate();
        });
        HttpExchange e = exchange(true);
        e.successfulHeaders();
        assertEquals('a', e.read().get());
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                e.read();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        reader.start();
        awaitBlocked(reader);
        advance(Duration.ofMillis(199));
        assertTrue(reader.isAlive(), "a millisecond short of the idle timeout");
        advance(Duration.ofMillis(1));
        reader.join(Loopback.HANG.toMillis());
        ProviderUnavailableException u = assertInstanceOf(ProviderUnavailableException.class, outcome.get());
        assertTrue(u.getMessage().contains("no data for 200 ms (idle timeout)"), u.getMessage());
        assertTrue(u.isRetryable());
        assertTrue(e.isEnded());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void theTotalDeadlineEndsABodyEvenWhileDataKeepsComing() throws Exception {
        server = Loopback.start((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            Loopback.chunk(out, "a");
            server.awaitGate();
        });
        HttpExchange e = exchange(true);
        e.successfulHeaders();
        assertEquals('a', e.read().get(), "data waiting is no timeout");
        advance(Duration.ofSeconds(2));
        LlmException u = assertThrows(LlmException.class, e::read);
        assertTrue(u.getMessage().contains("response not complete within the total timeout of 2000 ms"), u.getMessage());
    }

    @Test
    void anErrorStatusIsMappedWithItsBodyAndRetryAfter() throws Exception {
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 429, "application/json",
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}", "retry-after", "7"));
        RateLimitException e = assertThrows(RateLimitException.class, () -> exchange(false).successfulHeaders());
        assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
        assertTrue(e.getMessage().contains("slow down"), e.getMessage());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void aBodyOverItsBoundIsATypedErrorThatIsNotRetriedOrIsCutWhenAsked() throws Exception {
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json", "0123456789"));
        ResponseTooLargeException big = assertThrows(ResponseTooLargeException.class,
                () -> exchange(false).readAll(4, true));
        assertFalse(big.isRetryable());
        assertTrue(big.getMessage().contains("response body larger than 4 bytes"), big.getMessage());
        assertEquals(0, transport.liveExchanges());
        assertEquals("0123", text(exchange(false).readAll(4, false)));
        assertEquals("0123456789", text(exchange(false).readUnexpectedBody()));
    }

    @Test
    void aRefusedConnectionIsATypedRetryableError() throws Exception {
        server = Loopback.start((r, s, out) -> { });
        URI dead = server.uri("/v1");
        server.close();
        HttpExchange e = transport.exchange(HttpTransport.request(dead).GET().build(), null, settings(watchdog), false);
        ProviderUnavailableException u = assertThrows(ProviderUnavailableException.class, e::headers);
        assertTrue(u.getMessage().contains("could not connect to 127.0.0.1:" + dead.getPort()), u.getMessage());
        assertEquals(0, watchdog.watching());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void aKeyInTheUrlOfAFailedRequestIsInNoMessageAndNoPrintedStackTrace() throws Exception {
        server = Loopback.start((r, s, out) -> { });
        URI dead = URI.create(server.uri("/v1").toString() + "?api_key=" + KEY);
        server.close();
        HttpExchange e = transport.exchange(HttpTransport.request(dead).GET().build(), null, settings(watchdog), false);
        LlmException failure = assertThrows(LlmException.class, e::headers);
        StringWriter printed = new StringWriter();
        failure.printStackTrace(new PrintWriter(printed));
        assertFalse(printed.toString().contains(KEY.substring(3, 11)), printed.toString());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> HttpTransport.checkBaseUrl(URI.create("ftp://h/v1?api_key=" + KEY), false, "x"));
        assertFalse(bad.getMessage().contains(KEY.substring(3, 11)), bad.getMessage());
        assertTrue(bad.getMessage().endsWith("ftp://h/v1?api_key=****"), bad.getMessage());
    }

    @Test
    void aKeyEchoedInABrokenStatusLineIsInNoMessageAndNoPrintedStackTrace() throws Exception {
        server = Loopback.start((r, s, out) -> {
            out.write(("HTTP/1.1 abc " + KEY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.close();
        });
        LlmException e = assertThrows(LlmException.class, () -> exchange(false).headers());
        StringWriter printed = new StringWriter();
        e.printStackTrace(new PrintWriter(printed));
        assertFalse(printed.toString().contains(KEY.substring(3, 11)), printed.toString());
        assertTrue(printed.toString().contains("java.net.ProtocolException"), "the JDK's exception is named: " + printed);
    }

    @Test
    void cancelFromAnotherThreadWakesASendAndAReadWithATypedError() throws Exception {
        server = Loopback.start((r, s, out) -> server.awaitGate());
        HttpExchange sending = exchange(true);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                sending.headers();
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        reader.start();
        server.awaitRequests(1);
        sending.cancel();
        reader.join(Loopback.HANG.toMillis());
        assertEquals("test: exchange cancelled", outcome.get().getMessage());
        assertFalse(((LlmException) outcome.get()).isRetryable());
        assertFalse(Thread.currentThread().isInterrupted());
        HttpExchange never = exchange(true);
        never.cancel();
        never.cancel();
        assertEquals("test: exchange cancelled", assertThrows(LlmException.class, never::headers).getMessage());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void aResetMidBodyIsATypedRetryableError() throws Exception {
        server = Loopback.start((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            Loopback.chunk(out, "a");
            s.setSoLinger(true, 0);
            s.close();
        });
        HttpExchange e = exchange(true);
        e.successfulHeaders();
        ProviderUnavailableException u = assertThrows(ProviderUnavailableException.class, () -> {
            while (e.read() != null) {
                // read until the reset
            }
        });
        assertTrue(u.getMessage().contains("connection to 127.0.0.1:"), u.getMessage());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void drainReadsTheRestSoTheConnectionIsKeptOrCancelsWhenItCannot() throws Exception {
        AtomicLong served = new AtomicLong();
        server = Loopback.start((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            Loopback.chunk(out, "a");
            if (served.incrementAndGet() > 1) {
                server.awaitGate();
            }
            Loopback.chunk(out, "rest");
            Loopback.lastChunk(out);
        });
        HttpExchange e = exchange(true);
        e.successfulHeaders();
        assertEquals('a', e.read().get());
        e.drain(Duration.ofSeconds(10).toNanos(), 1024);
        assertTrue(e.isEnded());
        assertEquals(0, transport.liveExchanges());
        HttpExchange reused = exchange(true);
        reused.successfulHeaders();
        reused.drain(Duration.ofSeconds(10).toNanos(), 0);
        assertTrue(reused.isEnded(), "a drain over its byte bound cancels");
        assertEquals(2, server.requests());
        assertEquals(1, server.connections(), "the drained connection was reused");
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void readAfterTheEndStaysAtTheEnd() throws Exception {
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json", "x"));
        HttpExchange e = exchange(false);
        e.successfulHeaders();
        assertEquals('x', e.read().get());
        assertNull(e.read());
        assertNull(e.read());
        assertArrayEquals(new byte[0], e.readAll(10, true), "nothing more");
    }

    private static void awaitBlocked(Thread t) {
        assertTimeoutPreemptively(Loopback.HANG, () -> {
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED) {
                Thread.onSpinWait();
            }
        }, "the reader never blocked");
    }
}
