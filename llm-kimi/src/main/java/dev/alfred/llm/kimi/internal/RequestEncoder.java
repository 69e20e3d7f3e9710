package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.UserMessage;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a {@link ChatRequest} as a Kimi chat-completions body (kimi-api.md §2). Settings the caller
 * left unset are not written at all (Kimi's newer models reject an explicit temperature or top_p), and
 * the token limit goes out as {@code max_completion_tokens}, never the deprecated {@code max_tokens}.
 *
 * <p>What it writes beyond text: tools ({@code function}, and builtins such as {@code $web_search} as
 * {@code builtin_function}) with their schemas normalised by {@link SchemaWriter}; {@code tool_choice};
 * {@code parallel_tool_calls}; {@code response_format}; user images as {@code image_url} parts
 * (inline bytes as a base64 {@code data:} URL, a file id as {@code ms://<id>}); assistant tool calls
 * with their ids byte for byte and, on any assistant message with tool calls, {@code reasoning_content}
 * even when empty (thinking models reject a tool-call turn without it); tool results with
 * {@code tool_call_id} and {@code name}; Kimi's {@code thinking} and partial mode.
 *
 * <p>What it refuses before sending, with an {@link InvalidRequestException} naming the cause: a
 * function name that breaks Kimi's rule (a letter or {@code _}, then up to 63 letters, digits,
 * {@code _} or {@code -}), more than 128 tools, a parameters schema whose root is not an object, and
 * partial mode when the last message is not the assistant's. Thread-safe.
 */
public final class RequestEncoder {

    /** Kimi's rule for a function name. */
    public static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_-]{0,63}");
    /** The most tools Kimi accepts. */
    public static final int MAX_TOOLS = 128;

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final String providerId;
    private final SchemaWriter schemas = new SchemaWriter();

    /**
     * An encoder whose errors name the provider.
     *
     * @param providerId the provider id
     */
    public RequestEncoder(String providerId) {
        this.providerId = providerId;
    }

    /**
     * Encodes a request.
     *
     * @param request  the request
     * @param model    the model to use when the request names none
     * @param stream   whether to ask for a stream (with usage in it)
     * @param thinking Kimi's thinking switch, or null to leave the model's default
     * @param partial  whether the last (assistant) message is a prefix for the model to continue
     * @return the JSON body
     * @throws InvalidRequestException if the request breaks one of Kimi's rules, naming it
     */
    public byte[] encode(ChatRequest request, String model, boolean stream, Boolean thinking, boolean partial) {
        validate(request, partial);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("model", request.model() != null ? request.model() : model);
            g.writeName("messages");
            g.writeStartArray();
            List<ChatMessage> messages = request.messages();
            for (int i = 0; i < messages.size(); i++) {
                message(g, messages.get(i), partial && i == messages.size() - 1);
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
            tools(g, request);
            responseFormat(g, request.responseFormat());
            if (thinking != null) {
                g.writeName("thinking");
                g.writeStartObject();
                g.writeStringProperty("type", thinking ? "enabled" : "disabled");
                g.writeEndObject();
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

    private void validate(ChatRequest request, boolean partial) {
        if (request.tools().size() > MAX_TOOLS) {
            throw invalid("Kimi accepts at most " + MAX_TOOLS + " tools, the request has " + request.tools().size());
        }
        for (ToolDefinition t : request.tools()) {
            if (t.type() == ToolDefinition.Type.FUNCTION && !TOOL_NAME.matcher(t.name()).matches()) {
                throw invalid("tool name '" + t.name() + "' breaks Kimi's rule: a letter or '_', then at most 63"
                        + " letters, digits, '_' or '-'");
            }
        }
        if (partial && !(request.messages().get(request.messages().size() - 1) instanceof AssistantMessage)) {
            throw invalid("partial mode needs the last message to be the assistant's prefix to continue");
        }
    }

    private InvalidRequestException invalid(String message) {
        return new InvalidRequestException(providerId + ": " + message, providerId, -1, null, null);
    }

    private void message(JsonGenerator g, ChatMessage m, boolean partial) {
        g.writeStartObject();
        if (m instanceof SystemMessage s) {
            g.writeStringProperty("role", "system");
            g.writeStringProperty("content", s.content());
        } else if (m instanceof UserMessage u) {
            g.writeStringProperty("role", "user");
            userContent(g, u);
        } else if (m instanceof AssistantMessage a) {
            g.writeStringProperty("role", "assistant");
            boolean calls = !a.toolCalls().isEmpty();
            if (!calls || !a.content().isEmpty()) {
                g.writeStringProperty("content", a.content());
            }
            if (calls || !a.reasoning().isEmpty()) {
                g.writeStringProperty("reasoning_content", a.reasoning());
            }
            if (calls) {
                g.writeName("tool_calls");
                g.writeStartArray();
                for (ToolCall c : a.toolCalls()) {
                    g.writeStartObject();
                    g.writeStringProperty("id", c.id());
                    g.writeStringProperty("type", c.name().startsWith("$") ? "builtin_function" : "function");
                    g.writeName("function");
                    g.writeStartObject();
                    g.writeStringProperty("name", c.name());
                    g.writeStringProperty("arguments", c.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (partial) {
                g.writeBooleanProperty("partial", true);
            }
        } else if (m instanceof ToolMessage t) {
            g.writeStringProperty("role", "tool");
            g.writeStringProperty("tool_call_id", t.toolCallId());
            g.writeStringProperty("name", t.toolName());
            g.writeStringProperty("content", t.content());
        }
        g.writeEndObject();
    }

    private static void userContent(JsonGenerator g, UserMessage u) {
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

    private static String imageUrl(ContentPart.Image image) {
        if (image instanceof ContentPart.ImageBytes b) {
            return "data:" + b.mediaType() + ";base64," + Base64.getEncoder().encodeToString(b.data());
        }
        if (image instanceof ContentPart.ImageFile f) {
            return f.fileId().startsWith("ms://") ? f.fileId() : "ms://" + f.fileId();
        }
        return ((ContentPart.ImageUrl) image).url().toString(); // a data: URL; http(s) is refused by capabilities
    }

    private void tools(JsonGenerator g, ChatRequest request) {
        if (request.tools().isEmpty()) {
            return; // a tool choice or parallel setting without tools means nothing, and servers reject it
        }
        g.writeName("tools");
        g.writeStartArray();
        for (ToolDefinition t : request.tools()) {
            g.writeStartObject();
            if (t.type() == ToolDefinition.Type.BUILTIN) {
                g.writeStringProperty("type", "builtin_function");
                g.writeName("function");
                g.writeStartObject();
                g.writeStringProperty("name", t.name());
                g.writeEndObject();
            } else {
                g.writeStringProperty("type", "function");
                g.writeName("function");
                g.writeStartObject();
                g.writeStringProperty("name", t.name());
                if (!t.description().isEmpty()) {
                    g.writeStringProperty("description", t.description());
                }
                g.writeName("parameters");
                try {
                    schemas.write(t.parameters().json(), g, true);
                } catch (SchemaWriter.SchemaException e) {
                    throw invalid("tool '" + t.name() + "': " + e.getMessage());
                }
                if (t.strict()) {
                    g.writeBooleanProperty("strict", true);
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        ToolChoice choice = request.toolChoice();
        if (choice != null) {
            switch (choice.mode()) {
                case AUTO: g.writeStringProperty("tool_choice", "auto"); break;
                case NONE: g.writeStringProperty("tool_choice", "none"); break;
                case REQUIRED: g.writeStringProperty("tool_choice", "required"); break;
                default:
                    g.writeName("tool_choice");
                    g.writeStartObject();
                    g.writeStringProperty("type", "function");
                    g.writeName("function");
                    g.writeStartObject();
                    g.writeStringProperty("name", choice.toolName());
                    g.writeEndObject();
                    g.writeEndObject();
            }
        }
        if (request.parallelToolCalls() != null) {
            g.writeBooleanProperty("parallel_tool_calls", request.parallelToolCalls());
        }
    }

    private void responseFormat(JsonGenerator g, ResponseFormat f) {
        if (f == null || f.type() == ResponseFormat.Type.TEXT) {
            return;
        }
        g.writeName("response_format");
        g.writeStartObject();
        if (f.type() == ResponseFormat.Type.JSON_OBJECT) {
            g.writeStringProperty("type", "json_object");
        } else {
            g.writeStringProperty("type", "json_schema");
            g.writeName("json_schema");
            g.writeStartObject();
            g.writeStringProperty("name", f.name());
            g.writeBooleanProperty("strict", f.strict());
            g.writeName("schema");
            try {
                schemas.write(f.schema().json(), g, false);
            } catch (SchemaWriter.SchemaException e) {
                throw invalid("response format '" + f.name() + "': " + e.getMessage());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
