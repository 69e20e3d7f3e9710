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
    static final class Answers implements LlmProvider {
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
}
