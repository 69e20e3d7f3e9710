package dev.alfred.llm.http.example;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.http.EventStreamChatStream;
import dev.alfred.llm.http.HttpChatProvider;
import dev.alfred.llm.http.HttpProviderBuilder;
import dev.alfred.llm.http.HttpExchange;
import dev.alfred.llm.http.HttpTransport;
import dev.alfred.llm.http.error.ErrorBody;
import dev.alfred.llm.http.error.ErrorRules;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;

/**
 * The README's example of a provider with its own wire format on llm-http: text-only chat over
 * Anthropic's Messages API. llm-http's {@link HttpChatProvider} does the call plumbing, the exchange,
 * its deadlines and cancellation, the event stream, the error mapping and the key scrubbing; this class
 * only writes requests and reads events.
 */
public final class MessagesTextProvider extends HttpChatProvider {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private MessagesTextProvider(Builder b) {
        super("messages-text", b, "request-id", ErrorRules.STANDARD);
    }

    /** @return a builder with Anthropic's base URL */
    public static Builder builder() {
        return new Builder();
    }

    @Override public Capabilities capabilities() { return Capabilities.TEXT_ONLY; }
    @Override protected URI endpoint(ChatRequest request, boolean stream) { return HttpTransport.resolve(baseUrl(), "v1/messages"); }
    @Override protected boolean accepts(ProviderOptions options) { return false; }

    /**
     * A call beside chat, through the skeleton's hook: the models list, as its body's text.
     *
     * @return the body
     */
    public String modelsPage() {
        Reply reply = call("GET", HttpTransport.resolve(baseUrl(), "v1/models"), null, dev.alfred.llm.RequestSettings.NONE);
        return new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    protected void authenticate(HttpRequest.Builder request, String apiKey, boolean stream) {
        request.header("x-api-key", apiKey).header("anthropic-version", "2023-06-01");
    }

    @Override
    protected void decode(byte[] body, ResponseAccumulator answer, String requestId) {
        read(body, body.length, answer);
    }

    @Override
    protected EventStreamChatStream newStream(HttpExchange exchange, ResponseAccumulator accumulator, List<String> warnings) {
        return new EventStreamChatStream(exchange, settings(), accumulator, maxLineBytes(), warnings) {
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

    @Override
    protected byte[] encode(ChatRequest request, boolean stream, List<String> warnings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("model", request.model() != null ? request.model() : model());
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
        return out.toByteArray();
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
        }
        return error;
    }

    /** Builds a {@link MessagesTextProvider}: the settings every llm-http provider shares, and nothing else. */
    public static final class Builder extends HttpProviderBuilder<Builder> {
        private Builder() {
            super(URI.create("https://api.anthropic.com"), "claude-sonnet-4-5", Set.of("x-api-key", "anthropic-version"));
        }

        /** @return the provider */
        public MessagesTextProvider build() {
            checkSettings("call apiKey(...)", "baseUrl", null, "call model(...)");
            return new MessagesTextProvider(this);
        }
    }
}
