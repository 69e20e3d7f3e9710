package dev.alfred.llm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fitting a request to a window: whole oldest turns go, the system prompt and the last turn stay, memory shares. */
class ContextBudgetTest {

    /** Ten tokens per message, plain to follow; counts its calls. */
    static final class TenPerMessage implements TokenCounter {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public TokenCount count(ChatRequest request) {
            calls.incrementAndGet();
            return new TokenCount(10L * request.messages().size(), TokenCount.Kind.TOKENIZER, "ten per message");
        }
    }

    private static final ToolCall CALL = new ToolCall("c1", "clock", "{}", ToolCall.Status.COMPLETE);

    /** system, then turns: [u1 a1] [u2 a2(call) tool a2'] [u3 a3] [u4]. */
    private static ChatRequest conversation(Integer maxTokens) {
        return ChatRequest.builder().system("be brief")
                .user("u1").assistant("a1")
                .user("u2").message(new AssistantMessage("", "", List.of(CALL), ProviderState.NONE))
                .message(new ToolMessage("c1", "clock", "12:00", false)).assistant("a2")
                .user("u3").assistant("a3")
                .user("u4").maxTokens(maxTokens).build();
    }

    private static List<String> texts(List<ChatMessage> messages) {
        return messages.stream().map(m -> m instanceof UserMessage u ? u.text()
                : m instanceof AssistantMessage a ? (a.content().isEmpty() ? "call" : a.content())
                : m instanceof ToolMessage t ? "result" : ((SystemMessage) m).content()).toList();
    }

    @Test
    void aRequestThatFitsIsSentWholeAfterOneCount() {
        TenPerMessage counter = new TenPerMessage();
        ChatRequest r = conversation(10);
        BudgetedRequest fitted = ContextBudget.builder(200).build().fit(r, counter);
        assertEquals(r, fitted.request());
        assertEquals(100, fitted.tokens().tokens());
        assertEquals(190, fitted.budget());
        assertEquals(0, fitted.droppedTurns());
        assertFalse(fitted.trimmed());
        assertEquals(2, counter.calls.get());
    }

    @Test
    void theOldestWholeTurnsGoAndAToolCallLeavesWithItsResult() {
        // window 100 - 20 for the answer = 80: all ten messages make 100; without [u1 a1] they make 80
        BudgetedRequest fitted = ContextBudget.builder(100).build().fit(conversation(20), new TenPerMessage());
        assertEquals(List.of("be brief", "u2", "call", "result", "a2", "u3", "a3", "u4"), texts(fitted.request().messages()));
        assertEquals(List.of("u1", "a1"), texts(fitted.droppedMessages()));
        assertEquals(1, fitted.droppedTurns());
        assertEquals(80, fitted.tokens().tokens());
        assertTrue(fitted.trimmed());

        BudgetedRequest tighter = ContextBudget.builder(79).build().fit(conversation(20), new TenPerMessage());
        assertEquals(List.of("be brief", "u3", "a3", "u4"), texts(tighter.request().messages()));
        assertEquals(List.of("u1", "a1", "u2", "call", "result", "a2"), texts(tighter.droppedMessages()));
        assertEquals(2, tighter.droppedTurns());
        assertEquals(40, tighter.tokens().tokens());
    }

    @Test
    void theSystemPromptAndTheLastUserMessageAlwaysStayOrTheFitFailsSayingWhy() {
        BudgetedRequest last = ContextBudget.builder(40).build().fit(conversation(20), new TenPerMessage());
        assertEquals(List.of("be brief", "u4"), texts(last.request().messages()));
        assertEquals(3, last.droppedTurns());
        ContextWindowExceededException e = assertThrows(ContextWindowExceededException.class,
                () -> ContextBudget.builder(39).build().fit(conversation(20), new TenPerMessage()));
        assertEquals("the system messages and the last turn take 20 tokens (ten per message), more than the budget of 19"
                + " (window 39 less 20 for the answer)", e.getMessage());
    }

    @Test
    void withoutMaxTokensTheBuildersReserveIsKeptForTheAnswer() {
        BudgetedRequest fitted = ContextBudget.builder(4096 + 40).build().fit(conversation(null), new TenPerMessage());
        assertEquals(40, fitted.budget());
        assertEquals(2, fitted.droppedTurns());
        assertEquals(50, ContextBudget.builder(60).answerReserve(10).build().fit(conversation(null), new TenPerMessage()).budget());
        assertEquals(0, ContextBudget.builder(10).answerReserve(20).build().fit(ChatRequest.builder().system("s").build(), r -> new TokenCount(0, TokenCount.Kind.ESTIMATE, "zero")).budget());
    }

    @Test
    void memoryGoesAfterTheSystemPromptWithinItsShareAndItsLeastRelevantSnippetsGoFirst() {
        // budget 100, memory share 25: the memory is one message (10 tokens) whatever its snippets; with it the
        // whole conversation makes 110, so the oldest turn goes
        List<String> memory = List.of("Ada likes tea.", "Ada's cat is Bob.");
        BudgetedRequest fitted = ContextBudget.builder(120).build().fit(conversation(20), memory, new TenPerMessage());
        List<ChatMessage> sent = fitted.request().messages();
        assertInstanceOf(SystemMessage.class, sent.get(1));
        assertEquals("What you remember that may help:\n\nAda likes tea.\n\nAda's cat is Bob.", ((SystemMessage) sent.get(1)).content());
        assertEquals(memory, fitted.keptMemory());
        assertEquals(List.of(), fitted.droppedMemory());
        assertEquals(90, fitted.tokens().tokens());
        assertEquals(1, fitted.droppedTurns());
    }

    @Test
    void memoryBeyondItsShareIsDroppedFromTheEndAndSaid() {
        TokenCounter perChar = r -> new TokenCount(r.messages().stream().mapToLong(m -> m instanceof SystemMessage s
                ? s.content().length() : 10).sum(), TokenCount.Kind.TOKENIZER, "chars");
        List<String> memory = List.of("a".repeat(20), "b".repeat(20), "c".repeat(20));
        ContextBudget budget = ContextBudget.builder(220).memoryShare(0.3).memoryHeader("M").build();
        // budget 200, memory share 60: header "M" + "\n\n" + 20 + "\n\n" + 20 = 45 fits; a third snippet makes 67
        BudgetedRequest fitted = budget.fit(ChatRequest.builder().system("S").user("q").maxTokens(20).build(), memory, perChar);
        assertEquals(List.of("a".repeat(20), "b".repeat(20)), fitted.keptMemory());
        assertEquals(List.of("c".repeat(20)), fitted.droppedMemory());
        assertTrue(fitted.trimmed());
        assertEquals("M\n\n" + "a".repeat(20) + "\n\n" + "b".repeat(20), ((SystemMessage) fitted.request().messages().get(1)).content());
        BudgetedRequest none = ContextBudget.builder(220).memoryShare(0).build().fit(
                ChatRequest.builder().user("q").maxTokens(20).build(), memory, perChar);
        assertEquals(List.of(), none.keptMemory());
        assertEquals(1, none.request().messages().size());
    }

    @Test
    void memoryWithNoSystemPromptOpensTheRequestAndAnEmptyHistoryStillGetsIt() {
        TenPerMessage counter = new TenPerMessage();
        BudgetedRequest fitted = ContextBudget.builder(100).build().fit(ChatRequest.builder().user("q").maxTokens(10).build(),
                List.of("m"), counter);
        assertInstanceOf(SystemMessage.class, fitted.request().messages().get(0));
        assertEquals("q", ((UserMessage) fitted.request().messages().get(1)).text());
        BudgetedRequest onlySystem = ContextBudget.builder(100).build().fit(ChatRequest.builder().system("s").maxTokens(10).build(),
                List.of("m"), counter);
        assertEquals(2, onlySystem.request().messages().size());
        assertEquals("s", ((SystemMessage) onlySystem.request().messages().get(0)).content());
    }

    @Test
    void messagesBeforeTheFirstUserMessageAreATurnOfTheirOwn() {
        ChatRequest r = ChatRequest.builder().assistant("hello, I am Alfred").user("u1").assistant("a1").user("u2").build();
        BudgetedRequest fitted = ContextBudget.builder(30).answerReserve(0).build().fit(r, new TenPerMessage());
        assertEquals(List.of("u1", "a1", "u2"), texts(fitted.request().messages()));
        assertEquals(List.of("hello, I am Alfred"), texts(fitted.droppedMessages()));
    }

    @Test
    void theBuilderRefusesWhatCannotBe() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ContextBudget.builder(0)).getMessage().contains("positive, not 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ContextBudget.builder(1).answerReserve(-1)).getMessage().contains("-1"));
        assertThrows(IllegalArgumentException.class, () -> ContextBudget.builder(1).memoryShare(-0.1));
        assertThrows(IllegalArgumentException.class, () -> ContextBudget.builder(1).memoryShare(1.1));
        assertThrows(IllegalArgumentException.class, () -> ContextBudget.builder(1).memoryShare(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ContextBudget.builder(1).memoryHeader(" "));
        assertThrows(IllegalArgumentException.class, () -> ContextBudget.builder(1).memoryHeader(null));
        ContextBudget.builder(1).memoryShare(0).memoryShare(1).build();
        assertThrows(NullPointerException.class, () -> ContextBudget.builder(9).build().fit(null, new TenPerMessage()));
        assertThrows(NullPointerException.class, () -> ContextBudget.builder(9).build().fit(ChatRequest.of("x"), null));
        assertThrows(IllegalArgumentException.class, () -> new BudgetedRequest(ChatRequest.of("x"),
                new TokenCount(1, TokenCount.Kind.ESTIMATE, "e"), -1, List.of(), 0, List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BudgetedRequest(ChatRequest.of("x"),
                new TokenCount(1, TokenCount.Kind.ESTIMATE, "e"), 1, List.of(), -1, List.of(), List.of()));
    }

    @Test
    void aLongHistoryIsFittedInLogarithmicallyManyCounts() {
        ChatRequest.Builder b = ChatRequest.builder().system("s");
        for (int i = 0; i < 1000; i++) {
            b.user("u" + i).assistant("a" + i);
        }
        TenPerMessage counter = new TenPerMessage();
        BudgetedRequest fitted = ContextBudget.builder(1010).answerReserve(0).build().fit(b.user("last").build(), counter);
        assertEquals(1 + 49 * 2 + 1, fitted.request().messages().size());
        assertEquals(951, fitted.droppedTurns());
        assertEquals(1000, fitted.tokens().tokens());
        assertTrue(counter.calls.get() <= 14, "counts: " + counter.calls.get());
    }
}
