package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.openai.dialect.Dialect;

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
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a {@link ChatRequest} as a chat-completions body, shaped by the server's {@link Dialect}.
 * Settings the caller left unset are not written at all (newer models reject an explicit temperature
 * or top_p), and the token limit goes out in the dialect's field ({@code max_completion_tokens} or
 * {@code max_tokens}); temperature and top_p are left out, with a warning, for a model the dialect
 * says refuses them.
 *
 * <p>What it writes beyond text: tools ({@code function}, and builtins such as Kimi's
 * {@code $web_search} in the dialect's builtin type) with their schemas normalised by
 * {@link SchemaWriter}; {@code tool_choice}; {@code parallel_tool_calls}; {@code response_format};
 * user images as {@code image_url} parts (inline bytes as a base64 {@code data:} URL, a file id with
 * the dialect's prefix); assistant tool calls with their ids byte for byte (mapped to 9 letters and
 * digits for a server that demands it) and, when the dialect echoes reasoning, {@code reasoning_content}
 * on every tool-call turn even when empty (thinking models reject a tool-call turn without it); tool
 * results with {@code tool_call_id} and, when the dialect sends it, {@code name}; the dialect's extra
 * fields; {@code stream_options.include_usage} when the dialect asks for usage.
 *
 * <p>What it refuses before sending, with an {@link InvalidRequestException} naming the cause: a
 * function name that breaks the dialect's rule, more tools than it accepts, a parameters schema whose
 * root is not an object, and whatever the dialect's extras refuse. Thread-safe.
 */
public final class RequestEncoder {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final String providerId;
    private final Dialect dialect;
    private final SchemaWriter schemas = new SchemaWriter();

    /**
     * An encoder whose errors name the provider.
     *
     * @param providerId the provider id
     * @param dialect    the server's dialect
     */
    public RequestEncoder(String providerId, Dialect dialect) {
        this.providerId = providerId;
        this.dialect = dialect;
    }

    /**
     * Encodes a request.
     *
     * @param request  the request
     * @param model    the model to use when the request names none
     * @param stream   whether to ask for a stream (with usage in it, when the dialect asks for it)
     * @param warnings where settings left out are said
     * @return the JSON body
     * @throws InvalidRequestException if the request breaks one of the server's rules, naming it
     */
    public byte[] encode(ChatRequest request, String model, boolean stream, List<String> warnings) {
        validate(request);
        String usedModel = request.model() != null ? request.model() : model;
        Map<String, Object> lastFields = dialect.extras().lastMessageFields(request);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("model", usedModel);
            g.writeName("messages");
            g.writeStartArray();
            List<ChatMessage> messages = request.messages();
            for (int i = 0; i < messages.size(); i++) {
                message(g, messages.get(i), i == messages.size() - 1 ? lastFields : Map.of());
            }
            g.writeEndArray();
            if (request.maxTokens() != null) {
                g.writeNumberProperty(dialect.maxTokensField(), request.maxTokens().intValue());
            }
            boolean refused = (request.temperature() != null || request.topP() != null) && dialect.refusesSampling(usedModel);
            if (refused) {
                warnings.add("temperature and top_p were not sent: " + usedModel + " accepts only their defaults");
            } else {
                if (request.temperature() != null) {
                    g.writeNumberProperty("temperature", request.temperature().doubleValue());
                }
                if (request.topP() != null) {
                    g.writeNumberProperty("top_p", request.topP().doubleValue());
                }
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
            for (Map.Entry<String, Object> e : dialect.extras().bodyFields(request).entrySet()) {
                g.writeName(e.getKey());
                value(g, e.getValue());
            }
            if (stream) {
                g.writeBooleanProperty("stream", true);
                if (dialect.streamUsage()) {
                    g.writeName("stream_options");
                    g.writeStartObject();
                    g.writeBooleanProperty("include_usage", true);
                    g.writeEndObject();
                }
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void validate(ChatRequest request) {
        if (dialect.maxTools() > 0 && request.tools().size() > dialect.maxTools()) {
            throw invalid(display() + " accepts at most " + dialect.maxTools() + " tools, the request has "
                    + request.tools().size());
        }
        if (dialect.toolNamePattern() != null) {
            for (ToolDefinition t : request.tools()) {
                if (t.type() == ToolDefinition.Type.FUNCTION && !dialect.toolNamePattern().matcher(t.name()).matches()) {
                    throw invalid("tool name '" + t.name() + "' breaks " + display() + "'s rule: "
                            + dialect.toolNamePattern().pattern());
                }
            }
        }
        dialect.extras().validate(request);
    }

    private String display() {
        String n = dialect.name();
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private InvalidRequestException invalid(String message) {
        return new InvalidRequestException(providerId + ": " + message, providerId, -1, null, null);
    }

    /** Writes a dialect's extra value: strings, numbers, booleans, null, maps and lists of those. */
    private static void value(JsonGenerator g, Object v) {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                value(g, o);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("a dialect's extra value must be a string, number, boolean, null,"
                    + " map or list, was " + v.getClass().getName());
        }
    }

    /** The id a tool call goes to the server with: its own, or one the server's rule accepts (see ToolCallIds). */
    private String toolId(String id) {
        return dialect.toolCallIds().map(id);
    }

    private void message(JsonGenerator g, ChatMessage m, Map<String, Object> extra) {
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
            if (dialect.echoReasoning() && (calls || !a.reasoning().isEmpty())) {
                g.writeStringProperty("reasoning_content", a.reasoning());
            }
            if (calls) {
                g.writeName("tool_calls");
                g.writeStartArray();
                for (ToolCall c : a.toolCalls()) {
                    g.writeStartObject();
                    g.writeStringProperty("id", toolId(c.id()));
                    boolean builtin = c.name().startsWith("$") && dialect.builtinToolType() != null;
                    g.writeStringProperty("type", builtin ? dialect.builtinToolType() : "function");
                    g.writeName("function");
                    g.writeStartObject();
                    g.writeStringProperty("name", c.name());
                    g.writeStringProperty("arguments", c.arguments());
                    g.writeEndObject();
                    String extraContent = ownState(a) ? a.state().values().get(ChunkDecoder.EXTRA_CONTENT_KEY + c.id()) : null;
                    if (extraContent != null) {
                        g.writeName("extra_content");
                        g.writeRawValue(extraContent);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            String details = ownState(a) ? a.state().values().get(ChunkDecoder.REASONING_DETAILS_KEY) : null;
            if (details != null) {
                g.writeName("reasoning_details");
                g.writeRawValue(details);
            }
        } else if (m instanceof ToolMessage t) {
            g.writeStringProperty("role", "tool");
            g.writeStringProperty("tool_call_id", toolId(t.toolCallId()));
            if (dialect.toolMessageName()) {
                g.writeStringProperty("name", t.toolName());
            }
            g.writeStringProperty("content", t.content());
        }
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            g.writeName(e.getKey());
            value(g, e.getValue());
        }
        g.writeEndObject();
    }

    private boolean ownState(AssistantMessage a) {
        return a.state().providerId().equals(providerId);
    }

    private void userContent(JsonGenerator g, UserMessage u) {
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
                g.writeStringProperty("type", dialect.builtinToolType() != null ? dialect.builtinToolType() : "builtin_function");
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
