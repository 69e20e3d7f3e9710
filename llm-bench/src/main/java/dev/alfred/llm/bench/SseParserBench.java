package dev.alfred.llm.bench;

import dev.alfred.llm.http.sse.SseParser;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** The event-stream reader over a realistic 2,000-chunk Kimi stream, fed in reads of 1, 8 and 64 KiB. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SseParserBench {

    /** Events in the stream: role, content chunks, final, [DONE]. */
    public static final int CHUNKS = 2_000;
    static final byte[] BODY = KimiStreamFixture.body(CHUNKS);

    @Param({"1024", "8192", "65536"})
    int readSize;

    private ByteBuffer[] reads;

    @Setup
    public void cut() {
        int n = (BODY.length + readSize - 1) / readSize;
        reads = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            int off = i * readSize;
            reads[i] = ByteBuffer.wrap(BODY, off, Math.min(readSize, BODY.length - off)).slice();
        }
    }

    /**
     * One whole stream through a fresh reader.
     *
     * @param bh sinks the events
     */
    @Benchmark
    public void parseStream(Blackhole bh) {
        SseParser parser = new SseParser();
        for (ByteBuffer r : reads) {
            parser.feed(r.duplicate(), (type, data, length, id) -> bh.consume(length));
        }
    }
}
