package dev.alfred.llm.http;

import dev.alfred.llm.http.error.ErrorMapper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A provider's exchange settings refuse a deadline that is not positive, naming it. */
class ExchangeSettingsTest {

    private static final Duration S = Duration.ofSeconds(1);
    private static final ErrorMapper ERRORS = new ErrorMapper("t", null, Clock.systemUTC());
    private static final Watchdog WATCHDOG = Watchdog.manual(new AtomicLong()::get);

    private static String refused(Duration connect, Duration headers, Duration idle, Duration total) {
        return assertThrows(IllegalArgumentException.class,
                () -> new ExchangeSettings("t", connect, headers, idle, total, ERRORS, WATCHDOG)).getMessage();
    }

    @Test
    void eachDeadlineMustBePositive() {
        assertEquals("connectTimeout must be a positive duration, was PT0S", refused(Duration.ZERO, S, S, S));
        assertEquals("headersTimeout must be a positive duration, was PT-1S", refused(S, S.negated(), S, S));
        assertEquals("idleTimeout must be a positive duration, was null", refused(S, S, null, S));
        assertEquals("totalTimeout must be a positive duration, was PT0S", refused(S, S, S, Duration.ZERO));
        assertEquals("providerId", assertThrows(NullPointerException.class,
                () -> new ExchangeSettings(null, S, S, S, S, ERRORS, WATCHDOG)).getMessage());
        assertEquals("errors", assertThrows(NullPointerException.class,
                () -> new ExchangeSettings("t", S, S, S, S, null, WATCHDOG)).getMessage());
        assertEquals("watchdog", assertThrows(NullPointerException.class,
                () -> new ExchangeSettings("t", S, S, S, S, ERRORS, null)).getMessage());
    }

    @Test
    void aRequestsOwnDeadlineReplacesOnlyTheTotalOne() {
        ExchangeSettings s = new ExchangeSettings("t", S, S.multipliedBy(2), S.multipliedBy(3), S.multipliedBy(4), ERRORS,
                WATCHDOG);
        assertSame(s, s.withTotalTimeout(S.multipliedBy(4)), "the same deadline changes nothing");
        assertEquals(new ExchangeSettings("t", S, S.multipliedBy(2), S.multipliedBy(3), S.multipliedBy(9), ERRORS, WATCHDOG),
                s.withTotalTimeout(S.multipliedBy(9)));
        assertEquals("totalTimeout must be a positive duration, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> s.withTotalTimeout(Duration.ZERO)).getMessage());
        assertEquals("totalTimeout must be a positive duration, was null",
                assertThrows(IllegalArgumentException.class, () -> s.withTotalTimeout(null)).getMessage());
    }
}
