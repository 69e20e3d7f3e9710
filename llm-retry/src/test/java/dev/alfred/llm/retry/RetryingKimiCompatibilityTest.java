package dev.alfred.llm.retry;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.kimi.KimiProvider;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;

import java.util.Optional;

/** A decorator must be substitutable: the retry decorator around Kimi keeps the whole provider contract. */
class RetryingKimiCompatibilityTest extends LlmProviderContract {

    @Override
    protected LlmProvider createProvider(ProviderTarget target) {
        Watchdog watchdog = Watchdog.manual(target.clock());
        target.clock().onAdvance(watchdog::tick);
        KimiProvider kimi = KimiProvider.builder().apiKey(target.apiKey()).baseUrl(target.baseUri())
                .idleTimeout(target.idleTimeout()).headersTimeout(target.headersTimeout()).watchdog(watchdog).build();
        FakeTime time = new FakeTime();
        return new RetryingLlmProvider(kimi, RetryPolicy.builder().sleeper(time).clock(time).build());
    }

    @Override
    protected Optional<String> providerId() {
        return Optional.of(KimiProvider.ID);
    }

    @Override
    protected ProviderConfig discoveryConfig(ProviderTarget target) {
        return ProviderConfig.builder().set("KIMI_API_KEY", target.apiKey())
                .set("KIMI_BASE_URL", target.baseUri().toString()).build();
    }
}
