package dev.alfred.llm.anthropic;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.alfred.llm.anthropic.internal.wire.EventDecoder;
import dev.alfred.llm.anthropic.internal.wire.MalformedEventException;

/** The event decoder under hostile input. */
class EventDecoderFuzzTest {

    /**
     * Any bytes as stream events, one after another into one decoder, and as a whole message: only
     * {@link MalformedEventException} may escape, and every call returns.
     */
    @FuzzTest(maxDuration = "30s")
    void theDecoderOnlyEverThrowsItsTypedError(FuzzedDataProvider in) {
        EventDecoder.Streaming decoder = EventDecoder.streaming();
        while (in.remainingBytes() > 0) {
            byte[] event = in.consumeBytes(in.consumeInt(0, 512));
            try {
                new EventDecoder().decodeMessage(event, event.length);
            } catch (MalformedEventException expected) {
                // typed
            }
            try {
                decoder.decode(event, event.length);
            } catch (MalformedEventException expected) {
                return;
            }
        }
    }
}
