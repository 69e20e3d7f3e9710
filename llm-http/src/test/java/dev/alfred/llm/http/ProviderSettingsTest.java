package dev.alfred.llm.http;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.example.MessagesTextProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings every provider on llm-http shares, read from a configuration under the provider's prefix. */
class ProviderSettingsTest {

    private static final String KEY = "sk-settings-test-0123456789";

    @Test
    void everySharedSettingIsReadUnderThePrefix() throws Exception {
        AtomicLong now = new AtomicLong();
        Watchdog watchdog = Watchdog.manual(now::get);
        try (Loopback server = Loopback.start((r, s, out) -> {
            if (r.bodyText().contains("hold")) {
                Loopback.chunkedHead(out, 200, "text/event-stream");
                // no event before the gate: an event that arrived after the reader was seen waiting would
                // restart its wait at a later fake time, and the idle boundary below would move
                Loopback.awaitGateOf(s);
            } else {
                Loopback.respond(out, 200, "application/json", "{\"content\":[{\"type\":\"text\",\"text\":\"" + "x".repeat(40)
                        + "\"}]}");
            }
        })) {
            ProviderConfig config = ProviderConfig.builder()
                    .secret("mt.api.key", KEY)
                    .set("mt.base.url", server.uri("").toString())
                    .set("mt.model", "m-9")
                    .set("mt.connect.timeout", "3s")
                    .set("mt.headers.timeout", "7s")
                    .set("mt.idle.timeout", "250ms")
                    .set("mt.total.timeout", "9s")
                    .set("mt.allow.insecure.http", "true")
                    .set("mt.max.text.chars", "10")
                    .set("mt.max.tool.calls", "3")
                    .set("mt.max.tool.argument.chars", "11")
                    .set("mt.max.body.bytes", "4096")
                    .build();
            MessagesTextProvider p = MessagesTextProvider.builder().watchdog(watchdog).configure(config, "mt.").build();
            try (p) {
                assertEquals("m-9", p.model());
                assertEquals(server.uri(""), p.baseUrl());
                assertEquals(server.uri(""), p.endpoint().baseUrl());
                ResponseTooLargeException big = assertThrows(ResponseTooLargeException.class, () -> p.chat(ChatRequest.of("x")));
                assertTrue(big.getMessage().contains("exceeds 10 characters"), big.getMessage());
                assertEquals(KEY, server.takeRequest().headers().get("x-api-key"));
                AtomicReference<Throwable> outcome = new AtomicReference<>();
                Thread reader = new Thread(() -> {
                    try {
                        p.stream(ChatRequest.of("hold")).response();
                    } catch (Throwable t) {
                        outcome.set(t);
                    }
                });
                reader.start();
                server.awaitRequests(2);
                Loopback.awaitReaderWaiting(reader);
                now.addAndGet(Duration.ofMillis(249).toNanos());
                watchdog.tick();
                assertTrue(reader.isAlive(), "a millisecond short of the configured idle timeout");
                now.addAndGet(Duration.ofMillis(1).toNanos());
                watchdog.tick();
                reader.join(Loopback.HANG.toMillis());
                assertTrue(outcome.get().getMessage().contains("no data for 250 ms (idle timeout)"), String.valueOf(outcome.get()));
            }
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> MessagesTextProvider.builder()
                    .configure(ProviderConfig.builder().set("mt.idle.timeout", "soon").build(), "mt."));
            assertTrue(wrong.getMessage().contains("mt.idle.timeout"), wrong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> MessagesTextProvider.builder().apiKey(KEY)
                    .baseUrl(URI.create("http://10.9.8.7/v1")).build(), "insecure http is refused unless allowed");
            MessagesTextProvider.builder().configure(ProviderConfig.builder().secret("mt.api.key", KEY)
                    .set("mt.base.url", "http://10.9.8.7/v1").set("mt.allow.insecure.http", "true").build(), "mt.").build()
                    .close();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
