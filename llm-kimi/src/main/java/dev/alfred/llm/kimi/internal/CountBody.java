package dev.alfred.llm.kimi.internal;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;

/**
 * The body and the answer of Moonshot's {@code POST /v1/tokenizers/estimate-token-count}: {@code {model,
 * messages}} taken from the chat body the Kimi provider would send ({@code OpenAiProvider.requestBody}),
 * so the messages are counted exactly as chat writes them, by the one encoder, and
 * {@code {"data":{"total_tokens":N}}} back. The endpoint documents only {@code model} and
 * {@code messages}, so tool definitions, the response format and sampling settings are not sent and not
 * counted. Stateless and thread-safe.
 */
public final class CountBody {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private CountBody() {
    }

    /**
     * The estimate's body: the chat body's {@code model} and {@code messages}, nothing else.
     *
     * @param chatBody the JSON body of the chat call
     * @return the JSON body of the estimate
     * @throws IllegalArgumentException when the chat body is not an object with both fields
     */
    public static byte[] fromChatBody(byte[] chatBody) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(chatBody.length);
        int copied = 0;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), chatBody);
             JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a chat body is a JSON object");
            }
            g.writeStartObject();
            String name;
            while ((name = p.nextName()) != null) {
                p.nextToken();
                if (name.equals("model") || name.equals("messages")) {
                    g.writeName(name);
                    g.copyCurrentStructure(p);
                    copied++;
                } else {
                    p.skipChildren();
                }
            }
            g.writeEndObject();
        }
        if (copied != 2) {
            throw new IllegalArgumentException("a chat body holds model and messages");
        }
        return out.toByteArray();
    }

    /**
     * Reads the answer's {@code data.total_tokens}; other fields are skipped.
     *
     * @param body the response body
     * @return the count
     * @throws IllegalArgumentException when the body is not an object with a non-negative integer
     *                                  {@code data.total_tokens}
     * @throws tools.jackson.core.JacksonException when it is not JSON
     */
    public static long totalTokens(byte[] body) {
        long tokens = -1;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a token estimate is a JSON object");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals("data") && t == JsonToken.START_OBJECT) {
                    String field;
                    while ((field = p.nextName()) != null) {
                        JsonToken v = p.nextToken();
                        if (field.equals("total_tokens") && v == JsonToken.VALUE_NUMBER_INT) {
                            tokens = p.getLongValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        if (tokens < 0) {
            throw new IllegalArgumentException("no data.total_tokens in the token estimate");
        }
        return tokens;
    }
}
