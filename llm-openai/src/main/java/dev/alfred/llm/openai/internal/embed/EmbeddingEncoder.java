package dev.alfred.llm.openai.internal.embed;

import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.openai.dialect.EmbeddingRules;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Writes an OpenAI-shaped embeddings request body, {@code {model, input:[…], encoding_format?,
 * dimensions?, input_type?}}, with the field names and choices of one server's {@link EmbeddingRules}.
 * Stateless and thread-safe.
 */
public final class EmbeddingEncoder {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final EmbeddingRules rules;

    /**
     * An encoder for one server.
     *
     * @param rules the server's embedding rules
     */
    public EmbeddingEncoder(EmbeddingRules rules) {
        this.rules = rules;
    }

    /**
     * Whether a request's vectors are asked for as base64: when the request wants it and the server sends it.
     *
     * @param request the request
     * @return true to send {@code encoding_format: base64}
     */
    public boolean base64(EmbeddingRequest request) {
        return request.encoding() == EmbeddingRequest.Encoding.BASE64 && rules.base64();
    }

    /**
     * The body of one request.
     *
     * @param request the request (one batch), whose dimensions the server can take
     * @param model   the model
     * @return the body bytes
     */
    public byte[] encode(EmbeddingRequest request, String model) {
        int size = 64;
        for (int i = 0; i < request.inputs().size(); i++) {
            size += request.text(i).length() + 4;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("model", model);
            g.writeName("input");
            g.writeStartArray();
            for (int i = 0; i < request.inputs().size(); i++) {
                g.writeString(request.text(i));
            }
            g.writeEndArray();
            if (base64(request)) {
                g.writeStringProperty("encoding_format", "base64");
            }
            if (request.dimensions() != null) {
                g.writeNumberProperty(rules.dimensionsField(), request.dimensions());
            }
            if (request.inputType() != null && rules.inputTypeField() != null) {
                g.writeStringProperty(rules.inputTypeField(), request.inputType().name().toLowerCase(Locale.ROOT));
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
