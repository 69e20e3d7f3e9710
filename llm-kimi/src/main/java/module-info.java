/**
 * The Kimi (Moonshot AI) provider for alfred-llm, found by {@link dev.alfred.llm.LlmProviders} under
 * the id {@code kimi}.
 */
module dev.alfred.llm.kimi {
    requires dev.alfred.llm;
    requires java.net.http;
    requires tools.jackson.databind;
    requires org.slf4j;
}
