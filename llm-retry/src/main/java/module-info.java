/**
 * A decorator that adds retries with jittered exponential backoff to any alfred-llm provider.
 */
module dev.alfred.llm.retry {
    requires dev.alfred.llm;
    requires org.slf4j;
}
