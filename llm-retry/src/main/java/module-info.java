/**
 * A decorator that adds retries with jittered exponential backoff to any alfred-llm provider, and
 * registers itself so that providers created through discovery come back wrapped.
 */
module dev.alfred.llm.retry {
    requires dev.alfred.llm;
    requires org.slf4j;

    exports dev.alfred.llm.retry;

    provides dev.alfred.llm.spi.LlmProviderDecorator with dev.alfred.llm.retry.RetryDecorator;
}
