package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Everything one stream did: the deltas in order, and its one outcome (a response or a failure).
 *
 * @param deltas   the deltas received
 * @param response the aggregated response, or null if the stream failed
 * @param failure  the failure, or null if the stream completed
 */
public record StreamRecording(List<ChatDelta> deltas, ChatResponse response, LlmException failure) {

    /**
     * Copies the deltas.
     *
     * @param deltas   the deltas received
     * @param response the aggregated response, or null if the stream failed
     * @param failure  the failure, or null if the stream completed
     */
    public StreamRecording {
        deltas = List.copyOf(deltas);
    }

    /**
     * Reads a stream to its end, recording each delta and the outcome, and closes it.
     *
     * @param stream the stream
     * @return the recording
     */
    public static StreamRecording of(ChatStream stream) {
        return of(stream, d -> { });
    }

    /** The same, telling {@code seen} of each delta as it is recorded (for a rule that waits for the first). */
    static StreamRecording of(ChatStream stream, Consumer<ChatDelta> seen) {
        List<ChatDelta> deltas = new ArrayList<>();
        try (stream) {
            Iterator<ChatDelta> it = stream.iterator();
            while (it.hasNext()) {
                ChatDelta d = it.next();
                deltas.add(d);
                seen.accept(d);
            }
            return new StreamRecording(deltas, stream.response(), null);
        } catch (LlmException e) {
            return new StreamRecording(deltas, null, e);
        }
    }

    /** @return the text deltas, concatenated */
    public String text() {
        return Deltas.join(deltas, ChatDelta.Kind.TEXT);
    }

    /** @return the reasoning deltas, concatenated */
    public String reasoning() {
        return Deltas.join(deltas, ChatDelta.Kind.REASONING);
    }

    /**
     * Asserts the stream completed.
     *
     * @return the response
     */
    public ChatResponse assertCompleted() {
        assertNull(failure, () -> "the stream should have completed but failed with " + failure);
        assertNotNull(response, "a completed stream has a response");
        return response;
    }

    /**
     * Asserts the stream failed with the given type.
     *
     * @param type the expected exception type
     * @param <T>  the type
     * @return the failure
     */
    public <T extends LlmException> T assertFailed(Class<T> type) {
        assertNotNull(failure, () -> "the stream should have failed with " + type.getSimpleName()
                + " but completed with " + response);
        return assertInstanceOf(type, failure, () -> "expected " + type.getSimpleName() + " but got " + failure);
    }
}
