package dev.alfred.llm.http.example;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.ExchangeSettings;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.Watchdog;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.http.error.ErrorMapper;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The README's example of a provider with its own wire format on llm-http: text-only chat over
 * Anthropic's Messages API. llm-http does the exchange, its deadlines and cancellation, the event
 * stream, the error mapping and the key scrubbing; this class only writes requests and reads events.
 */
public final class MessagesTextProvider implements LlmProvider {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private final String apiKey;
    private final URI endpoint;
    private final HttpTransport http = HttpTransport.create(Duration.ofSeconds(10));
    private final ExchangeSettings settings;

    public MessagesTextProvider(String apiKey, URI baseUrl, Duration idleTimeout, Duration headersTimeout) {
        this.apiKey = apiKey;
        this.endpoint = HttpTransport.resolve(baseUrl, "v1/messages");
        this.settings = new ExchangeSettings("messages-text", Duration.ofSeconds(10), headersTimeout, idleTimeout,
                Duration.ofMinutes(10), new ErrorMapper("messages-text", apiKey, Clock.systemUTC()), Watchdog.shared());
    }

    @Override public String id() { return "messages-text"; }
    @Override public Capabilities capabilities() { return Capabilities.TEXT_ONLY; }
    @Override public void close() { http.close(); }
    @Override public String toString() { return "MessagesTextProvider{" + endpoint + "}"; }

    @Override
    public ChatResponse chat(ChatRequest request) {
        HttpExchange exchange = send(request, false);
        exchange.successfulHeaders();
        byte[] body = exchange.readAll(32 << 20, true);
        ResponseAccumulator acc = new ResponseAccumulator();
        read(body, body.length, acc);
        return acc.response();
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        return new EventStreamChatStream(send(request, true), settings, new ResponseAccumulator(), 1 << 20, List.of()) {
            @Override
            protected void onEvent(String type, byte[] data, int length) {
                ResponseAccumulator event = new ResponseAccumulator();
                ErrorBody error = read(data, length, event);
                ChatResponse r = event.partialResponse();
                if (error != null) {
                    fail(settings().errors().fromStreamError(error, requestId()));
                } else if ("message_stop".equals(type)) {
                    end();
                } else if (!r.content().isEmpty()) {
                    emit(dev.alfred.llm.ChatDelta.text(r.content()));
                }
                reportModel(r.model());
                reportFinishReason(r.finishReason(), r.rawFinishReason());
            }

            @Override
            protected String truncationMessage() {
                return "stream ended before message_stop";
            }
        };
    }

    private HttpExchange send(ChatRequest request, boolean stream) {
        capabilities().check(request, id());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("model", request.model() != null ? request.model() : "claude-sonnet-4-5");
            g.writeNumberProperty("max_tokens", request.maxTokens() != null ? request.maxTokens() : 1024);
            request.messages().stream().filter(m -> m instanceof SystemMessage).findFirst()
                    .ifPresent(s -> g.writeStringProperty("system", ((SystemMessage) s).content()));
            g.writeArrayPropertyStart("messages");
            for (ChatMessage m : request.messages()) {
                if (!(m instanceof SystemMessage)) {
                    g.writeStartObject();
                    g.writeStringProperty("role", m.role().name().toLowerCase(java.util.Locale.ROOT));
                    g.writeStringProperty("content", m instanceof dev.alfred.llm.UserMessage u ? u.text()
                            : ((dev.alfred.llm.AssistantMessage) m).content());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            if (request.temperature() != null) g.writeNumberProperty("temperature", request.temperature());
            if (request.topP() != null) g.writeNumberProperty("top_p", request.topP());
            if (!request.stop().isEmpty()) g.writeName("stop_sequences").writeArray(request.stop().toArray(String[]::new), 0, request.stop().size());
            if (stream) g.writeBooleanProperty("stream", true);
            g.writeEndObject();
        }
        return http.exchange(HttpTransport.request(endpoint).header("x-api-key", apiKey)
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), settings, stream);
    }

    /** Reads a message or an event: its model, text, stop reason, or the error it carries. */
    private ErrorBody read(byte[] json, int length, ResponseAccumulator acc) {
        ErrorBody error = ErrorBody.parse(json, 0, length);
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json, 0, length)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                String name = p.currentName();
                if (t == JsonToken.VALUE_STRING && name != null) {
                    switch (name) {
                        case "model" -> acc.model(p.getString());
                        case "text" -> acc.accept(dev.alfred.llm.ChatDelta.text(p.getString()));
                        case "stop_reason" -> acc.finishReason("max_tokens".equals(p.getString()) ? FinishReason.LENGTH
                                : FinishReason.STOP, p.getString());
                        default -> { }
                    }
                }
            }
        } catch (tools.jackson.core.JacksonException e) {
            throw new LlmException("messages-text: malformed JSON: " + e.getOriginalMessage(), id(), -1, null, true, null, e);
        }
        return error;
    }
}
