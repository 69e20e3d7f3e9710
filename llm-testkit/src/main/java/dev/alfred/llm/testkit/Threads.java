package dev.alfred.llm.testkit;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/** Live-thread checks for "no thread left behind" assertions. */
public final class Threads {

    /**
     * Taken exclusively by the contract kits' rules that observe the whole JVM (live threads, the default
     * locale, captured log lines) and shared by every other rule, so that kits (chat and embeddings) may run
     * side by side in one JVM without one kit's threads landing in another's rule.
     */
    static final java.util.concurrent.locks.ReentrantReadWriteLock JVM_WIDE =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    private Threads() {
    }

    private static boolean isFakeServers(Thread t) {
        return t.getName().startsWith(FakeServer.THREAD_PREFIX);
    }

    /**
     * The live threads now.
     *
     * @return a snapshot
     */
    public static Set<Thread> live() {
        Set<Thread> all = new HashSet<>(Thread.getAllStackTraces().keySet());
        all.removeIf(t -> !t.isAlive());
        return all;
    }

    /**
     * The threads alive now that were not in a snapshot, leaving the fake server's own threads out and
     * giving threads that are ending up to the grace period to end (or to fall to {@code allowed}).
     *
     * @param before  the earlier snapshot
     * @param grace   how long to wait for new threads to end
     * @param allowed how many new threads are acceptable, so the wait can stop early
     * @return the new threads still alive
     */
    public static Set<Thread> newSince(Set<Thread> before, Duration grace, int allowed) {
        long deadline = System.nanoTime() + grace.toNanos();
        Set<Thread> grown;
        do {
            grown = live();
            grown.removeAll(before);
            grown.removeIf(Threads::isFakeServers);
            if (grown.size() <= allowed) {
                return grown;
            }
            // On JDK 17 an HttpClient cannot be closed: its selector thread ends once the client is collected.
            System.gc();
            try {
                // Wait for a lingering thread to end (at once if it does), then look at them all again.
                grown.iterator().next().join(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return grown;
            }
        } while (System.nanoTime() < deadline);
        return grown;
    }
}
