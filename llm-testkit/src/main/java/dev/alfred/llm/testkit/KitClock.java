package dev.alfred.llm.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The contract kit's fake time, in nanoseconds: it stands still until a rule {@linkplain #advance
 * advances} it, and then runs the hooks providers registered with {@link #onAdvance}, so the timing rules
 * (idle timeout, response-head timeout) take no wall-clock time. A provider on {@code llm-http} puts its
 * deadlines on it in two lines:
 *
 * <pre>{@code
 * Watchdog wd = Watchdog.manual(target.clock());   // dev.alfred.llm.http.Watchdog
 * target.clock().onAdvance(wd::tick);
 * … builder.watchdog(wd) …
 * }</pre>
 *
 * A rule advances the clock only once the provider is waiting (the request received, the reader
 * blocked), and past the timeout the {@link ProviderTarget} gave. A provider that ignores the clock
 * still passes on its real timeouts, only slower. Thread-safe: hooks run on the advancing thread, in the
 * order they were registered.
 */
public final class KitClock implements LongSupplier {

    /** Where the clock starts: far from zero, so no deadline arithmetic meets a sign or a zero by accident. */
    private static final long START = Duration.ofDays(1).toNanos();

    private final AtomicLong now = new AtomicLong(START);
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();

    /** A clock at its start, with no hooks. */
    public KitClock() {
    }

    /**
     * The time now.
     *
     * @return nanoseconds, as {@link System#nanoTime()} counts them (only differences mean anything)
     */
    @Override
    public long getAsLong() {
        return now.get();
    }

    /**
     * Moves the time on, then runs every hook, such as a watchdog's {@code tick}.
     *
     * @param duration how far; zero only runs the hooks
     * @throws IllegalArgumentException if the duration is negative
     * @throws NullPointerException if the duration is null
     */
    public void advance(Duration duration) {
        if (Objects.requireNonNull(duration, "duration").isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        now.addAndGet(duration.toNanos());
        hooks.forEach(Runnable::run);
    }

    /**
     * Registers a hook run after each {@link #advance}, for whatever enforces deadlines on this clock.
     *
     * @param hook the hook, such as {@code watchdog::tick}
     * @throws NullPointerException if the hook is null
     */
    public void onAdvance(Runnable hook) {
        hooks.add(Objects.requireNonNull(hook, "hook"));
    }

    /**
     * How far the clock has been advanced since it started.
     *
     * @return the elapsed fake time
     */
    public Duration elapsed() {
        return Duration.ofNanos(now.get() - START);
    }

    @Override
    public String toString() {
        return "KitClock{+" + elapsed() + ", " + hooks.size() + " hooks}";
    }
}
