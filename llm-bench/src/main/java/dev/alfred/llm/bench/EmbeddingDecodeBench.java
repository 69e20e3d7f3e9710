package dev.alfred.llm.bench;

import dev.alfred.llm.openai.internal.embed.EmbeddingDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The decoding half of E1 without the network: a 1,000 × 1,536 embeddings body already in memory, read by
 * our {@link EmbeddingDecoder} (jackson-core walk, base64 straight from the body bytes, every vector checked)
 * and by the floor's byte scan and base64 loop; and ours on the same vectors as JSON numbers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EmbeddingDecodeBench {

    private static final int N = 1_000;
    private static final int DIMS = 1_536;
    private static final byte[] BASE64 = EmbeddingFixture.body(0, N, DIMS, true);
    private static final byte[] FLOATS = EmbeddingFixture.body(0, N, DIMS, false);
    private final EmbeddingDecoder decoder = new EmbeddingDecoder();

    /** @return the vectors, by our decoder */
    @Benchmark
    public Object oursBase64() {
        return decoder.decode(BASE64, N, null);
    }

    /** @return the vectors, by the floor's scan */
    @Benchmark
    public Object floorBase64() {
        return EmbedFloorClient.parse(BASE64, N);
    }

    /** @return the vectors from JSON numbers, by our decoder */
    @Benchmark
    public Object oursFloats() {
        return decoder.decode(FLOATS, N, null);
    }
}
