package dev.alfred.llm.http.example;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.testkit.Capability;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;
import dev.alfred.llm.testkit.WireDialect;

import java.util.EnumSet;
import java.util.Set;

/**
 * The README's example provider with its own wire format keeps every contract rule a text-only provider
 * has, its deadlines on the kit's clock.
 */
class MessagesTextCompatibilityTest extends LlmProviderContract {

    @Override
    protected LlmProvider createProvider(ProviderTarget target) {
        Watchdog watchdog = Watchdog.manual(target.clock());
        target.clock().onAdvance(watchdog::tick);
        return MessagesTextProvider.builder().apiKey(target.apiKey()).baseUrl(target.baseUri())
                .idleTimeout(target.idleTimeout()).headersTimeout(target.headersTimeout()).watchdog(watchdog).build();
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
