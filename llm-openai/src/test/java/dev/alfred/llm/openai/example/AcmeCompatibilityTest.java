package dev.alfred.llm.openai.example;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.LlmProviders;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;
import dev.alfred.llm.testkit.WireDialect;

import java.time.Duration;
import java.util.Optional;

/**
 * The README's line-counted example provider keeps the whole contract, found through discovery. A
 * discovered provider is configured by settings only, so it cannot be given the kit's clock: its
 * deadlines run on real time, and the response-head timeout is short so that F6 waits little.
 */
class AcmeCompatibilityTest extends LlmProviderContract {

    @Override
    protected Duration headersTimeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected LlmProvider createProvider(ProviderTarget target) {
        return LlmProviders.create("acme", discoveryConfig(target));
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
        return Optional.of("acme");
    }

    @Override
    protected ProviderConfig discoveryConfig(ProviderTarget target) {
        return ProviderConfig.builder()
                .secret("ACME_API_KEY", target.apiKey())
                .set("ACME_BASE_URL", target.baseUri().toString())
                .set("ACME_IDLE_TIMEOUT", target.idleTimeout().toMillis() + "ms")
                .set("ACME_HEADERS_TIMEOUT", target.headersTimeout().toMillis() + "ms")
                .build();
    }
}
