package dev.alfred.llm.http;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.testkit.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link EventStreamChatStream} does for every provider, driven by a {@link ScriptedProvider}: the
 * server streams the events the request's text lists ({@code type:data|type:data}), so each test says
 * what the stream meets and checks what the caller sees.
 */
class EventStreamChatStreamTest {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id = "script-" + IDS.incrementAndGet();
    private final Watchdog watchdog = Watchdog.manual(new AtomicLong(3)::get);
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

    /** Streams the events the request lists, then ends the body; answers a chat with its request's text. */
    static Loopback.Handler scripted() {
        return (r, s, out) -> {
            if (r.target().endsWith("/v1/chat")) {
                Loopback.respond(out, 200, "application/json", r.bodyText());
                return;
            }
            Loopback.chunkedHead(out, 200, "text/event-stream", "x-request-id", "req-7");
            // The whole body in one write: its end arrives with its last event.
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String event : r.bodyText().split("\\|")) {
                int colon = event.indexOf(':');
                Loopback.chunk(body, "event: " + event.substring(0, colon) + "\ndata: " + event.substring(colon + 1) + "\n\n");
            }
            Loopback.lastChunk(body);
            out.write(body.toByteArray());
        };
    }

    private ScriptedProvider provider(Loopback.Handler handler) throws IOException {
        server = Loopback.start(handler);
        provider = ScriptedProvider.builder(id).baseUrl(server.uri("/")).watchdog(watchdog).maxLineBytes(256).build();
        return provider;
    }

    /** The numbers of the exchanges the wire log shows going to this test's server for a stream. */
    private List<Long> streamExchanges() {
        String target = " → POST " + server.uri("/v1/stream");
        return CapturedLogs.lines().stream().map(CapturedLogs.Line::message).filter(m -> m.contains(target))
                .map(m -> Long.parseLong(m.substring(1, m.indexOf(' ')))).collect(Collectors.toList());
    }

    private static List<String> texts(ChatStream s) {
        List<String> out = new ArrayList<>();
        for (ChatDelta d : s) {
            out.add(((ChatDelta.Text) d).text());
        }
        return out;
    }

    /** The failure a stream ends with, unwrapped from the interruption that keeps the parts before it. */
    private static LlmException failure(ChatStream s) {
        LlmException e = assertThrows(LlmException.class, () -> texts(s));
        return e instanceof StreamInterruptedException && e.getCause() instanceof LlmException c ? c : e;
    }

    @Test
    void partsComeOutInOrderAndTheEndDrainsTheBodySoTheConnectionIsReused() throws Exception {
        ScriptedProvider p = provider(scripted());
        ChatStream first = p.stream(ChatRequest.of("warn:careful|text:Hel|part:lo|end:|text:after the end"));
        assertEquals(List.of("Hel", "lo"), texts(first), "events after the end are not passed on");
        ChatResponse r = first.response();
        assertEquals("Hello", r.content());
        assertEquals(List.of("careful"), r.warnings(), "the request's warnings reach the response");
        assertEquals(0, p.liveExchanges(), "the stream read to its end ended its exchange");
        List<Long> exchanges = streamExchanges();
        assertEquals(1, exchanges.size());
        assertFalse(HttpExchangeTest.cancelled(exchanges.get(0)), "the rest of the body was read, not cancelled");
        assertEquals(List.of("again"), texts(p.stream(ChatRequest.of("text:again|end:"))));
        assertEquals(1, server.connections(), "the drained connection was reused");
    }

    @Test
    void aFailureIsTheFirstOneSaidAndComesAfterThePartsBeforeIt() throws Exception {
        ScriptedProvider p = provider(scripted());
        ChatStream s = p.stream(ChatRequest.of("text:a|fail-twice:bad shape|text:b"));
        Iterator<ChatDelta> it = s.iterator();
        assertEquals("a", ((ChatDelta.Text) it.next()).text());
        StreamInterruptedException e = assertThrows(StreamInterruptedException.class, it::hasNext);
        MalformedResponseException m = assertInstanceOf(MalformedResponseException.class, e.getCause());
        assertTrue(m.getMessage().contains("bad shape"), m.getMessage());
        assertFalse(m.isRetryable());
        assertEquals("a", e.partialResponse().content());
        ProviderUnavailableException u = assertInstanceOf(ProviderUnavailableException.class,
                failure(p.stream(ChatRequest.of("fail:server hiccup"))));
        assertTrue(u.getMessage().contains("server hiccup (x-request-id req-7)"), u.getMessage());
        assertTrue(u.isRetryable());
    }

    @Test
    void anLlmExceptionFromTheDecoderIsTheStreamsFailure() throws Exception {
        ScriptedProvider p = provider(scripted());
        LlmException e = failure(p.stream(ChatRequest.of("throw-llm:no thanks")));
        assertEquals(id + ": no thanks", e.getMessage());
        assertEquals("said-no", e.errorType().orElseThrow());
    }

    @Test
    void anyOtherDecoderFailureIsAMalformedEventNamedWithoutTheKey() throws Exception {
        ScriptedProvider p = provider(scripted());
        MalformedResponseException m = assertInstanceOf(MalformedResponseException.class,
                failure(p.stream(ChatRequest.of("boom:unreadable " + HttpExchangeTest.KEY))));
        assertTrue(m.getMessage().contains("malformed event 'boom' (unreadable ****)"), m.getMessage());
        assertFalse(m.isRetryable());
    }

    @Test
    void theDecoderSeesTheRequestIdAndBoundsWhatItQuotes() throws Exception {
        ScriptedProvider p = provider(scripted());
        String longText = "y".repeat(200);
        assertEquals(List.of("req-7", "y".repeat(120) + "… (80 more characters)"),
                texts(p.stream(ChatRequest.of("request-id:|snippet:" + longText + "|end:"))));
    }

    @Test
    void aBodyThatEndsBeforeTheEndIsATruncatedAnswerNotASuccess() throws Exception {
        ScriptedProvider p = provider(scripted());
        ChatStream s = p.stream(ChatRequest.of("text:half"));
        Iterator<ChatDelta> it = s.iterator();
        assertEquals("half", ((ChatDelta.Text) it.next()).text());
        StreamInterruptedException e = assertThrows(StreamInterruptedException.class, it::hasNext);
        ProviderUnavailableException u = assertInstanceOf(ProviderUnavailableException.class, e.getCause());
        assertTrue(u.getMessage().contains("stream ended before its end event; the answer is incomplete"), u.getMessage());
        assertEquals("half", e.partialResponse().content());
    }

    @Test
    void aLineOverItsBoundIsAMalformedStream() throws Exception {
        ScriptedProvider p = provider(scripted());
        MalformedResponseException m = assertInstanceOf(MalformedResponseException.class,
                failure(p.stream(ChatRequest.of("text:" + "z".repeat(300) + "|end:"))));
        assertTrue(m.getMessage().contains("malformed event stream: event-stream line longer than 256 bytes"),
                m.getMessage());
        assertEquals(0, p.liveExchanges());
    }

    @Test
    void aBodyThatIsNotAnEventStreamIsReadAsAnErrorOrNamedByItsContentType() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> Loopback.respond(out, 200, "application/json",
                r.bodyText().equals("error") ? "{\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy now\"}}"
                        : "{\"answer\":\"not streamed\"}", "x-request-id", "req-8"));
        LlmException mapped = failure(p.stream(ChatRequest.of("error")));
        assertTrue(mapped.getMessage().contains("busy now"), mapped.getMessage());
        assertTrue(mapped.getMessage().contains("req-8"), "with the request id: " + mapped.getMessage());
        ProviderUnavailableException other = assertInstanceOf(ProviderUnavailableException.class,
                failure(p.stream(ChatRequest.of("other"))));
        assertTrue(other.getMessage().contains("expected an event stream but got content type 'application/json'"),
                other.getMessage());
        assertEquals(0, p.liveExchanges());
    }

    @Test
    void anErrorStatusFailsTheFirstRead() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> Loopback.respond(out, 429, "application/json",
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}"));
        ChatStream s = p.stream(ChatRequest.of("text:never"));
        RateLimitException e = assertThrows(RateLimitException.class, () -> s.iterator().hasNext());
        assertTrue(e.getMessage().contains("slow down"), e.getMessage());
        assertEquals(0, p.liveExchanges());
    }

    @Test
    void aStreamClosedBeforeItsEndIsCancelledWithoutAWarning() throws Exception {
        ScriptedProvider p = provider((r, s, out) -> {
            Loopback.chunkedHead(out, 200, "text/event-stream");
            Loopback.chunk(out, "event: text\ndata: first\n\n");
            server.awaitGate();
        });
        ChatStream s = p.stream(ChatRequest.of("hi"));
        assertEquals("first", ((ChatDelta.Text) s.iterator().next()).text());
        assertEquals(1, p.liveExchanges());
        s.close();
        assertEquals(0, p.liveExchanges(), "closing cancels the exchange at once");
        assertFalse(CapturedLogs.lines().stream().anyMatch(l -> l.message().startsWith(id + ": a stream was abandoned")),
                "a closed stream was not abandoned");
        assertTrue(assertThrows(LlmException.class, () -> s.iterator().hasNext()).getMessage()
                .contains("stream was closed before it completed"));
    }
}
