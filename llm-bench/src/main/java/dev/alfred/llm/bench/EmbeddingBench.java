package dev.alfred.llm.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.openai.OpenAiProvider;
import dev.alfred.llm.openai.internal.tokens.TiktokenCounter;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The memory-side benchmarks of issue 26, against the {@link LoopbackServer} in its own process:
 * <ul>
 *   <li>E1: one call fetching 1,000 embeddings of 1,536 dimensions, per client, interleaved (A B C …), every
 *       vector checked to the bit: wall time and bytes allocated (by every thread of this JVM) per call.
 *       The floor is {@link EmbedFloorClient}; ours asks for base64 and, in a second row, JSON numbers; the
 *       {@code -Ppeers} build adds openai-java and LangChain4j, each with its default encoding.</li>
 *   <li>E2: 10,000 inputs against a server that takes at most 500 per request and answers each after a
 *       fixed service time, our provider at concurrency 4: wall against the ideal (batches ÷ concurrency,
 *       rounded up, × service time), order checked; and the library's threads at the call's peak against
 *       chat calls.</li>
 *   <li>E3: local token counting, {@code OpenAiProvider.tokenCounter()} on plain prose, against jtokkit
 *       alone (the JMH {@link TokenCountBench} measures the same more carefully).</li>
 * </ul>
 */
public final class EmbeddingBench {

    /** How big a run is. */
    public record Sizes(int e1Inputs, int e1Dims, int e1Warmup, int e1Rounds, int e2Inputs, int e2Limit,
                        int e2Concurrency, int e2Dims, int e2SmallDims, long e2ServiceMicros, int e2Warmup, int e2Rounds,
                        int e3Repeats, long e3Nanos) {
        /** The sizes issue 26 asks for. */
        public static final Sizes FULL = new Sizes(1_000, 1_536, 5, 11, 10_000, 500, 4, 1_536, 256, 20_000, 3, 9,
                16, 2_000_000_000L);
        /** A seconds-long smoke run: checks every vector, measures nothing worth reading. */
        public static final Sizes SMOKE = new Sizes(20, 16, 1, 1, 200, 50, 4, 8, 4, 1_000, 1, 1, 1, 20_000_000L);
    }

    private EmbeddingBench() {
    }

    /**
     * Runs E1 to E3.
     *
     * @param sizes how big
     * @return the rows of the table
     * @throws Exception if a call fails or a vector differs
     */
    public static List<LoopbackBench.Row> run(Sizes sizes) throws Exception {
        List<LoopbackBench.Row> rows = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start()) {
            e1(server, sizes, rows);
            e2(server, sizes, sizes.e2Dims(), true, rows);
            e2(server, sizes, sizes.e2SmallDims(), false, rows);
        }
        e3(sizes, rows);
        return rows;
    }

    /** The -Ppeers clients, registered as services; one that cannot load is skipped, said so. */
    private static List<EmbedClient> peers() {
        List<EmbedClient> peers = new ArrayList<>();
        Iterator<EmbedClient> it = java.util.ServiceLoader.load(EmbedClient.class).iterator();
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

    private static void e1(ServerProcess server, Sizes sizes, List<LoopbackBench.Row> rows) throws Exception {
        URI base = server.embeddingsBase(sizes.e1Dims(), 0, 0);
        List<String> inputs = EmbeddingFixture.inputs(sizes.e1Inputs());
        float[][] expected = new float[sizes.e1Inputs()][];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = EmbeddingFixture.vector(k, sizes.e1Dims());
        }
        try (EmbedPortClient ours = EmbedPortClient.openAi(EmbeddingRequest.Encoding.BASE64);
             EmbedPortClient floats = EmbedPortClient.openAi(EmbeddingRequest.Encoding.FLOAT)) {
            List<EmbedClient> clients = new ArrayList<>(List.of(new EmbedFloorClient(), ours, floats));
            clients.addAll(peers());
            int n = clients.size();
            List<List<Double>> millis = new ArrayList<>();
            List<List<Double>> megabytes = new ArrayList<>();
            List<List<Double>> cpu = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                millis.add(new ArrayList<>());
                megabytes.add(new ArrayList<>());
                cpu.add(new ArrayList<>());
            }
            for (int round = 0; round < sizes.e1Warmup() + sizes.e1Rounds(); round++) {
                for (int c = 0; c < n; c++) {
                    EmbedClient client = clients.get(c);
                    long alloc = Measures.allocatedBytes();
                    long cpu0 = Measures.threadsCpuNanos();
                    long t0 = System.nanoTime();
                    float[][] vectors = client.embed(base, inputs);
                    long t1 = System.nanoTime();
                    long used = Measures.threadsCpuNanos() - cpu0;
                    long allocated = Measures.allocatedBytes() - alloc;
                    check(expected, vectors, client.name());
                    if (round >= sizes.e1Warmup()) {
                        millis.get(c).add((t1 - t0) / 1e6);
                        megabytes.get(c).add(allocated / 1e6);
                        cpu.get(c).add(used / 1e6);
                    }
                }
            }
            double floatsMb = (double) sizes.e1Inputs() * sizes.e1Dims() * 4 / 1e6;
            String label = "E1 " + sizes.e1Inputs() + " embeddings × " + sizes.e1Dims() + " (median of "
                    + sizes.e1Rounds() + ")";
            double w0 = Measures.median(millis.get(0));
            double a0 = Measures.median(megabytes.get(0));
            double p0 = Measures.median(cpu.get(0));
            double oursWall = Measures.median(millis.get(1));
            double oursCpu = Measures.median(cpu.get(1));
            for (int c = 1; c < n; c++) {
                EmbedClient client = clients.get(c);
                String name = c == 1 ? label : label + " · " + client.name();
                String how = " (" + client.encoding() + ")";
                double wc = Measures.median(millis.get(c));
                double ac = Measures.median(megabytes.get(c));
                double pc = Measures.median(cpu.get(c));
                if (c == 1) {
                    rows.add(new LoopbackBench.Row(name, "wall ms/call" + how, w0, wc, "≤ 1.2×", wc <= 1.2 * w0));
                    rows.add(new LoopbackBench.Row("E1", "CPU ms/call, this JVM's threads", p0, pc, "—", true));
                    rows.add(new LoopbackBench.Row("E1", "allocated MB/call (the floats: "
                            + String.format(java.util.Locale.ROOT, "%.1f", floatsMb) + ")", a0, ac,
                            "≤ 2× the floats", ac <= 2 * floatsMb));
                } else {
                    boolean peer = !client.ours();
                    rows.add(new LoopbackBench.Row(name, "wall ms/call" + how, w0, wc,
                            peer ? "ours (" + String.format(java.util.Locale.ROOT, "%.1f", oursWall) + ") ahead" : "—",
                            !peer || oursWall < wc));
                    // informational: the target is the wall time; CPU says whether a lead is work or waiting
                    rows.add(new LoopbackBench.Row("E1 · " + client.name(), "CPU ms/call, this JVM's threads (ours "
                            + String.format(java.util.Locale.ROOT, "%.1f", oursCpu) + ")", p0, pc, "—", true));
                    rows.add(new LoopbackBench.Row("E1 · " + client.name(), "allocated MB/call", a0, ac, "—", true));
                }
            }
        }
    }

    private static void check(float[][] expected, float[][] actual, String who) {
        if (actual.length != expected.length) {
            throw new IllegalStateException(who + " returned " + actual.length + " vectors for " + expected.length);
        }
        for (int k = 0; k < expected.length; k++) {
            if (!Arrays.equals(expected[k], actual[k])) {
                throw new IllegalStateException(who + " returned a wrong vector for input " + k);
            }
        }
    }

    /**
     * E2 with vectors of {@code dims}; {@code threads} adds the thread-peak rows. The ideal leaves out the
     * time to move and decode the vectors, which at 1,536 dimensions (4 MB of base64 per batch) is not small
     * on two cores: the row with short vectors shows the batching itself.
     */
    private static void e2(ServerProcess server, Sizes sizes, int dims, boolean threads, List<LoopbackBench.Row> rows)
            throws Exception {
        URI base = server.embeddingsBase(dims, sizes.e2ServiceMicros(), sizes.e2Limit());
        List<String> inputs = EmbeddingFixture.inputs(sizes.e2Inputs());
        float[][] expected = new float[sizes.e2Inputs()][];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = EmbeddingFixture.vector(k, dims);
        }
        int batches = (sizes.e2Inputs() + sizes.e2Limit() - 1) / sizes.e2Limit();
        double ideal = Math.ceil(batches / (double) sizes.e2Concurrency()) * sizes.e2ServiceMicros() / 1000.0;
        List<Double> wall = new ArrayList<>();
        Peak embedPeak = new Peak(0, 0);
        try (EmbedPortClient ours = EmbedPortClient.limited(sizes.e2Limit(), sizes.e2Concurrency())) {
            for (int round = 0; round < sizes.e2Warmup() + sizes.e2Rounds(); round++) {
                long t0 = System.nanoTime();
                float[][] vectors = ours.embed(base, inputs);
                long t1 = System.nanoTime();
                check(expected, vectors, "alfred-llm batched");
                if (round >= sizes.e2Warmup()) {
                    wall.add((t1 - t0) / 1e6);
                }
            }
            embedPeak = !threads ? embedPeak : peakLibraryThreads(() -> check(expected, ours.embed(base, inputs), "alfred-llm batched"));
        }
        // The floor's batching: the floor client on consecutive slices, from a pool of `concurrency` threads made
        // for the call, the same split; what this machine allows with no library in the way.
        List<Double> floorWall = new ArrayList<>();
        EmbedFloorClient floor = new EmbedFloorClient();
        for (int round = 0; round < sizes.e2Warmup() + sizes.e2Rounds(); round++) {
            long t0 = System.nanoTime();
            float[][] vectors = floorBatched(floor, base, inputs, sizes.e2Limit(), sizes.e2Concurrency());
            long t1 = System.nanoTime();
            check(expected, vectors, "floor batched");
            if (round >= sizes.e2Warmup()) {
                floorWall.add((t1 - t0) / 1e6);
            }
        }
        double w = Measures.median(wall);
        rows.add(new LoopbackBench.Row("E2 " + sizes.e2Inputs() + " inputs × " + dims + " dims, ≤ " + sizes.e2Limit()
                + " per request, " + sizes.e2ServiceMicros() / 1000 + " ms each, concurrency " + sizes.e2Concurrency()
                + " (median of " + sizes.e2Rounds() + ", min " + String.format(java.util.Locale.ROOT, "%.1f", wall.stream()
                .mapToDouble(Double::doubleValue).min().orElse(Double.NaN)) + ")",
                "wall ms (floor column: the ideal, " + batches + " batches)", ideal, w, "≤ 1.1× ideal", w <= 1.1 * ideal));
        double fw = Measures.median(floorWall);
        rows.add(new LoopbackBench.Row("E2", "wall ms (floor column: the floor client batched the same way)", fw, w,
                "—", true));
        if (threads) {
            threadRows(server, sizes, embedPeak, rows);
        }
    }

    private static void threadRows(ServerProcess server, Sizes sizes, Peak embedPeak, List<LoopbackBench.Row> rows)
            throws Exception {
        Peak chatOne;
        Peak chatConcurrent;
        URI chatBase = server.base(10, 10_000);
        String answer = KimiStreamFixture.answer(10);
        try (PortClient chat = PortClient.openAi()) {
            chat.read(chatBase, () -> { }); // a first call, so that the provider and its client exist
            chatOne = peakLibraryThreads(() -> check(answer, chat.read(chatBase, () -> { })));
            chatConcurrent = peakLibraryThreads(() -> {
                ExecutorService callers = Executors.newFixedThreadPool(sizes.e2Concurrency());
                try {
                    List<Future<String>> texts = new ArrayList<>();
                    for (int i = 0; i < sizes.e2Concurrency(); i++) {
                        texts.add(callers.submit(() -> chat.read(chatBase, () -> { })));
                    }
                    for (Future<String> f : texts) {
                        check(answer, f.get(1, TimeUnit.MINUTES));
                    }
                } finally {
                    callers.shutdown();
                }
            });
        }
        String helpers = " (of them batch helpers: " + embedPeak.helpers() + ")";
        rows.add(new LoopbackBench.Row("E2", "library threads at the peak" + helpers + " (floor column: one chat call)",
                chatOne.all(), embedPeak.all(), "≤ 16", embedPeak.all() <= 16));
        rows.add(new LoopbackBench.Row("E2", "library threads at the peak (floor column: " + sizes.e2Concurrency()
                + " concurrent chat calls)", chatConcurrent.all(), embedPeak.all(), "—", true));
    }

    private static float[][] floorBatched(EmbedFloorClient floor, URI base, List<String> inputs, int limit,
                                          int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<float[][]>> parts = new ArrayList<>();
            for (int from = 0; from < inputs.size(); from += limit) {
                List<String> slice = inputs.subList(from, Math.min(inputs.size(), from + limit));
                parts.add(pool.submit(() -> floor.embed(base, slice)));
            }
            float[][] all = new float[inputs.size()][];
            int at = 0;
            for (Future<float[][]> f : parts) {
                float[][] part = f.get(1, TimeUnit.MINUTES);
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private static void check(String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException("a chat call read a wrong text");
        }
    }

    /** The most library threads seen at once, and the most {@code alfred-embeddings-…} helpers among them. */
    private record Peak(int all, int helpers) {
    }

    /** Work whose thread peak is sampled. */
    private interface Work {
        void run() throws Exception;
    }

    /**
     * The most live threads of the library seen while {@code work} runs, sampled about every 200 µs: those
     * named {@code alfred-…} (the HTTP pool, the watchdog, the batch helpers, the cleaners) plus one for the
     * provider's HTTP client's selector thread, as S3 counts.
     */
    private static Peak peakLibraryThreads(Work work) throws Exception {
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger helpers = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            ThreadGroup root = Thread.currentThread().getThreadGroup();
            while (root.getParent() != null) {
                root = root.getParent();
            }
            Thread[] all = new Thread[512];
            while (!done.get()) {
                int n = root.enumerate(all, true);
                int mine = 1;
                int batchHelpers = 0;
                for (int i = 0; i < n; i++) {
                    String name = all[i].getName();
                    if (name.startsWith("alfred-")) {
                        mine++;
                        batchHelpers += name.startsWith("alfred-embeddings-") ? 1 : 0;
                    }
                }
                peak.accumulateAndGet(mine, Math::max);
                helpers.accumulateAndGet(batchHelpers, Math::max);
                LockSupport.parkNanos(200_000);
            }
        }, "thread-sampler");
        sampler.setDaemon(true);
        sampler.start();
        try {
            work.run();
        } finally {
            done.set(true);
            sampler.join();
        }
        return new Peak(peak.get(), helpers.get());
    }

    /**
     * E3: our token counter on plain prose against jtokkit alone on the same text, each run for a while
     * after as long a warm-up; tokens per second, in thousands.
     */
    private static void e3(Sizes sizes, List<LoopbackBench.Row> rows) {
        String text = Prose.repeated(sizes.e3Repeats());
        ChatRequest request = ChatRequest.of(text);
        try (OpenAiProvider provider = OpenAiProvider.builder().apiKey("sk-bench").build()) {
            TokenCounter counter = provider.tokenCounter();
            String model = provider.endpoint().defaultModel();
            Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(TiktokenCounter.encodingOf(model));
            long oursTokens = counter.count(request).tokens();
            long floorTokens = encoding.countTokensOrdinary(text);
            double floorRate = 0;
            double oursRate = 0;
            for (int round = 0; round < 2; round++) {
                floorRate = rate(() -> encoding.countTokensOrdinary(text), floorTokens, sizes.e3Nanos());
                oursRate = rate(() -> counter.count(request).tokens(), oursTokens, sizes.e3Nanos());
            }
            rows.add(new LoopbackBench.Row("E3 token counting, " + model + " (" + encoding.getName() + "), "
                    + oursTokens + " tokens of prose per call", "k tokens/s (floor column: jtokkit alone)",
                    floorRate / 1e3, oursRate / 1e3, "≥ 1,000 k/s", oursRate >= 1e6));
        }
    }

    private static double rate(java.util.function.LongSupplier count, long tokensPerCall, long nanos) {
        long calls = 0;
        long sink = 0;
        long t0 = System.nanoTime();
        long t1;
        do {
            sink += count.getAsLong();
            calls++;
            t1 = System.nanoTime();
        } while (t1 - t0 < nanos);
        if (sink != calls * tokensPerCall) {
            throw new IllegalStateException("the count changed between calls");
        }
        return calls * (double) tokensPerCall / ((t1 - t0) / 1e9);
    }
}
