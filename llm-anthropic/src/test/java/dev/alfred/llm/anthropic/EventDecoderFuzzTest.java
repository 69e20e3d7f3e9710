package dev.alfred.llm.anthropic;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.anthropic.internal.wire.AnswerFolder;
import dev.alfred.llm.anthropic.internal.wire.AnswerSink;
import dev.alfred.llm.anthropic.internal.wire.EventDecoder;
import dev.alfred.llm.anthropic.internal.wire.MalformedEventException;

/** The event decoder and the folding of what it decodes under hostile input. */
class EventDecoderFuzzTest {

    /**
     * Any bytes as stream events, one after another into one decoder and one answer's folding, and as
     * a whole message folded: only {@link MalformedEventException} may escape, and every call returns.
     */
    @FuzzTest(maxDuration = "30s")
    void theDecoderAndTheFoldingOnlyEverThrowTheirTypedError(FuzzedDataProvider in) {
        EventDecoder.Streaming decoder = EventDecoder.streaming();
        AnswerFolder stream = new AnswerFolder(AnswerSink.of(new ResponseAccumulator()), "anthropic");
        while (in.remainingBytes() > 0) {
            byte[] event = in.consumeBytes(in.consumeInt(0, 512));
            try {
                new AnswerFolder(AnswerSink.of(new ResponseAccumulator()), "anthropic")
                        .message(new EventDecoder().decodeMessage(event, event.length));
            } catch (MalformedEventException expected) {
                // typed
            }
            try {
                if (stream.event("message", decoder.decode(event, event.length), event, event.length)
                        == AnswerFolder.Step.ENDED) {
                    return;
                }
            } catch (MalformedEventException expected) {
                return;
            }
        }
    }
}
