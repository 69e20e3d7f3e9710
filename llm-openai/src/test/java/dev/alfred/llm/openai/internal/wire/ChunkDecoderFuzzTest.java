package dev.alfred.llm.openai.internal.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** The chunk decoder under hostile input (moved with it from llm-kimi). */
class ChunkDecoderFuzzTest {

    /**
     * Any bytes as stream events, one after another into one decoder: only {@link MalformedChunkException}
     * may escape, and every call returns (a hostile, incomplete event must never spin the parser).
     */
    @FuzzTest(maxDuration = "30s")
    void streamDecoderOnlyEverThrowsItsTypedError(FuzzedDataProvider in) {
        ChunkDecoder.Streaming decoder = ChunkDecoder.streaming();
        while (in.remainingBytes() > 0) {
            byte[] event = in.consumeBytes(in.consumeInt(0, 512));
            try {
                decoder.decode(event, event.length);
            } catch (MalformedChunkException expected) {
                return;
            }
        }
    }
}
