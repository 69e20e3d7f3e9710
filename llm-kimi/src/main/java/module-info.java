/**
 * The Kimi (Moonshot AI) provider for alfred-llm, found by {@link dev.alfred.llm.LlmProviders} under
 * the id {@code kimi}: a preset of the OpenAI-compatible provider.
 */
module dev.alfred.llm.kimi {
    requires transitive dev.alfred.llm;
    requires transitive dev.alfred.llm.openai;
    requires dev.alfred.llm.http;
    requires java.net.http;
    requires tools.jackson.core;
    requires org.slf4j;

    exports dev.alfred.llm.kimi;

    provides dev.alfred.llm.spi.LlmProviderFactory with dev.alfred.llm.kimi.KimiProviderFactory;
}
