package dev.alfred.llm.kimi.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread for the whole JVM that enforces the idle timeouts and deadlines of every open
 * body, so that readers can wait without a timeout: a timed wait costs a timer per read (on a virtual
 * thread, a scheduled task), an untimed one does not. It ticks only while bodies are open; timeouts are
 * enforced to within one tick.
 */
final class Watchdog {

    /** Something the watchdog checks on each tick. */
    interface Watched {
        /**
         * Checks the deadlines and fires whatever has expired.
         *
         * @param now {@link System#nanoTime()}
         * @return false to be dropped from the watch (finished or fired)
         */
        boolean check(long now);
    }

    static final long TICK_NANOS = 20_000_000;
    /** Idle ticks before the thread parks for good: steady traffic then never has to wake it. */
    private static final int IDLE_TICKS = 50;
    private static final Watchdog INSTANCE = new Watchdog();

    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;
    private volatile boolean sleeping;

    private Watchdog() {
    }

    static Watchdog get() {
        return INSTANCE;
    }

    void watch(Watched w) {
        watched.add(w);
        Thread t = thread;
        if (t == null) {
            synchronized (this) {
                if (thread == null) {
                    thread = new Thread(this::run, "alfred-kimi-watchdog");
                    thread.setDaemon(true);
                    thread.start();
                }
                t = thread;
            }
        }
        if (sleeping) {
            LockSupport.unpark(t);
        }
    }

    void unwatch(Watched w) {
        watched.remove(w);
    }

    private void run() {
        int idle = 0;
        while (true) {
            if (watched.isEmpty()) {
                if (++idle > IDLE_TICKS) {
                    sleeping = true;
                    if (watched.isEmpty()) { // re-check: a watch may have come before the flag was seen
                        LockSupport.park(this);
                    }
                    sleeping = false;
                    idle = 0;
                    continue;
                }
            } else {
                idle = 0;
                long now = System.nanoTime();
                watched.removeIf(w -> !w.check(now));
            }
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }
}
