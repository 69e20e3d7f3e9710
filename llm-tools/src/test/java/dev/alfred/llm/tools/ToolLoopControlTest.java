package dev.alfred.llm.tools;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.Description;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.schema.SchemaDialect;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
            try (ToolRun run = ToolLoop.builder(p).tool(pay).maxRounds(1).build().start(ChatRequest.of("pay"))) {
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
        try (ToolRun run = ToolLoop.builder(p).tool(pay).build().start(request)) {
            assertEquals("done", run.response().content());
        }
        assertEquals(ToolChoice.REQUIRED, p.request(0).toolChoice());
        assertNull(p.request(1).toolChoice(), "an obedient model could never answer otherwise");
    }

    @Test
    void aRefusalThatCarriesAToolCallEndsTheRunAndRunsNothing() {
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.of(FinishReason.REFUSAL,
                new ChatDelta.ToolCallStart(0, "toolu_1", "pay"), new ChatDelta.ToolCallArguments(0, "{\"cents\":1")))
                .always(ScriptedProvider.text("again"));
        LlmException e = assertThrows(LlmException.class, () -> {
            try (ToolRun run = ToolLoop.builder(p).tool(pay).build().start(ChatRequest.of("pay"))) {
                run.response();
            }
        });
        assertEquals(1, p.requests.size(), "no second round after a refusal: " + e);
        assertEquals(0, paid.get());
    }
}
