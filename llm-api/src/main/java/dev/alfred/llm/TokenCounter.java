package dev.alfred.llm;

/**
 * Counts the input tokens of a whole request as its provider would send it: system, history, tools and
 * images. Each provider gives its own ({@link LlmProvider#tokenCounter()}): the server's count endpoint,
 * the model's tokenizer run locally, or {@link #estimate()}. Implementations are thread-safe.
 */
@FunctionalInterface
public interface TokenCounter {

    /**
     * Counts a request's input tokens.
     *
     * @param request the request, as it would be sent
     * @return the count and how it was made
     * @throws LlmException         when a server count fails
     * @throws NullPointerException if request is null
     */
    TokenCount count(ChatRequest request);

    /**
     * A rule of thumb for any provider, without a tokenizer: a quarter token per ASCII character (English
     * text averages about four characters a token in the GPT and Claude tokenizers), one token per other
     * character (CJK text runs at about one a character), 4 tokens of framing per message and 3 to prime
     * the answer, the tools' names, descriptions and schemas as text, and 1,000 tokens per image. Counts
     * are marked {@link TokenCount.Kind#ESTIMATE}.
     *
     * @return the estimating counter
     */
    static TokenCounter estimate() {
        return TokenEstimate.INSTANCE;
    }
}
