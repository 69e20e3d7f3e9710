package dev.alfred.llm.http;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.http.example.MessagesTextProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Many exchanges in a row leave nothing behind: not on the watchdog, not in the transport. These loops
 * repeat what {@link HttpExchangeTest} and {@link HttpChatProviderTest} check once, a thousand times, so
 * mutation testing leaves them out (they would only make every mutant slower to judge).
 */
class LifecycleTest {

    private static final String MESSAGE = "{\"type\":\"message\",\"model\":\"m-1\",\"content\":[{\"type\":\"text\","
            + "\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\"}";

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
    void aThousandWholeExchangesLeaveNothingWatchedAndNothingLive() throws Exception {
        Loopback s = server((r, sock, out) -> Loopback.respond(out, 200, "application/json", "{}"));
        try (HttpTransport t = HttpTransport.create(Duration.ofSeconds(5))) {
            for (int i = 0; i < 1000; i++) {
                HttpExchange e = exchange(t, s, false);
                e.successfulHeaders();
                e.readAll(1024, true);
                assertEquals(0, watchdog.watching(), "exchange " + i + " left the watchdog when it ended");
                assertEquals(0, t.liveExchanges(), "exchange " + i + " left the transport when it ended");
            }
        }
        assertEquals(1000, s.requests());
    }

    @Test
    void aThousandChatsLeaveNothingOnTheWatchdog() throws Exception {
        Loopback server = server((r, s, out) -> Loopback.respond(out, 200, "application/json", MESSAGE));
        MessagesTextProvider p = MessagesTextProvider.builder().apiKey("sk-lifecycle-0123456789").baseUrl(server.uri(""))
                .watchdog(watchdog).build();
        for (int i = 0; i < 1000; i++) {
            assertEquals("Hello", p.chat(ChatRequest.of("hi")).content());
            assertEquals(0, watchdog.watching(), "chat " + i);
            assertEquals(0, p.liveExchanges(), "chat " + i);
        }
        p.close();
    }

}
