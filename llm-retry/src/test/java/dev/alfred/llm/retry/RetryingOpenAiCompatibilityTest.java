package dev.alfred.llm.retry;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.openai.OpenAiProvider;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;
import dev.alfred.llm.testkit.WireDialect;

import java.util.Optional;

/** The retry decorator around the OpenAI provider keeps the whole provider contract. */
class RetryingOpenAiCompatibilityTest extends LlmProviderContract {

    @Override
    protected LlmProvider createProvider(ProviderTarget target) {
        Watchdog watchdog = Watchdog.manual(target.clock());
        target.clock().onAdvance(watchdog::tick);
        OpenAiProvider openai = OpenAiProvider.builder().apiKey(target.apiKey()).baseUrl(target.baseUri()).model("gpt-test")
                .idleTimeout(target.idleTimeout()).headersTimeout(target.headersTimeout()).watchdog(watchdog).build();
        FakeTime time = new FakeTime();
        return new RetryingLlmProvider(openai, RetryPolicy.builder().sleeper(time).clock(time).build());
    }

    @Override
    protected WireDialect dialect() {
        return WireDialect.openAi();
    }

    /** Everything but reasoning: OpenAI's chat completions never return the model's reasoning. */
    @Override
    protected java.util.Set<dev.alfred.llm.testkit.Capability> capabilities() {
        java.util.Set<dev.alfred.llm.testkit.Capability> all = java.util.EnumSet.allOf(dev.alfred.llm.testkit.Capability.class);
        all.remove(dev.alfred.llm.testkit.Capability.REASONING);
        return all;
    }

    @Override
    protected Optional<String> providerId() {
        return Optional.of(OpenAiProvider.ID);
    }

    @Override
    protected ProviderConfig discoveryConfig(ProviderTarget target) {
        return ProviderConfig.builder().set("OPENAI_API_KEY", target.apiKey())
                .set("OPENAI_BASE_URL", target.baseUri().toString()).set("OPENAI_MODEL", "gpt-test").build();
    }
}
