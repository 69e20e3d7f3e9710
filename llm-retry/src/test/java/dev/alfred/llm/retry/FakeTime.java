package dev.alfred.llm.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that only moves when the sleeper sleeps, and a sleeper that records every wait. */
final class FakeTime extends Clock implements Sleeper {

    final List<Duration> waits = new CopyOnWriteArrayList<>();
    private volatile Instant now = Instant.parse("2026-11-25T00:00:00Z");

    @Override
    public void sleep(Duration duration) {
        waits.add(duration);
        synchronized (this) {
            now = now.plus(duration);
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
