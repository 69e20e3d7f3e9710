package dev.alfred.llm.schema;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.schema.Fixtures.Stop;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Finish reasons, refusals and the repair round, on a provider of plain objects. */
class StructuredAnswerTest {

    /** Answers each chat with the next scripted response; keeps every request. */
    static class Answers implements LlmProvider {
        final Deque<ChatResponse> answers = new ArrayDeque<>();
        final List<ChatRequest> requests = new ArrayList<>();

        Answers then(ChatResponse r) {
            answers.add(r);
            return this;
        }

        @Override
        public String id() {
            return "kimi";
        }

        @Override
        public Capabilities capabilities() {
            return Capabilities.of(Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.JSON_OBJECT);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            requests.add(request);
            return answers.poll();
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            throw new UnsupportedOperationException();
        }
    }

    static ChatResponse answer(String content, String refusal, FinishReason finish) {
        return new ChatResponse(content, "", refusal, List.of(), List.of(), List.of(), null, null, null, finish, null,
                ProviderState.NONE, Map.of(), List.of());
    }

    @Test
    void anAnswerCutAtItsLengthLimitIsNeverSentAgainAsItWas() {
        Answers p = new Answers().then(answer("{\"city\":\"Par", "", FinishReason.LENGTH))
                .then(answer("{\"city\":\"Paris\",\"nights\":1}", "", FinishReason.STOP));
        StructuredOutputException e = assertThrows(StructuredOutputException.class, () -> StructuredOutput.of(Stop.class)
                .repairOnce(true).ask(p, ChatRequest.builder().user("Where?").maxTokens(10).build()));
        assertEquals(1, p.requests.size(), "the same request would be cut again: " + e);
    }

    @Test
    void aRefusalIsItsOwnOutcomeWithNoRepairRound() {
        Answers p = new Answers().then(answer("", "I cannot help with that.", FinishReason.REFUSAL))
                .then(answer("{\"city\":\"Paris\",\"nights\":1}", "", FinishReason.STOP));
        LlmException e = assertThrows(LlmException.class, () -> StructuredOutput.of(Stop.class).repairOnce(true)
                .ask(p, ChatRequest.of("Where?")));
        assertFalse(e instanceof StructuredOutputException, e.toString());
        assertEquals(1, p.requests.size());
    }

    @Test
    void theRepairPromptIsBoundedWhateverTheAnswer() {
        StringBuilder big = new StringBuilder("{\"city\":\"Paris\",\"nights\":1");
        for (int i = 0; i < 2000; i++) {
            big.append(",\"extra").append(i).append("\":\"").append("x".repeat(15)).append('"');
        }
        String first = big.append('}').toString();
        Answers p = new Answers().then(answer(first, "", FinishReason.STOP))
                .then(answer("{\"city\":\"Paris\",\"nights\":1}", "", FinishReason.STOP));
        StructuredOutput.of(Stop.class).repairOnce(true).ask(p, ChatRequest.of("Where?"));
        int size = 0;
        for (ChatMessage m : p.requests.get(1).messages()) {
            if (m instanceof UserMessage u) {
                size += u.toString().length();
            } else if (m instanceof AssistantMessage a) {
                size += a.content().length();
            }
        }
        assertTrue(first.length() > 49_000, "an answer of " + first.length());
        assertTrue(size < 20_000, "the repair round sent " + size + " characters");
    }

    @Test
    void aCutAnswerIsOneTruncatedViolationWhichNamesWhyAndKeepsTheParserFailure() {
        StructuredOutputException e = assertThrows(StructuredOutputException.class, () -> StructuredOutput.of(Stop.class)
                .parse(answer("{\"city\":\"Par", "", FinishReason.LENGTH)));
        assertEquals(1, e.violations().size());
        SchemaViolation v = e.violations().get(0);
        assertEquals(SchemaViolation.Kind.TRUNCATED, v.kind());
        assertTrue(v.message().startsWith("the answer was cut off at its length limit before its JSON value was whole"
                + " ((the whole value): not JSON: "), v.message());
        assertTrue(v.message().endsWith("); ask again with a higher maxTokens"), v.message());
        assertEquals("{\"city\":\"Par", e.rawText());
        assertEquals(SchemaViolation.Kind.NOT_JSON, ((StructuredOutputException) e.getSuppressed()[0]).violations().get(0)
                .kind());
        StructuredOutputException filtered = assertThrows(StructuredOutputException.class, () -> StructuredOutput
                .of(Stop.class).parse(answer("{\"city\":", "", FinishReason.CONTENT_FILTER)));
        assertTrue(filtered.violations().get(0).message().startsWith("the answer was stopped by the provider's content"
                + " filter"), filtered.getMessage());
        assertEquals(new Stop("Oslo", 1), StructuredOutput.of(Stop.class).parse(answer("{\"city\":\"Oslo\",\"nights\":1}",
                "", FinishReason.LENGTH)), "a whole value is taken, however the answer ended");
        assertEquals(SchemaViolation.Kind.NOT_JSON, assertThrows(StructuredOutputException.class, () -> StructuredOutput
                .of(Stop.class).parse(answer("{", "", null))).violations().get(0).kind(), "no finish reason: not cut");
    }

    @Test
    void aRefusalCarriesItsTextTheAnswerAndTheConversation() {
        RefusalException alone = assertThrows(RefusalException.class, () -> StructuredOutput.of(Stop.class)
                .parse(answer("", "", FinishReason.REFUSAL)));
        assertEquals("the model refused to answer", alone.getMessage());
        assertEquals("", alone.refusal());
        assertEquals(1, alone.transcript().size());
        assertEquals(FinishReason.REFUSAL, alone.response().finishReason());
        Answers p = new Answers().then(answer("{\"city\":1}", "", FinishReason.STOP))
                .then(answer("", "No.", FinishReason.STOP));
        RefusalException second = assertThrows(RefusalException.class, () -> StructuredOutput.of(Stop.class)
                .repairOnce(true).ask(p, ChatRequest.builder().system("s").user("Where?").build()));
        assertEquals("the model refused to answer: No.", second.getMessage());
        assertEquals(5, second.transcript().size(), "system, question, answer, repair, refusal");
        String longRefusal = "n".repeat(400);
        assertEquals("the model refused to answer: " + "n".repeat(300) + "… (100 more characters)", new RefusalException(
                answer("", longRefusal, FinishReason.REFUSAL), List.of()).getMessage());
    }

    @Test
    void theRepairPromptListsAtMostTwentyViolationsEachBoundedAndCountsTheRest() {
        List<SchemaViolation> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(new SchemaViolation("/x" + i, SchemaViolation.Kind.MISSING, "m"));
        }
        String prompt = StructuredOutput.repairPrompt(many);
        assertTrue(prompt.contains("\n- /x19: m\n- and 5 more like these\nAnswer again"), prompt);
        assertEquals(22, prompt.split("\n- ").length, "20 listed and the count");
        assertEquals("Your answer does not match the JSON Schema:\n- /x0: m\nAnswer again with the corrected JSON object"
                + " only.", StructuredOutput.repairPrompt(many.subList(0, 1)));
        String twenty = StructuredOutput.repairPrompt(many.subList(0, 20));
        assertTrue(twenty.endsWith("- /x19: m\nAnswer again with the corrected JSON object only."), twenty);
        SchemaViolation huge = new SchemaViolation("/big", SchemaViolation.Kind.WRONG_TYPE, "w".repeat(1000));
        String bounded = StructuredOutput.repairPrompt(List.of(huge));
        assertTrue(bounded.contains("- /big: " + "w".repeat(294) + "… (706 more characters)\n"), bounded);
        List<SchemaViolation> long300 = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long300.add(new SchemaViolation("/p" + i, SchemaViolation.Kind.WRONG_TYPE, "v".repeat(280)));
        }
        String capped = StructuredOutput.repairPrompt(long300);
        assertTrue(capped.length() <= StructuredOutput.MAX_REPAIR_CHARS + 100, "length " + capped.length());
        assertTrue(capped.contains("- and 7 more like these"), capped);
    }

    @Test
    void aLongAnswerIsSentBackCutAndAShortOneWhole() {
        String longAnswer = "{\"city\":\"" + "a".repeat(StructuredOutput.MAX_ECHO_CHARS) + "\"}";
        Answers p = new Answers().then(answer(longAnswer, "", FinishReason.STOP))
                .then(answer("{\"city\":\"Paris\",\"nights\":1}", "", FinishReason.STOP));
        StructuredOutput.of(Stop.class).repairOnce(true).ask(p, ChatRequest.of("Where?"));
        AssistantMessage echo = (AssistantMessage) p.requests.get(1).messages().get(1);
        assertEquals(StructuredOutput.MAX_ECHO_CHARS, echo.content().indexOf('…'), echo.content().substring(7990));
        String exact = "{\"city\":\"" + "a".repeat(StructuredOutput.MAX_ECHO_CHARS - 11) + "\"}";
        assertEquals(StructuredOutput.MAX_ECHO_CHARS, exact.length());
        Answers q = new Answers().then(answer(exact, "", FinishReason.STOP))
                .then(answer("{\"city\":\"Paris\",\"nights\":1}", "", FinishReason.STOP));
        StructuredOutput.of(Stop.class).repairOnce(true).ask(q, ChatRequest.of("Where?"));
        assertEquals(exact, ((AssistantMessage) q.requests.get(1).messages().get(1)).content());
    }

    @Test
    void leniencyFindsTheJsonInProseOrAFenceAndIsOffByDefault() {
        String prose = "Sure! Here is the stop {as asked}:\n```json\n{\"city\":\"Oslo\",\"nights\":2}\n```\nEnjoy.";
        assertEquals(SchemaViolation.Kind.NOT_JSON, assertThrows(StructuredOutputException.class,
                () -> StructuredOutput.of(Stop.class).parse(answer(prose, "", FinishReason.STOP))).violations().get(0).kind());
        StructuredOutput<Stop> lenient = StructuredOutput.of(Stop.class).lenient(true);
        assertEquals(new Stop("Oslo", 2), lenient.parse(answer(prose, "", FinishReason.STOP)));
        assertEquals(new Stop("Rome", 1), lenient.parse(answer("The answer is {\"city\":\"Rome\",\"nights\":1}, I think",
                "", FinishReason.STOP)));
        assertEquals(new Stop("a}b", 1), lenient.parse(answer("x {\"city\":\"a}b\",\"nights\":1} y", "",
                FinishReason.STOP)), "braces inside strings do not count");
        assertEquals(new Stop("q\"}", 1), lenient.parse(answer("x {\"city\":\"q\\\"}\",\"nights\":1} y", "",
                FinishReason.STOP)), "nor escaped quotes");
        assertEquals(new Stop("Oslo", 3), lenient.parse(answer("{\"city\":\"Oslo\",\"nights\":3}", "", FinishReason.STOP)));
        assertEquals(new Stop("Oslo", 4), lenient.parse(answer("```\nnot json\n```\nthen {\"city\":\"Oslo\","
                + "\"nights\":4}", "", FinishReason.STOP)), "a fenced block that is not JSON is passed over");
        assertEquals(SchemaViolation.Kind.NOT_JSON, assertThrows(StructuredOutputException.class, () -> lenient.parse(
                answer("no json { here", "", FinishReason.STOP))).violations().get(0).kind());
        assertEquals(SchemaViolation.Kind.NOT_JSON, assertThrows(StructuredOutputException.class, () -> lenient.parse(
                answer("```json\n{\"city\": unterminated", "", FinishReason.STOP))).violations().get(0).kind());
        assertEquals("{\"a\":1}", StructuredOutput.extracted("[1] {\"a\":1}"));
        assertEquals("{}", StructuredOutput.extracted("{} {\"a\":1}"), "the first object wins");
        assertEquals("x", StructuredOutput.extracted("x"));
        assertEquals("", StructuredOutput.extracted(""));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            many.append("{nope} ");
        }
        assertEquals(many.toString().strip(), StructuredOutput.extracted(many + "{\"a\":1}").strip().substring(0,
                many.toString().strip().length()), "at most eight candidates are tried");
    }

    @Test
    void theDialectCanBeNamedAndTheSettingsShow() {
        StructuredOutput<Stop> so = StructuredOutput.of(Stop.class).dialect(SchemaDialect.STANDARD);
        ChatRequest r = so.request(ChatRequest.of("x"), new Answers());
        assertEquals(RecordSchema.of(Stop.class).jsonSchema(SchemaDialect.STANDARD), r.responseFormat().schema());
        assertFalse(r.responseFormat().strict());
        assertEquals("StructuredOutput{dev.alfred.llm.schema.Fixtures$Stop}", StructuredOutput.of(Stop.class).toString());
        assertEquals("StructuredOutput{dev.alfred.llm.schema.Fixtures$Stop, repair once, lenient, STANDARD}",
                so.repairOnce(true).lenient(true).toString());
        assertEquals(RecordSchema.of(Stop.class), so.schema());
        ChatRequest strict = StructuredOutput.of(Stop.class).dialect(SchemaDialect.OPENAI_STRICT).request(ChatRequest.of("x"),
                new Answers());
        assertTrue(strict.responseFormat().strict());
        assertEquals(RecordSchema.of(Stop.class).jsonSchema(SchemaDialect.OPENAI_STRICT), strict.responseFormat().schema());
    }

    @Test
    void anOpenAiCompatibleServerIsAskedStrictlyOnlyWhenItHoldsAModelToAStrictSchema() {
        class OpenAiCompatible extends Answers {
            private final boolean strict;

            OpenAiCompatible(boolean strict) {
                this.strict = strict;
            }

            @Override
            public String id() {
                return "openai";
            }

            @Override
            public Capabilities capabilities() {
                Capabilities c = Capabilities.of(Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.STRICT_SCHEMA);
                return strict ? c : c.without(Capabilities.Feature.STRICT_SCHEMA);
            }
        }
        ChatRequest openAi = StructuredOutput.of(Stop.class).request(ChatRequest.of("x"), new OpenAiCompatible(true));
        assertTrue(openAi.responseFormat().strict());
        assertEquals(RecordSchema.of(Stop.class).jsonSchema(SchemaDialect.OPENAI_STRICT), openAi.responseFormat().schema());
        ChatRequest ollama = StructuredOutput.of(Stop.class).request(ChatRequest.of("x"), new OpenAiCompatible(false));
        assertFalse(ollama.responseFormat().strict(), "an Ollama or Groq behind the openai provider");
        assertEquals(RecordSchema.of(Stop.class).jsonSchema(SchemaDialect.STANDARD), ollama.responseFormat().schema());
    }

    @Test
    void anthropicTakesWhatFitsAsItsFormatAndTheRestAsInstructions() {
        Answers anthropic = new Answers() {
            @Override
            public String id() {
                return "anthropic";
            }

            @Override
            public Capabilities capabilities() {
                return Capabilities.of(Capabilities.Feature.JSON_SCHEMA);
            }
        };
        ChatRequest fits = StructuredOutput.of(Stop.class).request(ChatRequest.of("x"), anthropic);
        assertEquals(RecordSchema.of(Stop.class).jsonSchema(SchemaDialect.ANTHROPIC), fits.responseFormat().schema());
        assertTrue(fits.responseFormat().strict());
        ChatRequest instructed = StructuredOutput.of(Fixtures.Trip.class).request(ChatRequest.of("x"), anthropic);
        assertEquals(null, instructed.responseFormat(), "no JSON mode on Anthropic either");
        assertTrue(((SystemMessage) instructed.messages().get(0)).content().endsWith(RecordSchema.of(Fixtures.Trip.class)
                .jsonSchema(SchemaDialect.STANDARD).json()));
    }
}
