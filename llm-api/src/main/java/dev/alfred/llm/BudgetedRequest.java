package dev.alfred.llm;

import java.util.List;

/**
 * A request fitted to a model's context window by {@link ContextBudget}, and what was left out to fit it.
 *
 * @param request         the request to send: the system messages, the memory kept (as a system message
 *                        after them), and the newest whole turns
 * @param tokens          the fitted request's input tokens, as the counter counted them
 * @param budget          the input tokens allowed: the window less the room kept for the answer
 * @param droppedMessages the oldest messages left out, whole turns, in their order
 * @param droppedTurns    how many turns those messages made
 * @param keptMemory      the memory snippets sent, in the order given
 * @param droppedMemory   the memory snippets left out (the least relevant, from the end), in the order given
 */
public record BudgetedRequest(ChatRequest request, TokenCount tokens, long budget, List<ChatMessage> droppedMessages,
                              int droppedTurns, List<String> keptMemory, List<String> droppedMemory) {

    /**
     * Validates and copies.
     *
     * @param request         the request
     * @param tokens          the count
     * @param budget          the budget
     * @param droppedMessages the dropped messages
     * @param droppedTurns    the dropped turns
     * @param keptMemory      the kept snippets
     * @param droppedMemory   the dropped snippets
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if a number is negative
     */
    public BudgetedRequest {
        java.util.Objects.requireNonNull(request, "request");
        java.util.Objects.requireNonNull(tokens, "tokens");
        if (budget < 0 || droppedTurns < 0) {
            throw new IllegalArgumentException("budget and droppedTurns must not be negative");
        }
        droppedMessages = List.copyOf(droppedMessages);
        keptMemory = List.copyOf(keptMemory);
        droppedMemory = List.copyOf(droppedMemory);
    }

    /**
     * Whether anything was left out.
     *
     * @return true when a turn or a memory snippet was dropped
     */
    public boolean trimmed() {
        return droppedTurns > 0 || !droppedMemory.isEmpty();
    }
}
