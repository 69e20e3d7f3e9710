package dev.alfred.llm.bench;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.AbstractChatStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the listening layer and the OpenTelemetry listener add per streamed chunk, free of network noise:
 * an in-memory stream of 1,000 text parts read bare, and read through the OpenTelemetry listener recording
 * into the real SDK. Scores are per chunk (the per-call work shared out over the 1,000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ListeningStreamBench {

    static final int CHUNKS = 1000;
    private static final ChatDelta[] PARTS = new ChatDelta[CHUNKS];

    static {
        for (int i = 0; i < CHUNKS; i++) {
            PARTS[i] = ChatDelta.text(KimiStreamFixture.text(i));
        }
    }

    private final ChatRequest request = ChatRequest.of("bench");
    private final LlmProvider bare = new InMemory();
    private ObservedSdk sdk;
    private LlmProvider observed;

    /** Sets up the SDK. */
    @Setup
    public void setUp() {
        sdk = new ObservedSdk();
        observed = bare.withListeners(sdk.listener());
    }

    /** Shuts the SDK down. */
    @TearDown
    public void tearDown() {
        sdk.close();
    }

    /** @return the last part, so nothing is optimised away */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public ChatDelta bare() {
        return read(bare);
    }

    /** @return the last part */
    @Benchmark
    @OperationsPerInvocation(CHUNKS)
    public ChatDelta observedWithOpenTelemetry() {
        return read(observed);
    }

    private ChatDelta read(LlmProvider p) {
        ChatDelta last = null;
        try (ChatStream s = p.stream(request)) {
            for (ChatDelta d : s) {
                last = d;
            }
        }
        return last;
    }

    /** Hands out the prepared parts, then usage and a finish. */
    private static final class InMemory implements LlmProvider {
        @Override
        public String id() {
            return "in-memory";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            return new AbstractChatStream("in-memory") {
                int next;

                @Override
                protected ChatDelta fetch() {
                    if (next < CHUNKS) {
                        return PARTS[next++];
                    }
                    reportModel("m");
                    reportUsage(Usage.of(1, CHUNKS, CHUNKS + 1));
                    reportFinishReason(FinishReason.STOP);
                    return null;
                }

                @Override
                protected void abort() {
                }
            };
        }
    }
}
