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
 * stream), S2 (sequential short streams), S3 (many paced concurrent streams), S4 (tool-call arguments),
 * S5 (the cost of the OpenTelemetry listener) and a heap check.
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
        try (ServerProcess server = ServerProcess.start(); PortClient kimi = PortClient.kimi();
             PortClient openai = PortClient.openAi(); PortClient anthropic = PortClient.anthropic()) {
            List<StreamClient> clients = new ArrayList<>(List.of(new FloorClient(), kimi, openai));
            List<StreamClient> anthropicClients = new ArrayList<>(List.of(new AnthropicFloorClient(), anthropic));
            for (StreamClient peer : peers()) {
                (peer.format().equals("anthropic") ? anthropicClients : clients).add(peer);
            }
            // S2 first: its short latencies are the most sensitive to the heap churn S1 leaves behind.
            s2(server, clients, sizes, rows);
            s2(server, anthropicClients, sizes, rows);
            s1(server, clients, sizes, rows);
            s1(server, anthropicClients, sizes, rows);
            s3(server, clients, sizes, rows);
            s3(server, anthropicClients, sizes, rows);
            s4(server, List.of(clients.get(0), clients.get(1)), sizes, rows);
            s5(server, sizes, rows);
            heap(server, sizes, rows);
        }
        return rows;
    }

    /**
     * Further clients (the -Ppeers profile's OpenAI SDK and LangChain4j), registered as services. One
     * that cannot load (a registration left in target/ by an earlier -Ppeers build) is skipped, said so.
     */
    private static List<StreamClient> peers() {
        List<StreamClient> peers = new ArrayList<>();
        Iterator<StreamClient> it = java.util.ServiceLoader.load(StreamClient.class).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return peers;
                }
                peers.add(it.next());
            } catch (java.util.ServiceConfigurationError e) {
                System.err.println("skipping a peer client that cannot load (mvn clean?): " + e.getMessage());
            }
        }
    }

    /** Per-client lists of samples. */
    private static List<List<Double>> samples(int clients) {
        List<List<Double>> l = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            l.add(new ArrayList<>());
        }
        return l;
    }

    /**
     * The row of client c against the floor (client 0); only our providers are held to the target. The
     * first of ours (Kimi on the Kimi-format stream) keeps the scenario's bare name, as in wave 1.
     */
    private static Row row(List<StreamClient> clients, int c, String scenario, String metric, double floor,
                           double value, String target, boolean met) {
        boolean plain = c == 1 && clients.get(0).format().equals("kimi");
        String name = plain ? scenario : scenario + " · " + clients.get(c).name();
        return clients.get(c).ours() ? new Row(name, metric, floor, value, target, met)
                : new Row(name, metric, floor, value, "—", true);
    }

    private static void check(String expected, String actual, String who) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(who + " read a wrong text: " + actual.length() + " chars, expected "
                    + expected.length());
        }
    }

    private static void s1(ServerProcess server, List<StreamClient> clients, Sizes sizes, List<Row> rows) throws Exception {
        URI base = server.base(sizes.s1Chunks(), 0, clients.get(0).format());
        String expected = KimiStreamFixture.answer(sizes.s1Chunks());
        int n = clients.size();
        List<List<Double>> nanos = samples(n);
        List<List<Double>> bytes = samples(n);
        perItem(clients, c -> c.read(base, () -> { }), expected, sizes.s1Chunks(), sizes.s1Rounds(), nanos, bytes);
        double n0 = Measures.median(nanos.get(0));
        double b0 = Measures.median(bytes.get(0));
        for (int c = 1; c < n; c++) {
            double nc = Measures.median(nanos.get(c));
            double bc = Measures.median(bytes.get(c));
            rows.add(row(clients, c, "S1 " + sizes.s1Chunks() + " chunks", "wall ns/chunk", n0, nc, "≤ 1.2×", nc <= 1.2 * n0));
            rows.add(row(clients, c, "S1", "allocated B/chunk", b0, bc, "≤ 1.3×", bc <= 1.3 * b0));
        }
    }

    /**
     * S4: one tool call whose arguments arrive in many fragments, then the same split over two interleaved
     * parallel calls; the floor walks {@code choices[0].delta.tool_calls[i].function.arguments} with
     * jackson-core. Per fragment: wall time and allocation, medians of interleaved rounds.
     */
    private static void s4(ServerProcess server, List<StreamClient> clients, Sizes sizes, List<Row> rows) throws Exception {
        for (int calls = 1; calls <= 2; calls++) {
            URI base = server.toolBase(sizes.s1Chunks(), calls);
            String expected = ToolStreamFixture.answer(sizes.s1Chunks(), calls);
            List<List<Double>> nanos = samples(2);
            List<List<Double>> bytes = samples(2);
            perItem(clients, c -> c.readToolArguments(base), expected, sizes.s1Chunks(), sizes.s1Rounds(), nanos, bytes);
            double n0 = Measures.median(nanos.get(0));
            double b0 = Measures.median(bytes.get(0));
            double n1 = Measures.median(nanos.get(1));
            double b1 = Measures.median(bytes.get(1));
            String label = "S4 " + sizes.s1Chunks() + " fragments, " + (calls == 1 ? "one call" : "two interleaved calls");
            rows.add(new Row(label, "wall ns/fragment", n0, n1, "≤ 1.2×", n1 <= 1.2 * n0));
            rows.add(new Row("S4", "allocated B/fragment", b0, b1, "≤ 1.3×", b1 <= 1.3 * b0));
        }
    }

    /** One read of a whole stream by one client. */
    private interface Read {
        String by(StreamClient client) throws Exception;
    }

    /**
     * Reads with every client in turn (A B A B …), two warm-up rounds then {@code rounds} measured ones,
     * every text checked; adds wall nanoseconds and allocated bytes per item to each client's samples.
     */
    private static void perItem(List<StreamClient> clients, Read read, String expected, int items, int rounds,
                                List<List<Double>> nanos, List<List<Double>> bytes) throws Exception {
        for (int round = 0; round < rounds + 2; round++) {
            for (int c = 0; c < clients.size(); c++) {
                long alloc = Measures.allocatedBytes();
                long t0 = System.nanoTime();
                String text = read.by(clients.get(c));
                long t1 = System.nanoTime();
                long allocated = Measures.allocatedBytes() - alloc;
                check(expected, text, clients.get(c).name());
                if (round >= 2) {
                    nanos.get(c).add((t1 - t0) / (double) items);
                    bytes.get(c).add(allocated / (double) items);
                }
            }
        }
    }

    private static void s2(ServerProcess server, List<StreamClient> clients, Sizes sizes, List<Row> rows) throws Exception {
        URI base = server.base(sizes.s2Chunks(), 0, clients.get(0).format());
        String expected = KimiStreamFixture.answer(sizes.s2Chunks());
        int n = clients.size();
        // Steady state: each client first reads 5,000 streams (interleaved), so that both request paths are
        // compiled by C2 (1,000 were not enough for ours: the per-request code runs once per stream).
        int warmup = sizes == Sizes.SMOKE ? 5 : 5000;
        int rounds = sizes == Sizes.SMOKE ? 1 : 3;
        List<List<Double>> firstP50 = samples(n);
        List<List<Double>> firstP99 = samples(n);
        List<List<Double>> doneP50 = samples(n);
        List<List<Double>> doneP99 = samples(n);
        for (int i = 0; i < warmup; i++) {
            for (StreamClient c : clients) {
                check(expected, c.read(base, () -> { }), c.name());
            }
        }
        for (int round = 0; round < rounds; round++) {
            List<List<Double>> first = samples(n);
            List<List<Double>> done = samples(n);
            for (int i = 0; i < sizes.s2Streams(); i++) {
                for (int c = 0; c < n; c++) {
                    long t0 = System.nanoTime();
                    long[] firstAt = {0};
                    String text = clients.get(c).read(base, () -> firstAt[0] = System.nanoTime());
                    long t1 = System.nanoTime();
                    check(expected, text, clients.get(c).name());
                    first.get(c).add((firstAt[0] - t0) / 1000.0);
                    done.get(c).add((t1 - t0) / 1000.0);
                }
            }
            for (int c = 0; c < n; c++) {
                firstP50.get(c).add(Measures.median(first.get(c)));
                firstP99.get(c).add(Measures.percentile(first.get(c), 99));
                doneP50.get(c).add(Measures.median(done.get(c)));
                doneP99.get(c).add(Measures.percentile(done.get(c), 99));
            }
        }
        String label = "S2 " + sizes.s2Streams() + "×" + sizes.s2Chunks() + " (median of " + rounds + " rounds)";
        double f0 = Measures.median(firstP50.get(0));
        for (int c = 1; c < n; c++) {
            double fc = Measures.median(firstP50.get(c));
            rows.add(row(clients, c, label, "first delta p50 µs", f0, fc, "≤ 1.1×", fc <= 1.1 * f0));
            rows.add(row(clients, c, "S2", "first delta p99 µs", Measures.median(firstP99.get(0)), Measures.median(firstP99.get(c)), "—", true));
            rows.add(row(clients, c, "S2", "completion p50 µs", Measures.median(doneP50.get(0)), Measures.median(doneP50.get(c)), "—", true));
            rows.add(row(clients, c, "S2", "completion p99 µs", Measures.median(doneP99.get(0)), Measures.median(doneP99.get(c)), "—", true));
        }
    }

    /**
     * S5: what observing costs. The "floor" column is the bare provider, the other the same provider with
     * the OpenTelemetry listener recording into the real SDK (spans to a discarding exporter, metrics into
     * an in-memory reader), read interleaved: process CPU per chunk of the S1 stream, allocation per chunk,
     * and the S2 first-delta p50.
     */
    private static void s5(ServerProcess server, Sizes sizes, List<Row> rows) throws Exception {
        try (ObservedSdk sdk = new ObservedSdk();
             PortClient bare = PortClient.kimi();
             PortClient observed = PortClient.kimi("alfred-llm + OpenTelemetry", p -> p.withListeners(sdk.listener()))) {
            List<StreamClient> pair = List.of(bare, observed);
            URI base = server.base(sizes.s1Chunks(), 0);
            String expected = KimiStreamFixture.answer(sizes.s1Chunks());
            // Process CPU time comes in scheduler ticks (10 ms here, 50 ns per chunk of one stream): the row
            // takes the total over all measured rounds, which a tick no longer coarsens.
            long[] cpuTotal = new long[2];
            List<List<Double>> bytes = samples(2);
            int rounds = sizes == Sizes.SMOKE ? 1 : 2 * sizes.s1Rounds() + 1;
            for (int round = 0; round < rounds + 2; round++) {
                for (int c = 0; c < 2; c++) {
                    long alloc = Measures.allocatedBytes();
                    long cpu0 = Measures.processCpuNanos();
                    String text = pair.get(c).read(base, () -> { });
                    long used = Measures.processCpuNanos() - cpu0;
                    long allocated = Measures.allocatedBytes() - alloc;
                    check(expected, text, pair.get(c).name());
                    if (round >= 2) {
                        cpuTotal[c] += used;
                        bytes.get(c).add(allocated / (double) sizes.s1Chunks());
                    }
                }
            }
            double c0 = cpuTotal[0] / ((double) rounds * sizes.s1Chunks());
            double c1 = cpuTotal[1] / ((double) rounds * sizes.s1Chunks());
            rows.add(new Row("S5 " + sizes.s1Chunks() + " chunks ×" + rounds + ", observed vs bare", "CPU ns/chunk", c0,
                    c1, "≤ 1.05×", c1 <= 1.05 * c0));
            double b0 = Measures.median(bytes.get(0));
            double b1 = Measures.median(bytes.get(1));
            rows.add(new Row("S5", "allocated B/chunk", b0, b1, "≤ +1 B", b1 <= b0 + 1));
            URI shortBase = server.base(sizes.s2Chunks(), 0);
            String shortText = KimiStreamFixture.answer(sizes.s2Chunks());
            int warmup = sizes == Sizes.SMOKE ? 5 : 5000;
            for (int i = 0; i < warmup; i++) {
                for (StreamClient c : pair) {
                    check(shortText, c.read(shortBase, () -> { }), c.name());
                }
            }
            List<List<Double>> firstP50 = samples(2);
            for (int round = 0; round < (sizes == Sizes.SMOKE ? 1 : 3); round++) {
                List<List<Double>> first = samples(2);
                for (int i = 0; i < sizes.s2Streams(); i++) {
                    for (int c = 0; c < 2; c++) {
                        long t0 = System.nanoTime();
                        long[] firstAt = {0};
                        check(shortText, pair.get(c).read(shortBase, () -> firstAt[0] = System.nanoTime()), "S5");
                        first.get(c).add((firstAt[0] - t0) / 1000.0);
                    }
                }
                firstP50.get(0).add(Measures.median(first.get(0)));
                firstP50.get(1).add(Measures.median(first.get(1)));
            }
            double f0 = Measures.median(firstP50.get(0));
            double f1 = Measures.median(firstP50.get(1));
            rows.add(new Row("S5 " + sizes.s2Streams() + "×" + sizes.s2Chunks(), "first delta p50 µs", f0, f1, "≤ +25 µs",
                    f1 <= f0 + 25));
            if (sdk.spans() == 0) {
                throw new IllegalStateException("S5 recorded no span: the listener was not in the path");
            }
        }
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

    private static void s3(ServerProcess server, List<StreamClient> clients, Sizes sizes, List<Row> rows) throws Exception {
        URI base = server.base(sizes.s3Chunks(), sizes.s3PaceMicros(), clients.get(0).format());
        String expected = KimiStreamFixture.answer(sizes.s3Chunks());
        int n = clients.size();
        double ideal = sizes.s3Chunks() * sizes.s3PaceMicros() / 1000.0;
        List<List<Double>> wall = samples(n);
        List<List<Double>> p99 = samples(n);
        List<List<Double>> threads = samples(n);
        List<List<Double>> cpu = samples(n);
        for (int round = 0; round < sizes.s3Rounds() + 1; round++) {
            for (int c = 0; c < n; c++) {
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
        for (int c = 1; c < n; c++) {
            double wc = Measures.median(wall.get(c));
            rows.add(row(clients, c, label, "wall ms (ideal " + (long) ideal + ")", Measures.median(wall.get(0)), wc,
                    "≤ 1.03× ideal", wc <= 1.03 * ideal));
            rows.add(row(clients, c, "S3", "first delta p99 ms", Measures.median(p99.get(0)), Measures.median(p99.get(c)), "—", true));
            double th = Measures.median(threads.get(c));
            rows.add(row(clients, c, "S3", "platform threads the client owns (peak)", Measures.median(threads.get(0)), th, "≤ 16", th <= 16));
            double c0 = Measures.median(cpu.get(0));
            double cc = Measures.median(cpu.get(c));
            rows.add(row(clients, c, "S3", "CPU ms", c0, cc, "≤ 1.1×", cc <= 1.1 * c0));
        }
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
