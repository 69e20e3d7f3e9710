package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Writes a {@link ChatRequest} as a Kimi chat-completions body. Settings the caller left unset are not
 * written at all (Kimi's newer models reject an explicit temperature or top_p), and the token limit
 * goes out as {@code max_completion_tokens}, never the deprecated {@code max_tokens}. Thread-safe.
 */
public final class RequestEncoder {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * Encodes a request.
     *
     * @param request the request
     * @param model   the model to use when the request names none
     * @param stream  whether to ask for a stream (with usage in it)
     * @return the JSON body
     */
    public byte[] encode(ChatRequest request, String model, boolean stream) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("model", request.model() != null ? request.model() : model);
            g.writeName("messages");
            g.writeStartArray();
            for (ChatMessage m : request.messages()) {
                g.writeStartObject();
                g.writeStringProperty("role", m.role().name().toLowerCase(Locale.ROOT));
                g.writeStringProperty("content", m.content());
                if (m.reasoning() != null) {
                    g.writeStringProperty("reasoning_content", m.reasoning());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            if (request.maxTokens() != null) {
                g.writeNumberProperty("max_completion_tokens", request.maxTokens().intValue());
            }
            if (request.temperature() != null) {
                g.writeNumberProperty("temperature", request.temperature().doubleValue());
            }
            if (request.topP() != null) {
                g.writeNumberProperty("top_p", request.topP().doubleValue());
            }
            if (!request.stop().isEmpty()) {
                g.writeName("stop");
                g.writeStartArray();
                for (String s : request.stop()) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            if (stream) {
                g.writeBooleanProperty("stream", true);
                g.writeName("stream_options");
                g.writeStartObject();
                g.writeBooleanProperty("include_usage", true);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
