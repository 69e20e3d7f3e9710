/**
 * The Kimi (Moonshot AI) provider for alfred-llm, found by {@link dev.alfred.llm.LlmProviders} under
 * the id {@code kimi}.
 */
module dev.alfred.llm.kimi {
    requires dev.alfred.llm;
    requires java.net.http;
    requires tools.jackson.core;
    requires org.slf4j;

    exports dev.alfred.llm.kimi;

    provides dev.alfred.llm.spi.LlmProviderFactory with dev.alfred.llm.kimi.KimiProviderFactory;
}
