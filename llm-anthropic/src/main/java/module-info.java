/**
 * The Anthropic Messages API provider for alfred-llm, found by {@link dev.alfred.llm.LlmProviders}
 * under the id {@code anthropic}.
 */
module dev.alfred.llm.anthropic {
    requires transitive dev.alfred.llm;
    requires dev.alfred.llm.http;
    requires java.net.http;
    requires tools.jackson.core;
    requires org.slf4j;

    exports dev.alfred.llm.anthropic;

    provides dev.alfred.llm.spi.LlmProviderFactory with dev.alfred.llm.anthropic.AnthropicProviderFactory;
}
