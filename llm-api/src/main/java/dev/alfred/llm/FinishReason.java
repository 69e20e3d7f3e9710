package dev.alfred.llm;

/**
 * Why the model stopped producing output. Values may be added in later versions.
 */
public enum FinishReason {
    /** A natural end or a stop sequence. */
    STOP,
    /** The output hit the token limit; the answer is cut short. */
    LENGTH,
    /** The model asked for tool calls. */
    TOOL_CALLS,
    /** The provider's content filter stopped the output. */
    CONTENT_FILTER,
    /**
     * The model refused to answer (OpenAI's {@code refusal}, Anthropic's {@code stop_reason: refusal}); the
     * refusal's text is {@link ChatResponse#refusal()}. Do not ask again unchanged.
     */
    REFUSAL,
    /** A reason the provider gave that this version does not know. */
    OTHER
}
