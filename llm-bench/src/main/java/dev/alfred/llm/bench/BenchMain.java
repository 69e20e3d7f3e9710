package dev.alfred.llm.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.profile.GCProfiler;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Runs every benchmark and prints one table: {@code java -jar llm-bench/target/llm-bench.jar}
 * ({@code --smoke} for a seconds-long check of the loopback path, {@code --loopback} or {@code --jmh}
 * for one half, {@code --embeddings} for the embeddings and token-counting rows alone, which
 * {@code --loopback} also prints).
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * Runs the benchmarks.
     *
     * @param args {@code --smoke}, {@code --loopback}, {@code --embeddings} or {@code --jmh}
     * @throws Exception if a benchmark fails
     */
    public static void main(String[] args) throws Exception {
        List<String> a = List.of(args);
        boolean smoke = a.contains("--smoke");
        boolean embeddingsOnly = a.contains("--embeddings");
        boolean jmh = !smoke && !a.contains("--loopback") && !embeddingsOnly;
        boolean loopback = !a.contains("--jmh") && !embeddingsOnly;
        boolean embeddings = !a.contains("--jmh");
        System.out.printf(Locale.ROOT, "alfred-llm benchmarks, %s, %d cores, %s %s, Java %s (%s)%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.version(), System.getProperty("java.vm.name"));
        if (jmh) {
            printJmh(new Runner(new OptionsBuilder().include("dev.alfred.llm.bench.*Bench")
                    .addProfiler(GCProfiler.class).build()).run());
        }
        if (loopback) {
            List<LoopbackBench.Row> rows = LoopbackBench.run(smoke ? LoopbackBench.Sizes.SMOKE : LoopbackBench.Sizes.FULL);
            printLoopback(rows, smoke);
        }
        if (embeddings) {
            System.out.println();
            System.out.println("Embeddings and token counting (floor: JDK HttpClient + a hand-written base64 loop;"
                    + " E2's and E3's floor columns say what they hold)");
            printLoopback(EmbeddingBench.run(smoke ? EmbeddingBench.Sizes.SMOKE : EmbeddingBench.Sizes.FULL), smoke);
        }
    }

    private static void printJmh(Collection<RunResult> results) {
        System.out.println();
        System.out.println("| micro-benchmark | score | B/op |");
        System.out.println("| --- | --- | --- |");
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("dev.alfred.llm.bench.", "");
            StringBuilder param = new StringBuilder();
            for (String key : r.getParams().getParamsKeys()) {
                param.append(' ').append(key).append('=').append(r.getParams().getParam(key));
            }
            Result primary = r.getPrimaryResult();
            Result alloc = r.getSecondaryResults().get("·gc.alloc.rate.norm");
            if (alloc == null) {
                alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            }
            String score;
            if (name.startsWith("SseParserBench")) {
                double streamsPerSecond = primary.getScore();
                score = String.format(Locale.ROOT, "%.0f MB/s, %.2f M events/s", streamsPerSecond * SseParserBench.BODY.length / 1e6,
                        streamsPerSecond * (SseParserBench.CHUNKS + 3) / 1e6);
            } else if (name.startsWith("TokenCountBench")) {
                long tokens = TokenCountBench.tokens(name, r.getParams().getParam("model"));
                score = String.format(Locale.ROOT, "%.2f M tokens/s (%d tokens/call)", primary.getScore() * tokens / 1e6,
                        tokens);
            } else {
                score = String.format(Locale.ROOT, "%.0f ns/op", primary.getScore());
            }
            System.out.printf(Locale.ROOT, "| %s%s | %s | %s |%n", name, param, score,
                    alloc == null ? "?" : String.format(Locale.ROOT, "%.0f", alloc.getScore()));
        }
    }

    private static void printLoopback(List<LoopbackBench.Row> rows, boolean smoke) {
        System.out.println();
        System.out.println("| scenario | metric | floor | alfred-llm | ratio | target | met |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        List<String> missed = new ArrayList<>();
        for (LoopbackBench.Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.2f× | %s | %s |%n", r.scenario(), r.metric(),
                    r.floor(), r.ours(), r.ratio(), r.target(), r.met() ? "yes" : "NO");
            if (!r.met()) {
                missed.add(r.scenario() + " " + r.metric());
            }
        }
        System.out.println();
        System.out.println(smoke ? "smoke run: texts checked; the sizes are too small for the numbers to mean anything"
                : missed.isEmpty() ? "every target met" : "targets missed: " + missed);
    }
}
