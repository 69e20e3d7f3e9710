package dev.alfred.llm.http;

import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.http.error.ErrorMapper;
import dev.alfred.llm.http.internal.WireLog;
import dev.alfred.llm.testkit.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One exchange against a loopback server driven by state, its deadlines on fake time: a manual watchdog
 * ticks when the test says so, after the state it waits for (a request received, a reader blocked).
 * What a tick decides is checked at once on the exchange itself (ended or not, still watched or not),
 * before a blocked reader is joined, so a deadline that fires too early or never fails the test at once.
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

    /** Reads a whole body, bounded: a reader that is never woken fails the test instead of hanging it. */
    private static byte[] readAll(HttpExchange e, int limit, boolean failWhenLonger) {
        return assertTimeoutPreemptively(Loopback.HANG, () -> e.readAll(limit, failWhenLonger));
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
        watchdog.tick();
    }

    /** The wire log's lines about one exchange. */
    static List<String> wire(long id) {
        return CapturedLogs.lines().stream().filter(l -> l.logger().equals(WireLog.LOGGER))
                .map(CapturedLogs.Line::message).filter(m -> m.startsWith("#" + id + " ")).collect(Collectors.toList());
    }

    /** Whether the wire log says the exchange was cancelled (rather than read to its end). */
    static boolean cancelled(HttpExchange e) {
        return cancelled(e.id());
    }

    /** Whether the wire log says the exchange with this number was cancelled. */
    static boolean cancelled(long id) {
        return wire(id).stream().anyMatch(l -> l.contains("✕ cancelled"));
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
        assertFalse(cancelled(e));
        assertEquals(0, watchdog.watching(), "gone the moment it ended");
        assertEquals(0, transport.liveExchanges());
        assertEquals("POST", server.takeRequest().method());
        assertTrue(e.id() > 0);
    }

    @Test
    void aHeadThatNeverComesFailsAtTheHeadersTimeoutOnFakeTime() throws Exception {
        server = Loopback.start((r, s, out) -> server.awaitGate());
        HttpExchange e = exchange(true);
        Background sender = Background.start(e::headers);
        server.awaitRequests(1);
        advance(Duration.ofMillis(299));
        assertFalse(e.isEnded(), "a millisecond short of the headers timeout");
        assertEquals(1, watchdog.watching());
        advance(Duration.ofMillis(1));
        assertTrue(e.isEnded(), "the tick at the headers timeout ends the exchange");
        assertEquals(0, watchdog.watching());
        assertEquals(0, transport.liveExchanges());
        ProviderUnavailableException u = assertInstanceOf(ProviderUnavailableException.class, sender.outcome());
        assertTrue(u.getMessage().contains("no response headers within 300 ms"), u.getMessage());
        assertFalse(sender.interruptedAfter(), "the interrupt that woke the sender is not left behind");
    }

    @Test
    void aChatWaitsForItsHeadUpToTheTotalTimeoutNotTheHeadersTimeout() throws Exception {
        server = Loopback.start((r, s, out) -> server.awaitGate());
        HttpExchange e = exchange(false);
        Background sender = Background.start(e::headers);
        server.awaitRequests(1);
        advance(Duration.ofMillis(1999));
        assertFalse(e.isEnded(), "a chat's head comes after the whole generation");
        advance(Duration.ofMillis(1));
        assertTrue(e.isEnded());
        Throwable outcome = sender.outcome();
        assertTrue(outcome.getMessage().contains("no response headers within 2000 ms"), outcome.getMessage());
    }

    @Test
    void aHeadersTimeoutLongerThanTheTotalOneGivesWayToIt() throws Exception {
        server = Loopback.start((r, s, out) -> server.awaitGate());
        ExchangeSettings longHead = new ExchangeSettings("test", Duration.ofSeconds(5), Duration.ofSeconds(3),
                Duration.ofMillis(200), Duration.ofSeconds(2), new ErrorMapper("test", KEY, Clock.systemUTC()), watchdog);
        HttpExchange e = transport.exchange(HttpTransport.request(server.uri("/v1/x")).GET().build(), null, longHead, true);
        Background sender = Background.start(e::headers);
        server.awaitRequests(1);
        advance(Duration.ofSeconds(2));
        assertTrue(e.isEnded(), "the total deadline bounds the head too");
        Throwable outcome = sender.outcome();
        assertTrue(outcome.getMessage().contains("no response headers within 2000 ms"), outcome.getMessage());
    }

    @Test
    void theResponseHeadIsKeptAndItsTimeLoggedOnTheWatchdogsTicker() throws Exception {
        server = Loopback.start((r, s, out) -> {
            server.awaitGate();
            Loopback.respond(out, 200, "application/json", "{}", "x-request-id", "req-2");
        });
        HttpExchange e = exchange(false);
        Background sender = Background.start(e::headers);
        server.awaitRequests(1);
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        server.open();
        assertNull(sender.outcome());
        java.net.http.HttpResponse.ResponseInfo head = e.headers();
        assertEquals(200, head.statusCode());
        assertSame(head, e.headers(), "the head is received once");
        List<String> logged = wire(e.id());
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("#" + e.id() + " ← 200 (1500 ms)")), logged.toString());
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
        Background reader = Background.blocked(e::read);
        advance(Duration.ofMillis(199));
        assertEquals(1, watchdog.watching(), "a millisecond short of the idle timeout");
        assertTrue(reader.isAlive());
        advance(Duration.ofMillis(1));
        assertEquals(0, watchdog.watching(), "the tick that times the reader out drops the exchange");
        ProviderUnavailableException u = assertInstanceOf(ProviderUnavailableException.class, reader.outcome());
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
        advance(Duration.ofMillis(1999));
        assertEquals(1, watchdog.watching(), "a millisecond short of the total deadline");
        advance(Duration.ofMillis(1));
        assertEquals(0, watchdog.watching(), "the tick at the deadline drops the exchange, with no reader waiting");
        LlmException u = assertThrows(LlmException.class, e::read);
        assertTrue(u.getMessage().contains("response not complete within the total timeout of 2000 ms"), u.getMessage());
        assertTrue(e.isEnded());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void aSlowReaderIsNotAnIdleServer() throws Exception {
        server = Loopback.start((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            Loopback.chunk(out, "a");
            Loopback.chunk(out, "b");
            server.awaitGate();
        });
        HttpExchange e = exchange(true);
        e.successfulHeaders();
        assertEquals('a', e.read().get());
        advance(Duration.ofSeconds(1));
        assertEquals(1, watchdog.watching(), "past the idle timeout with nobody waiting: nothing expired");
        assertEquals('b', e.read().get());
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
                () -> readAll(exchange(false), 4, true));
        assertFalse(big.isRetryable());
        assertTrue(big.getMessage().contains("HTTP 200"), "the status is named: " + big.getMessage());
        assertTrue(big.getMessage().contains("response body larger than 4 bytes"), big.getMessage());
        assertEquals(0, transport.liveExchanges());
        assertEquals("0123", text(readAll(exchange(false), 4, false)));
        assertEquals("0123456789", text(assertTimeoutPreemptively(Loopback.HANG, exchange(false)::readUnexpectedBody)));
        assertEquals("0123456789", text(readAll(exchange(false), 10, true)), "a body of exactly the bound is whole");
    }

    @Test
    void aBodyOfManyReadsIsReadWholeOrCutInsideALaterRead() throws Exception {
        byte[] digits = new byte[100_000];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = (byte) ('9' - i % 10); // no run of the key's characters, which the log would mask
        }
        String body = text(digits);
        server = Loopback.start((r, s, out) -> Loopback.respond(out, 200, "application/json", body));
        assertEquals(body, text(readAll(exchange(false), 1 << 20, true)), "the buffer grows past its first 8 KiB");
        HttpExchange cut = exchange(false);
        // The JDK hands a body over in reads of at most 16 KiB, so the cut falls inside a later read.
        assertEquals(body.substring(0, 50_000), text(readAll(cut, 50_000, false)));
        assertTrue(cut.isEnded());
        List<String> logged = wire(cut.id());
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("#" + cut.id() + " ← body\n9876543210")
                && l.endsWith("… (50000 bytes in all)")), "the cut body is logged: " + logged);
    }

    @Test
    void aRefusedConnectionIsATypedRetryableError() throws Exception {
        // A port held by a socket that is bound but not listening refuses connections, and no other
        // process can take it meanwhile (a closed server's port can be reused by anyone at once).
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI dead = URI.create("http://127.0.0.1:" + holder.getLocalPort() + "/v1");
            HttpExchange e = transport.exchange(HttpTransport.request(dead).GET().build(), null, settings(watchdog), false);
            ProviderUnavailableException u = assertInstanceOf(ProviderUnavailableException.class,
                    assertTimeoutPreemptively(Loopback.HANG, () -> assertThrows(LlmException.class, e::headers)));
            // The JDK's ConnectException carries no message here: the reason is then named in words.
            assertTrue(u.getMessage().contains("could not connect to 127.0.0.1:" + dead.getPort() + ": connection refused"),
                    u.getMessage());
        }
        assertEquals(0, watchdog.watching());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void aFailureNamesThePortTheJdkConnectsTo() {
        assertEquals("api.example.com:443", HttpExchange.target(URI.create("https://api.example.com/v1")));
        assertEquals("api.example.com:443", HttpExchange.target(URI.create("HTTPS://api.example.com/v1")));
        assertEquals("10.0.0.5:80", HttpExchange.target(URI.create("http://10.0.0.5/v1")));
        assertEquals("h:8443", HttpExchange.target(URI.create("https://h:8443/v1")));
        assertEquals("h:0", HttpExchange.target(URI.create("http://h:0/v1")), "a port 0 is what the JDK tries");
    }

    @Test
    void aKeyInTheUrlOfAFailedRequestIsInNoMessageAndNoPrintedStackTrace() throws Exception {
        LlmException failure;
        // A bound socket that does not listen refuses, and keeps its port from anyone else (a closed
        // server's port may be taken at once by another server, which would then hold the request).
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI dead = URI.create("http://127.0.0.1:" + holder.getLocalPort() + "/v1?api_key=" + KEY);
            HttpExchange e = transport.exchange(HttpTransport.request(dead).GET().build(), null, settings(watchdog), false);
            failure = assertTimeoutPreemptively(Loopback.HANG, () -> assertThrows(LlmException.class, e::headers));
        }
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
        Background sender = Background.start(sending::headers);
        server.awaitRequests(1);
        sending.cancel();
        assertTrue(sending.isEnded(), "a cancel ends the exchange at once");
        assertEquals("test: exchange cancelled", sender.outcome().getMessage());
        assertFalse(((LlmException) sender.outcome()).isRetryable());
        assertFalse(sender.interruptedAfter(), "the interrupt that woke the sender is cleared");
        HttpExchange never = exchange(true);
        never.cancel();
        never.cancel();
        assertEquals("test: exchange cancelled", assertThrows(LlmException.class, never::headers).getMessage());
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void aCancelIsLoggedOnceAndSaysWhenTheProviderClosedIt() throws Exception {
        server = Loopback.start((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            server.awaitGate();
        });
        HttpExchange mine = exchange(true);
        mine.cancel();
        mine.cancel();
        assertEquals(List.of("#" + mine.id() + " ✕ cancelled"), wire(mine.id()));
        HttpExchange open = exchange(true);
        open.successfulHeaders();
        transport.close();
        assertTrue(open.isEnded());
        List<String> logged = wire(open.id());
        assertEquals("#" + open.id() + " ✕ cancelled: the provider was closed", logged.get(logged.size() - 1));
        assertEquals("test: exchange cancelled: the provider was closed", assertTimeoutPreemptively(Loopback.HANG,
                () -> assertThrows(LlmException.class, open::read)).getMessage());
    }

    @Test
    void anInterruptedCallerGetsATypedErrorAndKeepsItsInterrupt() throws Exception {
        server = Loopback.start((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            server.awaitGate();
        });
        HttpExchange unsent = exchange(true);
        Thread.currentThread().interrupt();
        LlmException beforeSend = assertThrows(LlmException.class, unsent::headers);
        assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
        assertEquals("test: interrupted while waiting for the response", beforeSend.getMessage());
        assertTrue(unsent.isEnded());
        HttpExchange reading = exchange(true);
        reading.successfulHeaders();
        Thread.currentThread().interrupt();
        LlmException whileReading = assertThrows(LlmException.class, reading::read);
        assertTrue(Thread.interrupted(), "the reader's interrupt is kept");
        assertEquals("test: interrupted while reading the response", whileReading.getMessage());
        assertTrue(reading.isEnded());
        assertTrue(cancelled(reading), "the interrupted exchange is cancelled");
        assertEquals(0, transport.liveExchanges());
        assertEquals(0, watchdog.watching());
    }

    @Test
    void aResetMidBodyIsATypedRetryableErrorThatNamesTheJdksReason() throws Exception {
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
        String reason = u.getCause().getMessage();
        assertTrue(reason != null && !reason.isBlank(), "the JDK says what failed");
        assertTrue(u.getMessage().contains("connection to 127.0.0.1:" + server.uri("").getPort() + " failed: " + reason),
                u.getMessage());
        assertEquals(0, transport.liveExchanges());
    }

    /** Streams "a", then "rest" and the end; past the gate first for the later exchanges, or for all. */
    private Loopback restAfterGate(boolean always) throws IOException {
        AtomicLong served = new AtomicLong();
        return Loopback.start((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            Loopback.chunk(out, "a");
            if (served.incrementAndGet() > 1 || always) {
                server.awaitGate();
            }
            Loopback.chunk(out, "rest");
            Loopback.lastChunk(out);
        });
    }

    private HttpExchange afterFirstByte() {
        HttpExchange e = exchange(true);
        e.successfulHeaders();
        assertEquals('a', e.read().get());
        return e;
    }

    @Test
    void drainReadsTheRestSoTheConnectionIsKeptOrCancelsWhenItCannot() throws Exception {
        server = restAfterGate(false);
        HttpExchange e = afterFirstByte();
        e.drain(Loopback.HANG.toNanos(), 4);
        assertTrue(e.isEnded());
        assertFalse(cancelled(e), "a rest of exactly the byte bound is read to its end");
        assertEquals(0, transport.liveExchanges());
        HttpExchange reused = exchange(true);
        reused.successfulHeaders();
        reused.drain(Duration.ofMillis(1).toNanos(), 0);
        assertTrue(reused.isEnded(), "a drain over its byte bound cancels");
        assertTrue(cancelled(reused));
        assertEquals(2, server.requests());
        assertEquals(1, server.connections(), "the drained connection was reused");
        assertEquals(0, transport.liveExchanges());
    }

    @Test
    void drainCountsTheBytesItDiscards() throws Exception {
        server = restAfterGate(false);
        HttpExchange e = afterFirstByte();
        e.drain(Loopback.HANG.toNanos(), 3);
        assertTrue(e.isEnded());
        assertTrue(cancelled(e), "four bytes left, three allowed");
    }

    @Test
    void drainWaitsForARestThatComesLater() throws Exception {
        server = restAfterGate(true);
        HttpExchange e = afterFirstByte();
        Background drainer = Background.blocked(() -> e.drain(Loopback.HANG.toNanos(), 1024));
        server.open();
        assertNull(drainer.outcome());
        assertTrue(e.isEnded());
        assertFalse(cancelled(e), "the rest came within the wait");
    }

    @Test
    void drainGivesUpAfterItsWaitAndCancels() throws Exception {
        server = restAfterGate(true);
        HttpExchange e = afterFirstByte();
        assertTimeoutPreemptively(Loopback.HANG, () -> e.drain(Duration.ofMillis(1).toNanos(), 1024));
        assertTrue(e.isEnded());
        assertTrue(cancelled(e));
    }

    @Test
    void anInterruptedDrainCancelsAndKeepsTheInterrupt() throws Exception {
        server = restAfterGate(true);
        HttpExchange e = afterFirstByte();
        Thread.currentThread().interrupt();
        e.drain(Loopback.HANG.toNanos(), 1024);
        assertTrue(Thread.interrupted());
        assertTrue(cancelled(e));
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
}
