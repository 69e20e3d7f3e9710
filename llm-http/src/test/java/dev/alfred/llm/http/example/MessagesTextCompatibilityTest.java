package dev.alfred.llm.http.example;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.testkit.Capability;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;
import dev.alfred.llm.testkit.WireDialect;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The README's example provider with its own wire format keeps every contract rule a text-only provider
 * has. The example takes no watchdog, so its deadlines run on real time rather than the kit's clock; the
 * response-head timeout is short so that F6 waits little.
 */
class MessagesTextCompatibilityTest extends LlmProviderContract {

    @Override
    protected Duration headersTimeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    protected LlmProvider createProvider(ProviderTarget target) {
        return MessagesTextProvider.builder().apiKey(target.apiKey()).baseUrl(target.baseUri())
                .idleTimeout(target.idleTimeout()).headersTimeout(target.headersTimeout()).build();
    }

    @Override
    protected WireDialect dialect() {
        return WireDialect.anthropic();
    }

    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.noneOf(Capability.class);
    }
}
