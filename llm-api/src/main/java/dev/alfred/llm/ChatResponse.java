package dev.alfred.llm;

/**
 * A complete answer: the text, the reasoning that came with it, and what it cost.
 *
 * @param content      the answer, never null (empty when the model produced none)
 * @param reasoning    the model's reasoning, never null (empty when there was none)
 * @param model        the model that answered, as the provider named it, or null if not reported
 * @param usage        the tokens used, or null if the provider did not report them
 * @param finishReason why the output ended, or null if not reported
 */
public record ChatResponse(String content, String reasoning, String model, Usage usage,
                           FinishReason finishReason) {

    /**
     * Validates the response.
     *
     * @param content the answer, never null (empty when the model produced none)
     * @param reasoning the model's reasoning, never null (empty when there was none)
     * @param model the model that answered, as the provider named it, or null if not reported
     * @param usage the tokens used, or null if the provider did not report them
     * @param finishReason why the output ended, or null if not reported
     * @throws IllegalArgumentException if content or reasoning is null, or model is blank
     */
    public ChatResponse {
        if (content == null) {
            throw new IllegalArgumentException("content must not be null");
        }
        if (reasoning == null) {
            throw new IllegalArgumentException("reasoning must not be null");
        }
        if (model != null && model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
    }
}
