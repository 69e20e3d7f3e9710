package dev.alfred.llm.retry;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.anthropic.AnthropicProvider;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;
import dev.alfred.llm.testkit.WireDialect;

import java.util.Optional;

/** The retry decorator around the Anthropic provider keeps the whole provider contract. */
class RetryingAnthropicCompatibilityTest extends LlmProviderContract {

    @Override
    protected LlmProvider createProvider(ProviderTarget target) {
        Watchdog watchdog = Watchdog.manual(target.clock());
        target.clock().onAdvance(watchdog::tick);
        AnthropicProvider anthropic = AnthropicProvider.builder().apiKey(target.apiKey()).baseUrl(target.baseUri())
                .idleTimeout(target.idleTimeout()).headersTimeout(target.headersTimeout()).watchdog(watchdog).build();
        FakeTime time = new FakeTime();
        return new RetryingLlmProvider(anthropic, RetryPolicy.builder().sleeper(time).clock(time).build());
    }

    @Override
    protected WireDialect dialect() {
        return WireDialect.anthropic();
    }

    @Override
    protected Optional<String> providerId() {
        return Optional.of(AnthropicProvider.ID);
    }

    @Override
    protected ProviderConfig discoveryConfig(ProviderTarget target) {
        return ProviderConfig.builder().set("ANTHROPIC_API_KEY", target.apiKey())
                .set("ANTHROPIC_BASE_URL", target.baseUri().toString()).build();
    }
}
