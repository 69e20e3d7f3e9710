package dev.alfred.llm.kimi;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;

import java.util.Optional;

/** The Kimi provider keeps the whole provider contract. */
class KimiCompatibilityTest extends LlmProviderContract {

    @Override
    protected LlmProvider createProvider(ProviderTarget target) {
        Watchdog watchdog = Watchdog.manual(target.clock());
        target.clock().onAdvance(watchdog::tick);
        return KimiProvider.builder()
                .apiKey(target.apiKey())
                .baseUrl(target.baseUri())
                .idleTimeout(target.idleTimeout())
                .headersTimeout(target.headersTimeout())
                .watchdog(watchdog)
                .build();
    }

    @Override
    protected Optional<String> providerId() {
        return Optional.of(KimiProvider.ID);
    }

    @Override
    protected ProviderConfig discoveryConfig(ProviderTarget target) {
        return ProviderConfig.builder()
                .set("KIMI_API_KEY", target.apiKey())
                .set("KIMI_BASE_URL", target.baseUri().toString())
                .set("KIMI_IDLE_TIMEOUT", target.idleTimeout().toMillis() + "ms")
                .build();
    }
}
