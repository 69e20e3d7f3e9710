package dev.alfred.llm.bench;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.kimi.KimiProvider;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end-to-end loopback benchmark: the floor and alfred-llm read the same pre-rendered Kimi stream
 * from a server in another process, interleaved (A B A B …), every text checked. Scenarios S1 (one long
 * stream), S2 (sequential short streams), S3 (many paced concurrent streams) and a heap check.
 */
public final class LoopbackBench {

    /** How big a run is. */
    public record Sizes(int s1Chunks, int s1Rounds, int s2Streams, int s2Chunks, int s3Streams, int s3Chunks,
                        long s3PaceMicros, int s3Rounds, int heapChunks) {
        /** The sizes the issue asks for. */
        public static final Sizes FULL = new Sizes(200_000, 5, 300, 10, 256, 200, 10_000, 3, 200_000);
        /** A seconds-long smoke run for CI: checks texts, measures nothing worth reading. */
        public static final Sizes SMOKE = new Sizes(2_000, 1, 10, 10, 8, 20, 1_000, 1, 5_000);
    }

    /** One line of the result table. */
    public record Row(String scenario, String metric, double floor, double ours, String target, boolean met) {
        double ratio() {
            return floor == 0 ? Double.NaN : ours / floor;
        }
    }

    private LoopbackBench() {
    }

    /**
     * Runs every scenario.
     *
     * @param sizes how big
     * @return the rows of the table
     * @throws Exception if a stream fails or a text differs
     */
    public static List<Row> run(Sizes sizes) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(); KimiClient ours = new KimiClient()) {
            FloorClient floor = new FloorClient();
            // S2 first: its short latencies are the most sensitive to the heap churn S1 leaves behind.
            s2(server, floor, ours, sizes, rows);
            s1(server, floor, ours, sizes, rows);
            s3(server, floor, ours, sizes, rows);
            heap(server, sizes, rows);
        }
        return rows;
    }

    private static void check(String expected, String actual, String who) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(who + " read a wrong text: " + actual.length() + " chars, expected "
                    + expected.length());
        }
    }

    private static void s1(ServerProcess server, StreamClient a, StreamClient b, Sizes sizes, List<Row> rows) throws Exception {
        URI base = server.base(sizes.s1Chunks(), 0);
        String expected = KimiStreamFixture.answer(sizes.s1Chunks());
        List<List<Double>> nanos = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> bytes = List.of(new ArrayList<>(), new ArrayList<>());
        List<StreamClient> clients = List.of(a, b);
        for (int round = 0; round < sizes.s1Rounds() + 2; round++) {
            for (int c = 0; c < 2; c++) {
                long alloc = Measures.allocatedBytes();
                long t0 = System.nanoTime();
                String text = clients.get(c).read(base, () -> { });
                long t1 = System.nanoTime();
                long allocated = Measures.allocatedBytes() - alloc;
                check(expected, text, clients.get(c).name());
                if (round >= 2) {
                    nanos.get(c).add((t1 - t0) / (double) sizes.s1Chunks());
                    bytes.get(c).add(allocated / (double) sizes.s1Chunks());
                }
            }
        }
        double n0 = Measures.median(nanos.get(0));
        double n1 = Measures.median(nanos.get(1));
        double b0 = Measures.median(bytes.get(0));
        double b1 = Measures.median(bytes.get(1));
        rows.add(new Row("S1 " + sizes.s1Chunks() + " chunks", "wall ns/chunk", n0, n1, "≤ 1.2×", n1 <= 1.2 * n0));
        rows.add(new Row("S1", "allocated B/chunk", b0, b1, "≤ 1.3×", b1 <= 1.3 * b0));
    }

    private static void s2(ServerProcess server, StreamClient a, StreamClient b, Sizes sizes, List<Row> rows) throws Exception {
        URI base = server.base(sizes.s2Chunks(), 0);
        String expected = KimiStreamFixture.answer(sizes.s2Chunks());
        List<StreamClient> clients = List.of(a, b);
        // Steady state: each client first reads 5,000 streams (interleaved), so that both request paths are
        // compiled by C2 (1,000 were not enough for ours: the per-request code runs once per stream).
        int warmup = sizes == Sizes.SMOKE ? 5 : 5000;
        int rounds = sizes == Sizes.SMOKE ? 1 : 3;
        List<List<Double>> firstP50 = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> firstP99 = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> doneP50 = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> doneP99 = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < warmup; i++) {
            for (StreamClient c : clients) {
                check(expected, c.read(base, () -> { }), c.name());
            }
        }
        for (int round = 0; round < rounds; round++) {
            List<List<Double>> first = List.of(new ArrayList<>(), new ArrayList<>());
            List<List<Double>> done = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < sizes.s2Streams(); i++) {
                for (int c = 0; c < 2; c++) {
                    long t0 = System.nanoTime();
                    long[] firstAt = {0};
                    String text = clients.get(c).read(base, () -> firstAt[0] = System.nanoTime());
                    long t1 = System.nanoTime();
                    check(expected, text, clients.get(c).name());
                    first.get(c).add((firstAt[0] - t0) / 1000.0);
                    done.get(c).add((t1 - t0) / 1000.0);
                }
            }
            for (int c = 0; c < 2; c++) {
                firstP50.get(c).add(Measures.median(first.get(c)));
                firstP99.get(c).add(Measures.percentile(first.get(c), 99));
                doneP50.get(c).add(Measures.median(done.get(c)));
                doneP99.get(c).add(Measures.percentile(done.get(c), 99));
            }
        }
        String label = "S2 " + sizes.s2Streams() + "×" + sizes.s2Chunks() + " (median of " + rounds + " rounds)";
        double f0 = Measures.median(firstP50.get(0));
        double f1 = Measures.median(firstP50.get(1));
        rows.add(new Row(label, "first delta p50 µs", f0, f1, "≤ 1.1×", f1 <= 1.1 * f0));
        rows.add(new Row("S2", "first delta p99 µs", Measures.median(firstP99.get(0)), Measures.median(firstP99.get(1)), "—", true));
        rows.add(new Row("S2", "completion p50 µs", Measures.median(doneP50.get(0)), Measures.median(doneP50.get(1)), "—", true));
        rows.add(new Row("S2", "completion p99 µs", Measures.median(doneP99.get(0)), Measures.median(doneP99.get(1)), "—", true));
    }

    private static ExecutorService readers() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException jdk17) {
            return Executors.newCachedThreadPool();
        }
    }

    static boolean virtualThreads() {
        try {
            Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static void s3(ServerProcess server, StreamClient a, StreamClient b, Sizes sizes, List<Row> rows) throws Exception {
        URI base = server.base(sizes.s3Chunks(), sizes.s3PaceMicros());
        String expected = KimiStreamFixture.answer(sizes.s3Chunks());
        List<StreamClient> clients = List.of(a, b);
        double ideal = sizes.s3Chunks() * sizes.s3PaceMicros() / 1000.0;
        List<List<Double>> wall = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> p99 = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> threads = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < sizes.s3Rounds() + 1; round++) {
            for (int c = 0; c < 2; c++) {
                StreamClient client = clients.get(c);
                AtomicInteger peak = new AtomicInteger();
                List<Double> firsts = Collections.synchronizedList(new ArrayList<>());
                CountDownLatch go = new CountDownLatch(1);
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(Measures.threadsOwnedBy(client.name()), Math::max);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "thread-sampler");
                sampler.setDaemon(true);
                sampler.start();
                long cpu0 = Measures.processCpuNanos();
                long t0;
                ExecutorService pool = readers();
                try {
                    List<Future<String>> results = new ArrayList<>();
                    for (int i = 0; i < sizes.s3Streams(); i++) {
                        results.add(pool.submit(() -> {
                            go.await();
                            long start = System.nanoTime();
                            return client.read(base, () -> firsts.add((System.nanoTime() - start) / 1e6));
                        }));
                    }
                    t0 = System.nanoTime();
                    go.countDown();
                    for (Future<String> f : results) {
                        check(expected, f.get(5, TimeUnit.MINUTES), client.name());
                    }
                } finally {
                    pool.shutdown();
                }
                long t1 = System.nanoTime();
                long cpuUsed = Measures.processCpuNanos() - cpu0;
                sampler.interrupt();
                sampler.join();
                if (round >= 1) {
                    wall.get(c).add((t1 - t0) / 1e6);
                    p99.get(c).add(Measures.percentile(firsts, 99));
                    threads.get(c).add((double) peak.get());
                    cpu.get(c).add(cpuUsed / 1e6);
                }
            }
        }
        String label = "S3 " + sizes.s3Streams() + "×" + sizes.s3Chunks() + " @" + sizes.s3PaceMicros() / 1000 + " ms"
                + (virtualThreads() ? " (virtual readers)" : " (platform readers)");
        double w1 = Measures.median(wall.get(1));
        rows.add(new Row(label, "wall ms (ideal " + (long) ideal + ")", Measures.median(wall.get(0)), w1,
                "≤ 1.03× ideal", w1 <= 1.03 * ideal));
        rows.add(new Row("S3", "first delta p99 ms", Measures.median(p99.get(0)), Measures.median(p99.get(1)), "—", true));
        double th = Measures.median(threads.get(1));
        rows.add(new Row("S3", "platform threads the client owns (peak)", Measures.median(threads.get(0)), th, "≤ 16", th <= 16));
        double c0 = Measures.median(cpu.get(0));
        double c1 = Measures.median(cpu.get(1));
        rows.add(new Row("S3", "CPU ms", c0, c1, "≤ 1.1×", c1 <= 1.1 * c0));
    }

    /**
     * A slow reader of a long stream: the heap may grow by the aggregate text the port keeps for
     * {@code response()}, and by nothing else. The control builds the same text in a StringBuilder the
     * same way, measured the same way; the rest of the stream must not pile up.
     */
    private static void heap(ServerProcess server, Sizes sizes, List<Row> rows) throws Exception {
        URI base = server.base(sizes.heapChunks(), 0);
        int tenth = sizes.heapChunks() / 10;
        long[] control = new long[2];
        StringBuilder same = new StringBuilder();
        for (int i = 0; i < sizes.heapChunks(); i++) {
            same.append(KimiStreamFixture.text(i));
            if (i + 1 == tenth) {
                control[0] = Measures.usedHeapAfterGc();
            }
            if (i + 1 == 9 * tenth) {
                control[1] = Measures.usedHeapAfterGc();
            }
        }
        check(KimiStreamFixture.answer(sizes.heapChunks()), same.toString(), "control");
        same = null;
        long early = 0;
        long late = 0;
        try (KimiProvider kimi = KimiProvider.builder().apiKey("sk-bench").baseUrl(base).build();
             ChatStream stream = kimi.stream(ChatRequest.of("bench"))) {
            Iterator<ChatDelta> it = stream.iterator();
            int read = 0;
            while (it.hasNext()) {
                it.next();
                read++;
                if (read % 1000 == 0) {
                    Thread.sleep(2);
                }
                if (read == tenth) {
                    early = Measures.usedHeapAfterGc();
                }
                if (read == 9 * tenth) {
                    late = Measures.usedHeapAfterGc();
                }
            }
            check(KimiStreamFixture.answer(sizes.heapChunks()), stream.response().content(), "alfred-llm (slow)");
        }
        double controlKib = (control[1] - control[0]) / 1024.0;
        double oursKib = (late - early) / 1024.0;
        rows.add(new Row("heap, slow reader of " + sizes.heapChunks(), "KiB grown 10%→90% (floor column: the aggregate alone)",
                controlKib, oursKib, "≤ aggregate + 1 MiB", oursKib <= controlKib + 1024));
    }
}
