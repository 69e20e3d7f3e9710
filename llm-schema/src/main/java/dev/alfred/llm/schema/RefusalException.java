package dev.alfred.llm.schema;

import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.spi.SecretScrubber;

import java.util.List;
import java.util.Objects;

/**
 * The model refused to answer ({@link ChatResponse#isRefusal()}: OpenAI's {@code refusal}, Anthropic's
 * {@code stop_reason: refusal}). An outcome of its own, not a malformed answer: a structured answer is
 * not repaired and a tool loop runs no call of the refusing round (not even one the refusal carries).
 * Not retryable: the same request is refused again. Its {@link #errorType() error type} is
 * {@code refusal}.
 */
public final class RefusalException extends LlmException {

    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 300;

    /** The refusal's text, empty when the model gave none. */
    private final String refusal;
    private final transient ChatResponse response;
    private final transient List<ChatMessage> transcript;

    /**
     * Creates the exception.
     *
     * @param response   the refusing answer
     * @param transcript the conversation up to and including the refusing answer
     * @throws NullPointerException if an argument is null
     */
    public RefusalException(ChatResponse response, List<ChatMessage> transcript) {
        super(message(response), null, -1, "refusal", false, null, null);
        this.refusal = response.refusal();
        this.response = response;
        this.transcript = List.copyOf(transcript);
    }

    private static String message(ChatResponse response) {
        Objects.requireNonNull(response, "response");
        return response.refusal().isEmpty() ? "the model refused to answer"
                : "the model refused to answer: " + SecretScrubber.bound(response.refusal(), SHOWN);
    }

    /**
     * What the model said in refusing.
     *
     * @return the text, empty when it gave none
     */
    public String refusal() {
        return refusal;
    }

    /**
     * The refusing answer, with its finish reason and any tool calls it carried (never run).
     *
     * @return the response
     */
    public ChatResponse response() {
        return response;
    }

    /**
     * The conversation up to and including the refusing answer.
     *
     * @return the messages
     */
    public List<ChatMessage> transcript() {
        return transcript;
    }
}
