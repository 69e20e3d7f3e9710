package dev.alfred.llm.testkit;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.net.URI;
import java.time.Duration;

/** Registers the kit's own small provider under the id {@code mini}, so the discovery rule runs too. */
public final class MiniProviderFactory implements LlmProviderFactory {

    /** ServiceLoader's constructor. */
    public MiniProviderFactory() {
    }

    @Override
    public String id() {
        return "mini";
    }

    @Override
    public LlmProvider create(ProviderConfig config) {
        return new MiniProvider(new ProviderTarget(config.getUri("mini.base.url").orElseThrow(),
                config.get("mini.api.key").orElseThrow(), Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }
}
