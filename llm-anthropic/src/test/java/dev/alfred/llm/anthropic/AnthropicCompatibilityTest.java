package dev.alfred.llm.anthropic;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;
import dev.alfred.llm.testkit.WireDialect;

import java.util.Optional;

/** The Anthropic provider keeps the whole provider contract against a server that speaks the Messages API. */
class AnthropicCompatibilityTest extends LlmProviderContract {

    @Override
    protected LlmProvider createProvider(ProviderTarget target) {
        Watchdog watchdog = Watchdog.manual(target.clock());
        target.clock().onAdvance(watchdog::tick);
        return AnthropicProvider.builder()
                .apiKey(target.apiKey())
                .baseUrl(target.baseUri())
                .idleTimeout(target.idleTimeout())
                .headersTimeout(target.headersTimeout())
                .watchdog(watchdog)
                .build();
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
        return ProviderConfig.builder()
                .set("ANTHROPIC_API_KEY", target.apiKey())
                .set("ANTHROPIC_BASE_URL", target.baseUri().toString())
                .set("ANTHROPIC_IDLE_TIMEOUT", target.idleTimeout().toMillis() + "ms")
                .build();
    }
}
