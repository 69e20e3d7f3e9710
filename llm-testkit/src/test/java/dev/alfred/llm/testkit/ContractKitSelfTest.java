package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.spi.AbstractChatStream;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;

/**
 * The kit is tested too: a sound provider passes the selected rules, and each deliberately broken one
 * fails the rule that covers its defect.
 */
class ContractKitSelfTest {

    /** A sound (if small) provider. */
    static class Sound extends LlmProviderContract {
        @Override
        protected LlmProvider createProvider(ProviderTarget target) {
            return new MiniProvider(target);
        }
    }

    /** Drops the last delta of every stream, and the text it carried from the aggregate. */
    static class DropsLastDelta extends LlmProviderContract {
        @Override
        protected LlmProvider createProvider(ProviderTarget target) {
            return new MiniProvider(target) {
                @Override
                public ChatStream stream(ChatRequest request) {
                    Iterator<ChatDelta> inner = super.stream(request).iterator();
                    return new AbstractChatStream("mini") {
                        private ChatDelta held = inner.hasNext() ? inner.next() : null;

                        @Override
                        protected ChatDelta fetch() {
                            if (held == null || !inner.hasNext()) {
                                return null;
                            }
                            ChatDelta out = held;
                            held = inner.next();
                            return out;
                        }

                        @Override
                        protected void abort() {
                        }
                    };
                }
            };
        }
    }

    /** Puts the API key into its error messages. */
    static class LeaksKey extends LlmProviderContract {
        @Override
        protected LlmProvider createProvider(ProviderTarget target) {
            return new MiniProvider(target) {
                @Override
                public ChatResponse chat(ChatRequest request) {
                    try {
                        return super.chat(request);
                    } catch (LlmException e) {
                        throw new ProviderUnavailableException(e.getMessage() + " (sent with key " + target.apiKey() + ")",
                                "mini", -1, null, null, e);
                    }
                }
            };
        }
    }

    /** Answers a 429 with an empty success. */
    static class SwallowsRateLimit extends LlmProviderContract {
        @Override
        protected LlmProvider createProvider(ProviderTarget target) {
            return new MiniProvider(target) {
                @Override
                public ChatResponse chat(ChatRequest request) {
                    try {
                        return super.chat(request);
                    } catch (RateLimitException e) {
                        return new ChatResponse("", "", null, null, null);
                    }
                }
            };
        }
    }

    private static Events run(Class<? extends LlmProviderContract> kit, Class<?> group, String rule) {
        DiscoverySelector selector = selectNestedMethod(List.of(kit), group, rule, rule.equals("s1") ? "" : paramsOf(rule));
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selector).execute();
        Events tests = results.testEvents();
        assertTrue(tests.started().count() > 0, () -> "rule " + rule + " did not run for " + kit.getSimpleName());
        return tests;
    }

    private static String paramsOf(String rule) {
        return rule.equals("e1") ? "int" : rule.equals("k2") ? "java.lang.String" : "";
    }

    @Test
    void aSoundProviderPassesTheRulesTheBrokenOnesBreak() {
        for (Object[] r : new Object[][] {{LlmProviderContract.Streaming.class, "s1"}, {LlmProviderContract.Errors.class, "e1"},
                {LlmProviderContract.Secrets.class, "k2"}}) {
            Events events = run(Sound.class, (Class<?>) r[0], (String) r[1]);
            assertEquals(0, events.failed().count(), () -> "the sound provider failed " + r[1] + ": " + events.failed().list());
        }
    }

    @Test
    void droppingTheLastDeltaFailsS1() {
        assertTrue(run(DropsLastDelta.class, LlmProviderContract.Streaming.class, "s1").failed().count() > 0);
    }

    @Test
    void leakingTheKeyIntoAMessageFailsK2() {
        Events events = run(LeaksKey.class, LlmProviderContract.Secrets.class, "k2");
        assertEquals(2, events.failed().count(), "both locales fail");
        assertTrue(events.failed().list().get(0).getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow()
                .getMessage().contains("the API key leaked"));
    }

    @Test
    void swallowingA429AsSuccessFailsE1ForThatStatusOnly() {
        Events events = run(SwallowsRateLimit.class, LlmProviderContract.Errors.class, "e1");
        assertEquals(1, events.failed().count(), () -> "only the 429 case fails: " + events.failed().list());
        assertTrue(events.failed().list().get(0).getTestDescriptor().getDisplayName().contains("429"));
    }
}
