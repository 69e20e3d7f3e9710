package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.openai.dialect.Dialect;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * The body and the answer of Moonshot's {@code POST /v1/tokenizers/estimate-token-count}: {@code {model,
 * messages}}, the messages in the chat-completions format the Kimi provider sends them in (system, user
 * text and images as {@code data:} or {@code ms://} URLs, assistant text with its tool calls and the
 * echoed {@code reasoning_content}, tool results), and {@code {"data":{"total_tokens":N}}} back. The
 * endpoint documents only {@code model} and {@code messages}, so tool definitions, the response format and
 * sampling settings are not sent and not counted.
 *
 * <p>The messages are written here, after llm-openai's encoder and by the provider's {@link Dialect}
 * (reasoning echo, tool-message name, builtin tool type, image-file prefix, tool-call ids), because that
 * encoder is internal to llm-openai; when {@code OpenAiProvider} offers the body it sends, this should take
 * the messages from it. Immutable and thread-safe.
 */
public final class CountBody {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Dialect dialect;

    /**
     * A writer for a dialect's messages.
     *
     * @param dialect the provider's dialect
     */
    public CountBody(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Writes the body.
     *
     * @param request the request
     * @param model   the model when the request names none
     * @return the JSON body
     */
    public byte[] encode(ChatRequest request, String model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("model", request.model() != null ? request.model() : model);
            g.writeName("messages");
            g.writeStartArray();
            for (ChatMessage m : request.messages()) {
                message(g, m);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void message(JsonGenerator g, ChatMessage m) {
        g.writeStartObject();
        if (m instanceof SystemMessage s) {
            g.writeStringProperty("role", "system");
            g.writeStringProperty("content", s.content());
        } else if (m instanceof UserMessage u) {
            g.writeStringProperty("role", "user");
            user(g, u);
        } else if (m instanceof AssistantMessage a) {
            g.writeStringProperty("role", "assistant");
            boolean calls = !a.toolCalls().isEmpty();
            if (!calls || !a.content().isEmpty()) {
                g.writeStringProperty("content", a.content());
            }
            if (dialect.echoReasoning() && (calls || !a.reasoning().isEmpty())) {
                g.writeStringProperty("reasoning_content", a.reasoning());
            }
            if (calls) {
                g.writeName("tool_calls");
                g.writeStartArray();
                for (ToolCall c : a.toolCalls()) {
                    g.writeStartObject();
                    g.writeStringProperty("id", dialect.toolCallIds().map(c.id()));
                    boolean builtin = c.name().startsWith("$") && dialect.builtinToolType() != null;
                    g.writeStringProperty("type", builtin ? dialect.builtinToolType() : "function");
                    g.writeName("function");
                    g.writeStartObject();
                    g.writeStringProperty("name", c.name());
                    g.writeStringProperty("arguments", c.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        } else {
            ToolMessage t = (ToolMessage) m;
            g.writeStringProperty("role", "tool");
            g.writeStringProperty("tool_call_id", dialect.toolCallIds().map(t.toolCallId()));
            if (dialect.toolMessageName()) {
                g.writeStringProperty("name", t.toolName());
            }
            g.writeStringProperty("content", t.content());
        }
        g.writeEndObject();
    }

    private void user(JsonGenerator g, UserMessage u) {
        if (u.parts().size() == 1 && u.parts().get(0) instanceof ContentPart.Text t) {
            g.writeStringProperty("content", t.text());
            return;
        }
        g.writeName("content");
        g.writeStartArray();
        for (ContentPart p : u.parts()) {
            g.writeStartObject();
            if (p instanceof ContentPart.Text t) {
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", t.text());
            } else {
                g.writeStringProperty("type", "image_url");
                g.writeName("image_url");
                g.writeStartObject();
                g.writeStringProperty("url", imageUrl((ContentPart.Image) p));
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private String imageUrl(ContentPart.Image image) {
        if (image instanceof ContentPart.ImageBytes b) {
            return "data:" + b.mediaType() + ";base64," + Base64.getEncoder().encodeToString(b.data());
        }
        if (image instanceof ContentPart.ImageFile f) {
            String prefix = dialect.imageFilePrefix() == null ? "" : dialect.imageFilePrefix();
            return f.fileId().startsWith(prefix) ? f.fileId() : prefix + f.fileId();
        }
        return ((ContentPart.ImageUrl) image).url().toString();
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
