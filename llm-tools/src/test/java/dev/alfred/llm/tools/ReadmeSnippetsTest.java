package dev.alfred.llm.tools;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.Description;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.schema.RefusalException;
import dev.alfred.llm.schema.StructuredOutput;
import dev.alfred.llm.schema.StructuredOutputException;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's tool-loop and structured-answer snippets, line for line (the build does not extract them):
 * they compile, and they run on a provider of plain objects.
 */
class ReadmeSnippetsTest {

    private static final Logger log = LoggerFactory.getLogger(ReadmeSnippetsTest.class);

    /** A chat UI that asks a person; here it always says yes. */
    static final class Ui {
        boolean confirm(String question) {
            return !question.isEmpty();
        }
    }

    private final Ui ui = new Ui();
    private final StringBuilder shown = new StringBuilder();

    private static int lookUpCelsius(String city) {
        return city.length();
    }

    private void show(String refusal) {
        shown.append(refusal);
    }

    record Amount(int cents) {
    }

    private final Tool<Amount> pay = Tool.of("pay", "Pays", Amount.class, a -> "paid");

    @Test
    void theWeatherAgent() {
        LlmProvider llm = new ScriptedProvider().then(ScriptedProvider.call("c1", "get_weather", "{\"city\":\"Paris\"}"))
                .then(ScriptedProvider.text("Yes."));
        // --- README "A tool loop", first snippet
        record WeatherQuery(@Description("a city, such as Paris") String city) { }
        record Weather(String city, int celsius) { }

        Tool<WeatherQuery> weather = Tool.of("get_weather", "The weather now in a city", WeatherQuery.class,
                q -> new Weather(q.city(), lookUpCelsius(q.city())));              // a record goes back as JSON
        ToolLoop loop = ToolLoop.builder(llm).tool(weather).build();               // rounds ≤ 8, calls ≤ 40 per tool, 150 in all
        try (ToolRun run = loop.start(ChatRequest.of("Do I need a coat in Paris?"))) {
            for (ToolLoopEvent e : run) {
                if (e instanceof ToolLoopEvent.Text t) System.out.print(t.text());
                if (e instanceof ToolLoopEvent.ToolFinished f) log.info("{} → {}", f.call().name(), f.result());
            }
            System.out.println("\n" + run.usage());                                // all rounds together
            // ---
            assertEquals("Yes.", run.response().content());
            assertEquals("{\"city\":\"Paris\",\"celsius\":5}", ((dev.alfred.llm.ToolMessage) run.transcript().get(2)).content());
        }

        LlmProvider llm2 = new ScriptedProvider().then(ScriptedProvider.call("c1", "pay", "{\"cents\":5}"))
                .then(ScriptedProvider.text("Paid."));
        // --- README "A tool loop", second snippet (with llm2 for llm)
        ToolLoop careful = ToolLoop.builder(llm2)
                .tool(weather)                                                     // the loop's deadline: 60 s by default
                .tool(pay.withTimeout(Duration.ofSeconds(10)))                     // a deadline of its own
                .toolTimeout(Duration.ofSeconds(30))
                .toolChoice(ToolChoice.REQUIRED)                                   // the first round only
                .approver(call -> ui.confirm(call.name() + " " + call.arguments())  // may block; close() interrupts it
                        ? Approval.approve() : Approval.deny("the user said no"))  // or Approval.edit("{…}")
                .build();
        // ---
        try (ToolRun run = careful.start(ChatRequest.of("Pay 5 cents"))) {
            assertEquals("Paid.", run.response().content());
        }
    }

    @Test
    void theStructuredAnswers() {
        String mail = "Win a prize!";
        ChatRequest request = ChatRequest.of("Is this spam? " + mail);
        StructuredAnswers llm = new StructuredAnswers();
        // --- README "A structured answer", first snippet
        record Verdict(boolean spam, @Description("why, in one sentence") String reason, Optional<String> category) { }

        Verdict v = StructuredOutput.of(Verdict.class).ask(llm, ChatRequest.of("Is this spam? " + mail));
        // ---
        assertTrue(v.spam());
        // --- README "A structured answer", second snippet
        try {
            Verdict checked = StructuredOutput.of(Verdict.class).repairOnce(true).lenient(true).ask(llm, request);
        } catch (RefusalException e) {                         // the model refused: no repair round
            show(e.refusal());
        } catch (StructuredOutputException e) {                // TRUNCATED: cut at maxTokens, never sent again as it was
            log.warn("{}", e.violations());
        }
        // ---
        assertEquals("No.", shown.toString());
    }

    /** Answers a verdict, then refuses. */
    private static final class StructuredAnswers implements LlmProvider {
        private int calls;

        @Override
        public String id() {
            return "kimi";
        }

        @Override
        public dev.alfred.llm.Capabilities capabilities() {
            return dev.alfred.llm.Capabilities.of(dev.alfred.llm.Capabilities.Feature.JSON_SCHEMA);
        }

        @Override
        public dev.alfred.llm.ChatResponse chat(ChatRequest request) {
            return calls++ == 0 ? dev.alfred.llm.ChatResponse.of("{\"spam\":true,\"reason\":\"a prize\"}")
                    : new dev.alfred.llm.ChatResponse("", "", "No.", List.of(), List.of(), List.of(), null, null, null,
                    FinishReason.REFUSAL, null, ProviderState.NONE, Map.of(), List.of());
        }

        @Override
        public dev.alfred.llm.ChatStream stream(ChatRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
