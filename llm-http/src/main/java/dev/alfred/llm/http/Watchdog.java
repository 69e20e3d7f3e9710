package dev.alfred.llm.http;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Enforces the head deadlines, idle timeouts and total deadlines of open exchanges, so that readers
 * can wait without a timeout: a timed wait costs a timer per read (on a virtual thread, a scheduled
 * task), an untimed one does not. {@link #shared()} is one daemon thread for the whole JVM that ticks
 * only while something is watched; timeouts are enforced to within one tick. {@link #manual} has no
 * thread: its owner calls {@link #tick()}, on a ticker of its own, which is how tests run timeouts on
 * fake time. An exchange is watched from the moment its request is sent until it ends, however it
 * ends, so {@link #watching()} counts the exchanges in flight. Thread-safe.
 */
public final class Watchdog {

    /** Something the watchdog checks on each tick. */
    interface Watched {
        /**
         * Checks the deadlines and fires whatever has expired.
         *
         * @param now the watchdog's ticker, in nanoseconds
         * @return false to be dropped from the watch (finished or fired)
         */
        boolean check(long now);
    }

    static final long TICK_NANOS = 20_000_000;
    /** Idle ticks before the thread parks for good: steady traffic then never has to wake it. */
    private static final int IDLE_TICKS = 50;
    private static final Watchdog SHARED = new Watchdog(System::nanoTime, true);

    private final LongSupplier ticker;
    private final boolean threaded;
    private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;
    private volatile boolean sleeping;

    private Watchdog(LongSupplier ticker, boolean threaded) {
        this.ticker = ticker;
        this.threaded = threaded;
    }

    /**
     * The JVM's watchdog: one daemon thread on {@link System#nanoTime()}.
     *
     * @return the shared watchdog
     */
    public static Watchdog shared() {
        return SHARED;
    }

    /**
     * A watchdog without a thread, on the given ticker: nothing expires until {@link #tick()}.
     *
     * @param ticker nanoseconds, such as a test's fake time
     * @return the watchdog
     */
    public static Watchdog manual(LongSupplier ticker) {
        return new Watchdog(Objects.requireNonNull(ticker, "ticker"), false);
    }

    /**
     * The watchdog's time, against which every deadline it enforces is set.
     *
     * @return nanoseconds from the ticker
     */
    public long now() {
        return ticker.getAsLong();
    }

    /**
     * Starts checking something on every tick until its check returns false or it is unwatched.
     *
     * @param w what to check
     */
    void watch(Watched w) {
        watched.add(w);
        if (!threaded) {
            return;
        }
        Thread t = thread;
        if (t == null) {
            synchronized (this) {
                if (thread == null) {
                    thread = new Thread(this::run, "alfred-llm-watchdog");
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

    /**
     * Stops checking something.
     *
     * @param w what to stop checking
     */
    void unwatch(Watched w) {
        watched.remove(w);
    }

    /**
     * How many exchanges are watched now: those in flight. Tests wait on it until a deadline is armed,
     * and check that finished exchanges leave.
     *
     * @return the count
     */
    public int watching() {
        return watched.size();
    }

    /** Checks everything watched once, at the ticker's time now. */
    public void tick() {
        long now = ticker.getAsLong();
        watched.removeIf(w -> !w.check(now));
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
                tick();
            }
            LockSupport.parkNanos(this, TICK_NANOS);
        }
    }
}
