package dev.alfred.llm.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Allocation, CPU and thread counters from the JVM's management beans, and percentiles. */
final class Measures {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Measures() {
    }

    /** Bytes allocated so far by every live platform thread. */
    static long allocatedBytes() {
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) THREADS;
        long sum = 0;
        for (long a : t.getThreadAllocatedBytes(t.getAllThreadIds())) {
            sum += Math.max(0, a);
        }
        return sum;
    }

    /**
     * CPU time so far of every live platform thread (not the JVM's GC and compiler threads), in nanoseconds:
     * unlike wall time, hardly moved by other processes on a shared machine. A thread that ends takes its
     * time with it, so measure only work whose threads outlive it.
     */
    static long threadsCpuNanos() {
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) THREADS;
        long sum = 0;
        for (long c : t.getThreadCpuTime(t.getAllThreadIds())) {
            sum += Math.max(0, c);
        }
        return sum;
    }

    /** CPU time of the whole process so far, in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Live platform threads a client owns: the floor's are the JDK HttpClient's default workers plus
     * its selector; ours are the provider's pool plus its client's selector. Each client here has one
     * HttpClient per scenario, so one selector is counted for each.
     */
    static int threadsOwnedBy(String client) {
        int owned = 1;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName();
            boolean mine = client.startsWith("floor") ? n.startsWith("HttpClient-") && n.contains("-Worker-")
                    : client.startsWith("alfred-llm") ? n.startsWith("alfred-llm-http-")
                    : n.startsWith("OkHttp") || n.contains("openai") || n.contains("langchain4j") || n.contains("anthropic");
            if (mine && t.isAlive()) {
                owned++;
            }
        }
        return owned;
    }

    static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
