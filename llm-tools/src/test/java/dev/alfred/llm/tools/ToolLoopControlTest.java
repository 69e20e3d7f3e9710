package dev.alfred.llm.tools;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.Description;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.schema.RefusalException;
import dev.alfred.llm.schema.SchemaDialect;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bounds, tool choice and refusals, on a provider of plain objects. */
class ToolLoopControlTest {

    record Payment(@Description("cents") int cents) {
    }

    private final AtomicInteger paid = new AtomicInteger();
    private final Tool<Payment> pay = Tool.of("pay", "Pays", Payment.class, p -> {
        paid.addAndGet(p.cents());
        return "paid";
    });

    @Test
    void theRoundBoundEndsTheRunBeforeTheLastRoundsCallsRun() {
        ScriptedProvider p = new ScriptedProvider().always(ScriptedProvider.call("c1", "pay", "{\"cents\":100}"));
        ToolLoopLimitException e = assertThrows(ToolLoopLimitException.class, () -> {
            try (ToolRun run = FakeClock.loop(p).tool(pay).maxRounds(1).build().start(ChatRequest.of("pay"))) {
                run.response();
            }
        });
        assertEquals(0, paid.get(), "no round could read the result, so the tool never ran");
        assertEquals(1, p.requests.size());
        assertTrue(e.getMessage().contains("1 rounds (maxRounds)"), e.getMessage());
        assertFalse(e.transcript().stream().anyMatch(m -> m instanceof ToolMessage), "no result was made up");
    }

    @Test
    void aRequiredToolChoiceInTheRequestGoesOnTheFirstRoundOnly() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "pay", "{\"cents\":1}"))
                .then(ScriptedProvider.text("done"));
        ChatRequest request = ChatRequest.builder().user("pay").tools(pay.definition(SchemaDialect.MOONSHOT))
                .toolChoice(ToolChoice.REQUIRED).build();
        try (ToolRun run = FakeClock.loop(p).tool(pay).build().start(request)) {
            assertEquals("done", run.response().content());
        }
        assertEquals(ToolChoice.REQUIRED, p.request(0).toolChoice());
        assertNull(p.request(1).toolChoice(), "an obedient model could never answer otherwise");
    }

    @Test
    void aToolChoiceSetOnTheLoopGoesOnTheFirstRoundOnly() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "pay", "{\"cents\":1}"))
                .then(ScriptedProvider.text("done"));
        try (ToolRun run = FakeClock.loop(p).tool(pay).toolChoice(ToolChoice.REQUIRED).build()
                .start(ChatRequest.of("pay"))) {
            assertEquals("done", run.response().content());
        }
        assertEquals(ToolChoice.REQUIRED, p.request(0).toolChoice());
        assertNull(p.request(1).toolChoice());
        assertEquals(p.request(0).tools(), p.request(1).tools(), "the same tools every round");

        ScriptedProvider named = new ScriptedProvider().then(ScriptedProvider.text("done"));
        ChatRequest asked = ChatRequest.builder().user("pay").toolChoice(ToolChoice.NONE).build();
        try (ToolRun run = FakeClock.loop(named).tool(pay).toolChoice(ToolChoice.tool("pay")).build().start(asked)) {
            run.response();
        }
        assertEquals(ToolChoice.tool("pay"), named.request(0).toolChoice(), "the loop's choice replaces the request's");
        assertThrows(IllegalArgumentException.class, () -> FakeClock.loop(named).tool(pay)
                .toolChoice(ToolChoice.tool("launch")).build().start(ChatRequest.of("x")));
    }

    @Test
    void theCallBoundsEndTheRunBeforeAnyCallOfTheAnswerRunsAndListThem() {
        ScriptedProvider p = new ScriptedProvider().always(ScriptedProvider.of(FinishReason.TOOL_CALLS,
                new ChatDelta.ToolCallStart(0, "c1", "pay"), new ChatDelta.ToolCallArguments(0, "{\"cents\":1}"),
                new ChatDelta.ToolCallStart(1, "c2", "pay"), new ChatDelta.ToolCallArguments(1, "{\"cents\":2}")));
        ToolLoopLimitException perTool = assertThrows(ToolLoopLimitException.class, () -> FakeClock.loop(p).tool(pay)
                .maxCallsPerTool(3).build().start(ChatRequest.of("x")).response());
        assertEquals("the model called 'pay' more than 3 times (maxCallsPerTool); the 2 calls of its last answer were"
                + " not run", perTool.getMessage());
        assertEquals(3, paid.get(), "the first round's two calls ran, none of the second's");
        assertEquals(2, perTool.unexecuted().size());
        ToolLoopLimitException all = assertThrows(ToolLoopLimitException.class, () -> FakeClock.loop(p).tool(pay)
                .maxCalls(1).build().start(ChatRequest.of("x")).response());
        assertEquals("the model made more than 1 tool calls (maxCalls); the 2 calls of its last answer were not run",
                all.getMessage());
        assertEquals(3, paid.get());
        ToolLoopLimitException exact = assertThrows(ToolLoopLimitException.class, () -> FakeClock.loop(p).tool(pay)
                .maxCalls(4).maxCallsPerTool(4).maxRounds(5).build().start(ChatRequest.of("x")).response());
        assertTrue(exact.getMessage().startsWith("the model called 'pay' more than 4"), exact.getMessage());
        assertEquals(9, paid.get(), "exactly at a bound is within it: two more rounds ran");
    }

    @Test
    void aRefusalEndsTheRunWithItsOwnOutcomeAfterItsEvents() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.of(FinishReason.REFUSAL,
                new ChatDelta.Refusal("I can't "), new ChatDelta.Refusal("do that.")));
        List<ToolLoopEvent> events = new ArrayList<>();
        ToolRun run = FakeClock.loop(p).tool(pay).build().start(ChatRequest.of("pay"));
        RefusalException e = assertThrows(RefusalException.class, () -> run.forEach(events::add));
        assertEquals("I can't do that.", e.refusal());
        assertEquals("the model refused to answer: I can't do that.", e.getMessage());
        assertEquals(List.of(new ToolLoopEvent.Refusal("I can't "), new ToolLoopEvent.Refusal("do that.")),
                events.subList(0, 2));
        assertTrue(((ToolLoopEvent.RoundFinished) events.get(2)).last());
        assertEquals(2, e.transcript().size());
        assertSame(e, assertThrows(RefusalException.class, run::response), "the same outcome every time");
        assertFalse(e.isRetryable());
        assertEquals("refusal", e.errorType().orElseThrow());
        run.close();
    }

    @Test
    void aRefusalThatCarriesAToolCallEndsTheRunAndRunsNothing() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.of(FinishReason.REFUSAL,
                new ChatDelta.ToolCallStart(0, "toolu_1", "pay"), new ChatDelta.ToolCallArguments(0, "{\"cents\":1")))
                .always(ScriptedProvider.text("again"));
        LlmException e = assertThrows(LlmException.class, () -> {
            try (ToolRun run = FakeClock.loop(p).tool(pay).build().start(ChatRequest.of("pay"))) {
                run.response();
            }
        });
        assertEquals(1, p.requests.size(), "no second round after a refusal: " + e);
        assertEquals(0, paid.get());
        assertInstanceOf(RefusalException.class, e);
    }
}
