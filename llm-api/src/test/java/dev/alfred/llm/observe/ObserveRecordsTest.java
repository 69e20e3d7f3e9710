package dev.alfred.llm.observe;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The listener layer's records check their values at the edges, and a call shows no conversation. */
class ObserveRecordsTest {

    private static LlmCall call(boolean streaming, int port) {
        return new LlmCall("c-1", "kimi", LlmCall.CHAT, ChatRequest.of("secret question"), streaming, "k3", "h", port);
    }

    @Test
    void aPortIsUnknownOrInRange() {
        assertEquals(-1, call(false, -1).serverPort());
        assertEquals(0, call(false, 0).serverPort());
        assertEquals(65535, call(false, 65535).serverPort());
        assertEquals("serverPort must be -1 (unknown) or 0..65535, not -2",
                assertThrows(IllegalArgumentException.class, () -> call(false, -2)).getMessage());
        assertEquals("serverPort must be -1 (unknown) or 0..65535, not 65536",
                assertThrows(IllegalArgumentException.class, () -> call(false, 65536)).getMessage());
    }

    @Test
    void aCallShowsItsIdentityNotItsRequest() {
        assertEquals("LlmCall{c-1, kimi, chat (stream), model=k3, server=h:443}", call(true, 443).toString());
        assertEquals("LlmCall{c-1, kimi, chat, model=k3, server=h:443}", call(false, 443).toString());
    }

    @Test
    void completedAndFailedOutcomesCheckTheirTimesAndCounts() {
        ChatResponse r = ChatResponse.of("x");
        Duration minus = Duration.ofMillis(-1);
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Completed(r, minus, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Completed(r, Duration.ZERO, minus, 0));
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Completed(r, Duration.ZERO, null, -1));
        Exception e = new IllegalStateException("x");
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Failed(e, null, minus, null, 0));
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Failed(e, null, Duration.ZERO, minus, 0));
        assertThrows(IllegalArgumentException.class, () -> new CallOutcome.Failed(e, null, Duration.ZERO, null, -1));
        assertEquals(3, new CallOutcome.Completed(r, Duration.ZERO, Duration.ZERO, 3).outputChunks());
    }

    @Test
    void aListenerWithoutStateHearsEveryCallItself() {
        LlmListener stateless = new LlmListener() { };
        assertSame(stateless, stateless.forCall(call(false, -1)));
    }
}
