/**
 * The provider-neutral ports of alfred-llm: {@link dev.alfred.llm.LlmProvider}, its records and
 * exceptions, and the {@link dev.alfred.llm.spi.LlmProviderFactory} SPI that providers register with
 * {@link java.util.ServiceLoader}. Depends on nothing but the JDK and SLF4J.
 */
module dev.alfred.llm {
    requires org.slf4j;

    exports dev.alfred.llm;
    exports dev.alfred.llm.spi;
    exports dev.alfred.llm.observe;
    exports dev.alfred.llm.config;

    uses dev.alfred.llm.spi.LlmProviderFactory;
    uses dev.alfred.llm.spi.LlmProviderDecorator;
    uses dev.alfred.llm.observe.LlmListener;
}
