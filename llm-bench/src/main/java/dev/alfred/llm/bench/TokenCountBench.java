package dev.alfred.llm.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.openai.OpenAiProvider;
import dev.alfred.llm.openai.internal.tokens.TiktokenCounter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Local token counting: {@code OpenAiProvider.tokenCounter()} on one user message of plain English prose
 * (the Gettysburg Address 16 times, about 5,000 tokens), and jtokkit's bare {@code countTokensOrdinary} on
 * the same text as the floor; {@code gpt-5-mini} counts with o200k_base, {@code gpt-4} with cl100k_base.
 * Calls per second; {@link #tokens} turns them into tokens per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenCountBench {

    /** The text counted. */
    public static final String TEXT = Prose.repeated(16);
    private static final ChatRequest REQUEST = ChatRequest.of(TEXT);

    @Param({"gpt-5-mini", "gpt-4"})
    String model;

    private OpenAiProvider provider;
    private TokenCounter counter;
    private Encoding encoding;

    @Setup
    public void create() {
        provider = OpenAiProvider.builder().apiKey("sk-bench").model(model).build();
        counter = provider.tokenCounter();
        encoding = Encodings.newLazyEncodingRegistry().getEncoding(TiktokenCounter.encodingOf(model));
    }

    @TearDown
    public void close() {
        provider.close();
    }

    /**
     * The tokens one call counts: the request's, framing included, for our counter; the text's for the floor.
     *
     * @param benchmark the benchmark method's name
     * @param model     the model
     * @return the tokens per call
     */
    public static long tokens(String benchmark, String model) {
        if (benchmark.endsWith("jtokkitCountOrdinary")) {
            return Encodings.newLazyEncodingRegistry().getEncoding(TiktokenCounter.encodingOf(model))
                    .countTokensOrdinary(TEXT);
        }
        try (OpenAiProvider p = OpenAiProvider.builder().apiKey("sk-bench").model(model).build()) {
            return p.tokenCounter().count(REQUEST).tokens();
        }
    }

    /** @return the request's tokens, by the provider's counter */
    @Benchmark
    public long tokenCounter() {
        return counter.count(REQUEST).tokens();
    }

    /** @return the text's tokens, by jtokkit alone */
    @Benchmark
    public long jtokkitCountOrdinary() {
        return encoding.countTokensOrdinary(TEXT);
    }
}
