package dev.alfred.llm.tools;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.Description;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.AbstractChatStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Anthropic-style provider state (signed thinking blocks) goes back unmodified on every round. A provider
 * on plain objects that records each request stands in until the Anthropic provider exists.
 */
class ProviderStateReplayTest {

    record Query(@Description("what to look up") String q) {
    }

    /** Each round: a tool call with opaque state, three times, then a text answer; every request is kept. */
    private static final class Stateful implements LlmProvider {
        final List<ChatRequest> requests = new ArrayList<>();

        @Override
        public String id() {
            return "anthropic";
        }

        @Override
        public dev.alfred.llm.Capabilities capabilities() {
            return dev.alfred.llm.Capabilities.of(dev.alfred.llm.Capabilities.Feature.TOOLS);
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            try (ChatStream s = stream(request)) {
                return s.response();
            }
        }

        @Override
        public ChatStream stream(ChatRequest request) {
            requests.add(request);
            int round = requests.size();
            Deque<ChatDelta> parts = new ArrayDeque<>();
            if (round <= 3) {
                parts.add(ChatDelta.reasoning("thinking " + round));
                parts.add(new ChatDelta.ToolCallStart(0, "toolu_" + round, "lookup"));
                parts.add(new ChatDelta.ToolCallArguments(0, "{\"q\":\"r" + round + "\"}"));
            } else {
                parts.add(ChatDelta.text("done"));
            }
            return new AbstractChatStream("anthropic") {
                @Override
                protected ChatDelta fetch() {
                    if (!parts.isEmpty()) {
                        return parts.poll();
                    }
                    reportUsage(Usage.of(1, 1, 2));
                    if (round <= 3) {
                        reportState(new ProviderState("anthropic", Map.of("signature", "sig-" + round)));
                        reportFinishReason(FinishReason.TOOL_CALLS);
                    } else {
                        reportFinishReason(FinishReason.STOP);
                    }
                    return null;
                }

                @Override
                protected void abort() {
                }
            };
        }
    }

    @Test
    void everyRoundSendsBackEveryEarlierRoundsStateAndReasoningUntouched() {
        Stateful provider = new Stateful();
        Tool<Query> lookup = Tool.of("lookup", "Looks something up", Query.class, q -> "found " + q.q());
        try (ToolRun run = FakeClock.loop(provider).tool(lookup).build().start(ChatRequest.of("go"))) {
            assertEquals("done", run.response().content());
            assertEquals(new Usage(4, 4, 8, 0, 0, 0), run.usage());
        }
        assertEquals(4, provider.requests.size());
        for (int round = 2; round <= 4; round++) {
            List<AssistantMessage> replayed = new ArrayList<>();
            for (ChatMessage m : provider.requests.get(round - 1).messages()) {
                if (m instanceof AssistantMessage) {
                    replayed.add((AssistantMessage) m);
                }
            }
            assertEquals(round - 1, replayed.size(), "round " + round);
            for (int earlier = 1; earlier < round; earlier++) {
                AssistantMessage a = replayed.get(earlier - 1);
                assertEquals(Map.of("signature", "sig-" + earlier), a.state().values(), "round " + round);
                assertEquals("thinking " + earlier, a.reasoning());
                assertEquals("toolu_" + earlier, a.toolCalls().get(0).id());
            }
        }
    }
}
