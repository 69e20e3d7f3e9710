package dev.alfred.llm.bench;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.openai.internal.wire.Chunk;
import dev.alfred.llm.openai.internal.wire.ChunkDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** One chunk's JSON payload to a delta, as the provider does it for every event. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChunkDecodeBench {

    private static final byte[] CONTENT = payload(KimiStreamFixture.contentEvent(7));
    private static final byte[] FINAL = payload(KimiStreamFixture.tailEvents(100));
    private final ChunkDecoder decoder = new ChunkDecoder();

    private static byte[] payload(byte[] event) {
        String s = new String(event, StandardCharsets.UTF_8);
        return s.substring(6, s.indexOf("\n\n")).getBytes(StandardCharsets.UTF_8);
    }

    /** @return the delta of a content chunk */
    @Benchmark
    public ChatDelta contentPayloadToDelta() {
        Chunk c = decoder.decode(CONTENT, 0, CONTENT.length);
        return ChatDelta.text(c.content());
    }

    /** @return the decoded final chunk, usage included */
    @Benchmark
    public Chunk finalPayloadWithUsage() {
        return decoder.decode(FINAL, 0, FINAL.length);
    }
}
