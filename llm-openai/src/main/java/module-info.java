/**
 * The OpenAI-compatible provider for alfred-llm, found by {@link dev.alfred.llm.LlmProviders} under
 * the id {@code openai}; its {@code Dialect}s describe the servers that speak the API, and presets
 * such as Kimi build on it.
 */
module dev.alfred.llm.openai {
    requires transitive dev.alfred.llm;
    requires transitive dev.alfred.llm.http;
    requires java.net.http;
    requires tools.jackson.core;
    requires org.slf4j;
    requires jtokkit; // automatic module (com.knuddels:jtokkit has no module-info nor Automatic-Module-Name)

    exports dev.alfred.llm.openai;
    exports dev.alfred.llm.openai.dialect;

    provides dev.alfred.llm.spi.LlmProviderFactory with dev.alfred.llm.openai.OpenAiProviderFactory;
}
