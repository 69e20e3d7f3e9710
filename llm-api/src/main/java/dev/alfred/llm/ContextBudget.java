package dev.alfred.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fits a request to a model's context window before it is sent, so that a long conversation and a large
 * memory do not fail with {@link ContextWindowExceededException}: keeps every system message and the
 * newest turns, drops whole oldest turns (a turn is a user message and everything after it up to the next
 * one, so a tool call is never split from its result), never drops the last user message, and says what
 * it dropped. Memory snippets (what a remembering bot recalls for this question, most relevant first) go
 * into one system message after the system prompt and may take up to a share of the budget; what they do
 * not use goes to the history.
 *
 * <pre>{@code
 * ContextBudget budget = ContextBudget.builder(200_000).memoryShare(0.25).build();
 * BudgetedRequest fitted = budget.fit(request, List.of("Ada likes tea."), provider.tokenCounter());
 * provider.chat(fitted.request());
 * }</pre>
 *
 * <p>Counts go through the provider's {@link TokenCounter}, so the fit is as exact as the counter; a
 * server counter is asked about log2(turns) + log2(snippets) + 2 times. Immutable and thread-safe.
 */
public final class ContextBudget {

    /** The room kept for the answer when the request does not set {@code maxTokens}. */
    public static final int DEFAULT_ANSWER_RESERVE = 4096;

    private final long contextWindow;
    private final long answerReserve;
    private final double memoryShare;
    private final String memoryHeader;

    private ContextBudget(Builder b) {
        this.contextWindow = b.contextWindow;
        this.answerReserve = b.answerReserve;
        this.memoryShare = b.memoryShare;
        this.memoryHeader = b.memoryHeader;
    }

    /**
     * A builder for a model's window.
     *
     * @param contextWindow the model's context window in tokens ({@link ModelInfo#contextWindow()})
     * @return the builder
     * @throws IllegalArgumentException if the window is not positive
     */
    public static Builder builder(long contextWindow) {
        return new Builder(contextWindow);
    }

    /**
     * Fits a request without memory.
     *
     * @param request the request
     * @param counter the provider's counter
     * @return the fitted request and what was dropped
     * @throws ContextWindowExceededException if the system messages and the last turn alone do not fit
     * @throws LlmException                   when the counter fails
     */
    public BudgetedRequest fit(ChatRequest request, TokenCounter counter) {
        return fit(request, List.of(), counter);
    }

    /**
     * Fits a request and memory snippets.
     *
     * @param request the request
     * @param memory  the snippets, most relevant first; the least relevant are dropped first
     * @param counter the provider's counter
     * @return the fitted request and what was dropped
     * @throws ContextWindowExceededException if the system messages and the last turn alone do not fit
     * @throws LlmException                   when the counter fails
     * @throws NullPointerException           if an argument is null
     */
    public BudgetedRequest fit(ChatRequest request, List<String> memory, TokenCounter counter) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(counter, "counter");
        List<String> snippets = List.copyOf(memory);
        long reserve = request.maxTokens() != null ? request.maxTokens() : answerReserve;
        long budget = Math.max(0, contextWindow - reserve);
        Shape shape = new Shape(request);
        int lastTurn = shape.turns - 1;

        TokenCount base = counter.count(shape.build(Math.max(lastTurn, 0), snippets, 0));
        if (base.tokens() > budget) {
            throw new ContextWindowExceededException("the system messages and the last turn take " + base.tokens()
                    + " tokens (" + base.method() + "), more than the budget of " + budget + " (window "
                    + contextWindow + " less " + reserve + " for the answer)", null, -1, null, null, null);
        }
        int kept = 0;
        if (!snippets.isEmpty()) {
            long memoryBudget = (long) Math.floor(budget * memoryShare);
            int lo = 0;
            int hi = snippets.size();
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                long n = counter.count(shape.build(Math.max(lastTurn, 0), snippets, mid)).tokens();
                if (n - base.tokens() <= memoryBudget && n <= budget) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            kept = lo;
        }
        TokenCount count = counter.count(shape.build(0, snippets, kept));
        int drop = 0;
        if (count.tokens() > budget) {
            int lo = 1;
            int hi = Math.max(lastTurn, 0);
            TokenCount fitting = null;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                TokenCount c = counter.count(shape.build(mid, snippets, kept));
                if (c.tokens() <= budget) {
                    hi = mid;
                    fitting = c;
                } else {
                    lo = mid + 1;
                }
            }
            drop = lo;
            count = fitting != null ? fitting : counter.count(shape.build(drop, snippets, kept));
        }
        return new BudgetedRequest(shape.build(drop, snippets, kept), count, budget, shape.dropped(drop), drop,
                snippets.subList(0, kept), snippets.subList(kept, snippets.size()));
    }

    /** A request's messages by turn: system messages in turn -1, the rest numbered from the oldest. */
    private final class Shape {
        private final ChatRequest request;
        private final List<ChatMessage> messages;
        private final int[] turnOf;
        private final int leadingSystem;
        private final int turns;

        Shape(ChatRequest request) {
            this.request = request;
            this.messages = request.messages();
            this.turnOf = new int[messages.size()];
            int lead = 0;
            while (lead < messages.size() && messages.get(lead) instanceof SystemMessage) {
                lead++;
            }
            this.leadingSystem = lead;
            int turn = -1;
            boolean any = false;
            for (int i = 0; i < messages.size(); i++) {
                ChatMessage m = messages.get(i);
                if (m instanceof SystemMessage) {
                    turnOf[i] = -1;
                    continue;
                }
                if (m instanceof UserMessage || !any) {
                    turn++;
                    any = true;
                }
                turnOf[i] = turn;
            }
            this.turns = turn + 1;
        }

        ChatRequest build(int dropTurns, List<String> snippets, int keep) {
            List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
            for (int i = 0; i < messages.size(); i++) {
                if (i == leadingSystem && keep > 0) {
                    out.add(memoryMessage(snippets, keep));
                }
                if (turnOf[i] < 0 || turnOf[i] >= dropTurns) {
                    out.add(messages.get(i));
                }
            }
            if (leadingSystem == messages.size() && keep > 0) {
                out.add(memoryMessage(snippets, keep));
            }
            return request.withMessages(out);
        }

        List<ChatMessage> dropped(int dropTurns) {
            List<ChatMessage> out = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                if (turnOf[i] >= 0 && turnOf[i] < dropTurns) {
                    out.add(messages.get(i));
                }
            }
            return out;
        }
    }

    private SystemMessage memoryMessage(List<String> snippets, int keep) {
        return new SystemMessage(memoryHeader + "\n\n" + String.join("\n\n", snippets.subList(0, keep)));
    }

    /** A builder of {@link ContextBudget}; not thread-safe. */
    public static final class Builder {
        private final long contextWindow;
        private long answerReserve = DEFAULT_ANSWER_RESERVE;
        private double memoryShare = 0.25;
        private String memoryHeader = "What you remember that may help:";

        private Builder(long contextWindow) {
            if (contextWindow <= 0) {
                throw new IllegalArgumentException("the context window must be positive, not " + contextWindow);
            }
            this.contextWindow = contextWindow;
        }

        /**
         * The room kept for the answer when a request does not set {@code maxTokens} (a request that sets it
         * keeps that much). Default {@value ContextBudget#DEFAULT_ANSWER_RESERVE}.
         *
         * @param tokens the tokens kept
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder answerReserve(long tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("the answer reserve must not be negative, not " + tokens);
            }
            this.answerReserve = tokens;
            return this;
        }

        /**
         * The share of the budget memory snippets may take at most. Default 0.25.
         *
         * @param share between 0 and 1
         * @return this builder
         * @throws IllegalArgumentException if outside 0..1
         */
        public Builder memoryShare(double share) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("the memory share must be within 0..1, not " + share);
            }
            this.memoryShare = share;
            return this;
        }

        /**
         * The line that opens the memory's system message. Default "What you remember that may help:".
         *
         * @param header the header
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder memoryHeader(String header) {
            if (header == null || header.isBlank()) {
                throw new IllegalArgumentException("the memory header must not be blank");
            }
            this.memoryHeader = header;
            return this;
        }

        /**
         * Builds the budget.
         *
         * @return the budget
         */
        public ContextBudget build() {
            return new ContextBudget(this);
        }
    }
}
