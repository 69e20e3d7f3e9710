package dev.alfred.llm.http.example;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.testkit.Capability;
import dev.alfred.llm.testkit.LlmProviderContract;
import dev.alfred.llm.testkit.ProviderTarget;
import dev.alfred.llm.testkit.WireDialect;

import java.util.EnumSet;
import java.util.Set;

/** The README's example provider with its own wire format keeps every contract rule a text-only provider has. */
class MessagesTextCompatibilityTest extends LlmProviderContract {

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
