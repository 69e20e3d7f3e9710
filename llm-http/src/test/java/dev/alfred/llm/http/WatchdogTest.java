package dev.alfred.llm.http;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watchdog checks what it watches on every tick: a manual one when its owner ticks, the threaded one
 * on a daemon thread of its own that ticks while something is watched, parks for good after a quiet
 * second, and wakes on the next watch. The threaded tests wait for states the thread reaches within a
 * tick (20 ms), or, for the park, within its idle second.
 */
class WatchdogTest {

    /** Counts its checks; stays watched while {@code keep} is set. */
    private static final class Probe implements Watchdog.Watched {
        final AtomicInteger checks = new AtomicInteger();
        final AtomicLong lastNow = new AtomicLong(-1);
        volatile boolean keep;

        Probe(boolean keep) {
            this.keep = keep;
        }

        @Override
        public boolean check(long now) {
            lastNow.set(now);
            checks.incrementAndGet();
            return keep;
        }
    }

    private static Set<Thread> watchdogThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("alfred-llm-watchdog"))
                .collect(Collectors.toSet());
    }

    /**
     * A threaded watchdog of this test's own, on the given ticker: the JVM's shared one would make the
     * test depend on what other tests left watched. Made by reflection, as only {@link Watchdog#shared()}
     * exposes the threaded kind.
     */
    private static Watchdog threaded(LongSupplier ticker) throws ReflectiveOperationException {
        Constructor<Watchdog> c = Watchdog.class.getDeclaredConstructor(LongSupplier.class, boolean.class);
        c.setAccessible(true);
        return c.newInstance(ticker, true);
    }

    private static void await(BooleanSupplier state, long boundMillis, String what) {
        long until = System.nanoTime() + boundMillis * 1_000_000;
        while (!state.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, what);
            Thread.onSpinWait();
        }
    }

    @Test
    void aManualWatchdogChecksOnlyWhenTickedAndHasNoThread() {
        AtomicLong now = new AtomicLong(5);
        Watchdog w = Watchdog.manual(now::get);
        Set<Thread> before = watchdogThreads();
        Probe p = new Probe(true);
        w.watch(p);
        assertEquals(before, watchdogThreads(), "a manual watchdog starts no thread");
        assertEquals(1, w.watching());
        assertEquals(0, p.checks.get(), "nothing is checked before a tick");
        now.set(9);
        assertEquals(9, w.now());
        w.tick();
        assertEquals(1, p.checks.get());
        assertEquals(9, p.lastNow.get(), "checked at the ticker's time");
        p.keep = false;
        w.tick();
        assertEquals(0, w.watching(), "a check that returns false drops what it checked");
        w.watch(p);
        w.unwatch(p);
        assertEquals(0, w.watching());
        w.tick();
        assertEquals(2, p.checks.get(), "an unwatched thing is not checked");
    }

    @Test
    void theThreadedWatchdogTicksOnADaemonThreadSleepsWhenIdleAndWakesOnTheNextWatch() throws Exception {
        AtomicLong now = new AtomicLong(11);
        Watchdog w = threaded(now::get);
        Set<Thread> before = watchdogThreads();
        Probe first = new Probe(false);
        w.watch(first);
        Set<Thread> mine = watchdogThreads();
        mine.removeAll(before);
        assertEquals(1, mine.size(), "the first watch starts one thread");
        Thread t = mine.iterator().next();
        assertTrue(t.isDaemon(), "the watchdog never keeps the JVM alive");
        await(() -> first.checks.get() == 1 && w.watching() == 0, Loopback.HANG.toMillis(), "the thread checked it");
        assertEquals(11, first.lastNow.get());
        // Nothing watched for 50 ticks: the thread parks untimed, until a watch wakes it.
        await(() -> t.getState() == Thread.State.WAITING, 1000 + Loopback.HANG.toMillis(), "the idle thread parks");
        Probe second = new Probe(false);
        w.watch(second);
        await(() -> second.checks.get() == 1, Loopback.HANG.toMillis(), "a watch wakes the parked thread");
        Set<Thread> after = watchdogThreads();
        after.removeAll(before);
        assertEquals(Set.of(t), after, "still the one thread");
    }
}
