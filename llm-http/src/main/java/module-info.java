/**
 * The HTTP layer alfred-llm's providers stand on, for provider authors: exchanges on
 * {@code java.net.http} with head, idle and total deadlines and cancellation from any thread
 * ({@code dev.alfred.llm.http}), a WHATWG Server-Sent-Events reader ({@code dev.alfred.llm.http.sse}),
 * and the mapping of error responses to the port's exceptions with the API key scrubbed
 * ({@code dev.alfred.llm.http.error}).
 */
module dev.alfred.llm.http {
    requires transitive dev.alfred.llm;
    requires transitive java.net.http;
    requires tools.jackson.core;
    requires org.slf4j;

    exports dev.alfred.llm.http;
    exports dev.alfred.llm.http.sse;
    exports dev.alfred.llm.http.error;
}
