package dev.alfred.llm.openai.example;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.http.error.ErrorKind;
import dev.alfred.llm.openai.OpenAiProvider;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.spi.LlmProviderFactory;

import java.net.URI;
import java.util.Set;

/**
 * The README's example: a new OpenAI-compatible provider, {@code acme}, on llm-openai. Acme's server
 * wants {@code max_tokens}, sends its request id in {@code acme-request-id}, calls an exhausted
 * credit a 403 {@code credits_exhausted}, and has no vision. Registered in
 * {@code META-INF/services/dev.alfred.llm.spi.LlmProviderFactory}.
 */
public final class AcmeProvider implements LlmProviderFactory {

    static final URI ACME_URL = URI.create("https://api.acme.example/v1");

    static final Dialect ACME = Dialect.OPENAI.toBuilder("acme")
            .defaultModel("acme-large")
            .maxTokensField("max_tokens")
            .requestIdHeader("acme-request-id")
            .capabilities(Dialect.STANDARD_CAPABILITIES.without(Capabilities.Feature.IMAGES, Capabilities.Feature.IMAGE_URLS))
            .errorRules((status, type, message) -> "credits_exhausted".equals(type) ? ErrorKind.QUOTA_EXCEEDED : null)
            .build();

    @Override
    public String id() {
        return "acme";
    }

    @Override
    public Set<String> settingPrefixes() {
        return Set.of("acme.");
    }

    @Override
    public LlmProvider create(ProviderConfig config) {
        OpenAiProvider.Builder b = OpenAiProvider.builder().id("acme").dialect(ACME)
                .apiKey(config.get("acme.api.key").orElse(null))
                .baseUrl(config.getUri("acme.base.url").orElse(ACME_URL))
                .model(config.get("acme.model").orElse(null))
                .settingNames("set ACME_API_KEY", "acme.base.url, ACME_BASE_URL");
        config.getDuration("acme.idle.timeout").ifPresent(b::idleTimeout);
        config.getDuration("acme.headers.timeout").ifPresent(b::headersTimeout);
        return b.build();
    }
}
