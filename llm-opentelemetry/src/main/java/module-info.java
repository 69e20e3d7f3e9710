/**
 * GenAI spans and metrics for any alfred-llm provider, after the OpenTelemetry semantic conventions, on
 * {@code opentelemetry-api} alone. On the class path it registers a decorator, so providers created
 * through discovery are observed with no code.
 */
module dev.alfred.llm.opentelemetry {
    requires dev.alfred.llm;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires org.slf4j;

    exports dev.alfred.llm.opentelemetry;

    provides dev.alfred.llm.spi.LlmProviderDecorator with dev.alfred.llm.opentelemetry.OpenTelemetryDecorator;
}
