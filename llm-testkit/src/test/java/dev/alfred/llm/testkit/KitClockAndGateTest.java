package dev.alfred.llm.testkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's fake time and the server's gates, as plain objects. */
class KitClockAndGateTest {

    @Test
    void theClockStandsStillUntilAdvancedAndThenRunsItsHooksInOrder() {
        KitClock clock = new KitClock();
        long start = clock.getAsLong();
        List<String> ran = new ArrayList<>();
        clock.onAdvance(() -> ran.add("first at " + (clock.getAsLong() - start)));
        clock.onAdvance(() -> ran.add("second"));
        assertEquals(start, clock.getAsLong());
        clock.advance(Duration.ofMillis(1500));
        assertEquals(1_500_000_000L, clock.getAsLong() - start);
        assertEquals(List.of("first at 1500000000", "second"), ran);
        clock.advance(Duration.ZERO);
        assertEquals(4, ran.size(), "a zero advance still ticks");
        assertEquals(Duration.ofMillis(1500), clock.elapsed());
        assertTrue(clock.toString().contains("2 hooks"), clock.toString());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofNanos(-1)));
        assertThrows(NullPointerException.class, () -> clock.onAdvance(null));
    }

    @Test
    void aTargetWithoutAClockGetsOneOfItsOwn() {
        ProviderTarget t = new ProviderTarget(java.net.URI.create("http://127.0.0.1:1"), "k", Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        assertEquals(Duration.ZERO, t.clock().elapsed());
        assertThrows(NullPointerException.class, () -> new ProviderTarget(t.baseUri(), "k", Duration.ofSeconds(1),
                Duration.ofSeconds(2), null));
    }

    @Test
    void aGateHoldsUntilReleasedAndThenLetsEveryoneThrough() throws Exception {
        Gate gate = new Gate();
        assertFalse(gate.isReached());
        Thread held = new Thread(gate::pass);
        held.start();
        gate.awaitReached(Duration.ofSeconds(20));
        assertTrue(gate.isReached());
        assertTrue(held.isAlive());
        assertFalse(gate.isReleased());
        gate.release();
        assertTrue(gate.isReleased());
        held.join(20_000);
        assertFalse(held.isAlive());
        gate.pass(); // an open gate holds no one
        assertTrue(gate.toString().contains("released, reached 2"), gate.toString());
    }

    @Test
    void waitingForAGateNoReplyReachesFailsAtTheBound() {
        AssertionError e = assertThrows(AssertionError.class, () -> new Gate().awaitReached(Duration.ofMillis(1)));
        assertTrue(e.getMessage().contains("no reply reached the gate"), e.getMessage());
    }
}
