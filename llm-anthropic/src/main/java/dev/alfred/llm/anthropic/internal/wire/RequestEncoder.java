package dev.alfred.llm.anthropic.internal.wire;

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
import dev.alfred.llm.http.ToolCallIds;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a {@link ChatRequest} as a Messages API body (anthropic-api.md §2): system messages as the
 * top-level {@code system}; the conversation as alternating turns of content blocks, tool results as
 * {@code tool_result} blocks of a user turn, before its text and images, consecutive user messages
 * and tool results joined into one turn; tools with {@code input_schema}; {@code tool_choice} with
 * {@code disable_parallel_tool_use} when parallel calls are turned off; images inline or by URL;
 * {@code max_tokens} always (the API requires it); thinking and effort; a JSON schema answer as
 * {@code output_config.format}.
 *
 * <p>An assistant message that carries this provider's state is sent back as received: its blocks
 * (thinking with its signature, redacted thinking, text with its citations, server tools and their
 * results with their encrypted content, blocks of later API versions) verbatim and in their order, each
 * tool call's input from the message. Without state, its text then its tool calls; reasoning without a
 * signature cannot be sent back and is left out. An assistant message left with no content at all is
 * left out, with a warning: the API refuses empty content ("all messages must have non-empty content
 * except for the optional final assistant message"), and an empty final message asks nothing either;
 * the user turns around it join. Tool-call ids the API would refuse (another provider's, such as
 * {@code functions.get_weather:0}) are mapped by {@link ToolCallIds#wordCharacters()}, the same way for
 * a call and for its result; the ids of an answer this provider received (one carrying its state) go
 * back as the server made them, with their results. A builtin tool named {@code web_search} is Anthropic's web search
 * ({@code web_search_20250305}); one named by a versioned type of a server tool
 * ({@code web_search_20260209}, {@code web_fetch_20250910}, {@code code_execution_20250825}) is sent as
 * that type.
 *
 * <p>Refused before sending, with an {@link InvalidRequestException} naming the cause: a temperature
 * above 1, a forced tool choice under manual thinking, a thinking budget not below {@code max_tokens},
 * a builtin tool Anthropic does not have.
 * Thread-safe.
 */
public final class RequestEncoder {

    /** The provider-state key of an answer's content blocks, as received (a JSON array). */
    public static final String CONTENT_KEY = "content";

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final ToolCallIds IDS = ToolCallIds.wordCharacters();
    /** A server tool's versioned type, such as {@code web_fetch_20250910}: its name, then its date. */
    private static final Pattern SERVER_TOOL = Pattern.compile("(web_search|web_fetch|code_execution)_(\\d{8})");
    /** The type a builtin named {@code web_search} is sent as. */
    static final String WEB_SEARCH = "web_search_20250305";

    private final String providerId;

    /**
     * An encoder whose errors and state name the provider.
     *
     * @param providerId the provider id
     */
    public RequestEncoder(String providerId) {
        this.providerId = providerId;
    }

    /**
     * Encodes a request.
     *
     * @param request      the request
     * @param model        the model when the request names none
     * @param maxTokens    the token limit when the request sets none
     * @param stream       whether to ask for a stream
     * @param thinking     {@code enabled}, {@code adaptive}, {@code disabled}, or null
     * @param budgetTokens the thinking budget with {@code enabled}
     * @param effort       the effort, or null
     * @param warnings     where to say what was left out or changed
     * @return the JSON body
     * @throws InvalidRequestException naming what the API would refuse
     */
    public byte[] encode(ChatRequest request, String model, int maxTokens, boolean stream, String thinking,
                         int budgetTokens, String effort, List<String> warnings) {
        return write(request, model, maxTokens, stream, false, thinking, budgetTokens, effort, warnings);
    }

    /**
     * Encodes a request as the body of {@code POST /v1/messages/count_tokens}: the Messages body this
     * encoder writes for it, checked the same way, less what that endpoint does not take and what does not
     * change the input's size ({@code max_tokens}, {@code stream}, {@code temperature}, {@code top_p},
     * {@code stop_sequences}; the SDK's {@code MessageCountTokensParams} has none of them). System, messages,
     * tools, tool choice, thinking and output config are written exactly as for the Messages call.
     *
     * @param request      the request
     * @param model        the model when the request names none
     * @param maxTokens    the token limit when the request sets none, for the same checks as the Messages call
     * @param thinking     {@code enabled}, {@code adaptive}, {@code disabled}, or null
     * @param budgetTokens the thinking budget with {@code enabled}
     * @param effort       the effort, or null
     * @param warnings     where to say what was left out or changed
     * @return the JSON body
     * @throws InvalidRequestException naming what the API would refuse
     */
    public byte[] encodeCount(ChatRequest request, String model, int maxTokens, String thinking, int budgetTokens,
                              String effort, List<String> warnings) {
        return write(request, model, maxTokens, false, true, thinking, budgetTokens, effort, warnings);
    }

    private byte[] write(ChatRequest request, String model, int maxTokens, boolean stream, boolean count,
                         String thinking, int budgetTokens, String effort, List<String> warnings) {
        int limit = request.maxTokens() != null ? request.maxTokens() : maxTokens;
        if ("enabled".equals(thinking) && request.maxTokens() == null && budgetTokens >= limit) {
            limit = budgetTokens + maxTokens; // the default leaves the answer room past the budget
        }
        validate(request, thinking, budgetTokens, limit);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("model", request.model() != null ? request.model() : model);
            if (!count) {
                g.writeNumberProperty("max_tokens", limit);
            }
            system(g, request.messages());
            g.writeName("messages");
            g.writeStartArray();
            turns(g, request.messages(), warnings);
            g.writeEndArray();
            if (!count) {
                sampling(g, request);
            }
            tools(g, request);
            if (thinking != null) {
                g.writeName("thinking");
                g.writeStartObject();
                g.writeStringProperty("type", thinking);
                if ("enabled".equals(thinking)) {
                    g.writeNumberProperty("budget_tokens", budgetTokens);
                }
                g.writeEndObject();
            }
            ResponseFormat f = request.responseFormat();
            boolean schema = f != null && f.type() == ResponseFormat.Type.JSON_SCHEMA;
            if (schema || effort != null) {
                g.writeName("output_config");
                g.writeStartObject();
                if (effort != null) {
                    g.writeStringProperty("effort", effort);
                }
                if (schema) {
                    g.writeName("format");
                    g.writeStartObject();
                    g.writeStringProperty("type", "json_schema");
                    g.writeName("schema");
                    g.writeRawValue(f.schema().json());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            if (stream) {
                g.writeBooleanProperty("stream", true);
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void sampling(JsonGenerator g, ChatRequest request) {
        if (request.temperature() != null) {
            g.writeNumberProperty("temperature", request.temperature().doubleValue());
        }
        if (request.topP() != null) {
            g.writeNumberProperty("top_p", request.topP().doubleValue());
        }
        if (!request.stop().isEmpty()) {
            g.writeName("stop_sequences");
            g.writeStartArray();
            for (String s : request.stop()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
    }

    private void validate(ChatRequest request, String thinking, int budgetTokens, int limit) {
        if (request.temperature() != null && request.temperature() > 1.0) {
            throw invalid("temperature must be between 0 and 1 for the Messages API, was " + request.temperature());
        }
        ToolChoice choice = request.toolChoice();
        if ("enabled".equals(thinking) && choice != null
                && (choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.TOOL)) {
            throw invalid("a forced tool choice (" + choice.mode() + ") cannot be combined with manual thinking;"
                    + " use AUTO or NONE, or adaptive thinking");
        }
        if ("enabled".equals(thinking) && budgetTokens >= limit) {
            throw invalid("the thinking budget (" + budgetTokens + ") must be below maxTokens (" + limit + ")");
        }
        for (ToolDefinition t : request.tools()) {
            if (t.type() == ToolDefinition.Type.BUILTIN && !t.name().equals("web_search")
                    && !SERVER_TOOL.matcher(t.name()).matches()) {
                throw invalid("no builtin tool '" + t.name() + "': Anthropic's server tools are asked for as web_search,"
                        + " or by a versioned type such as web_search_20260209, web_fetch_20250910 or"
                        + " code_execution_20250825 (with its beta)");
            }
        }
    }

    private InvalidRequestException invalid(String message) {
        return new InvalidRequestException(providerId + ": " + message, providerId, -1, null, null);
    }

    private static void system(JsonGenerator g, List<ChatMessage> messages) {
        StringBuilder system = null;
        for (ChatMessage m : messages) {
            if (m instanceof SystemMessage s) {
                system = system == null ? new StringBuilder(s.content()) : system.append("\n\n").append(s.content());
            }
        }
        if (system != null) {
            g.writeStringProperty("system", system.toString());
        }
    }

    /**
     * The conversation as alternating turns: user messages and tool results that follow each other join,
     * also across an assistant message left out for being empty.
     */
    private void turns(JsonGenerator g, List<ChatMessage> messages, List<String> warnings) {
        Set<String> own = new HashSet<>();
        for (ChatMessage m : messages) {
            if (m instanceof AssistantMessage a && state(a) != null) {
                a.toolCalls().forEach(c -> own.add(c.id()));
            }
        }
        UnaryOperator<String> ids = id -> own.contains(id) ? id : IDS.map(id);
        List<ChatMessage> userTurn = new ArrayList<>();
        int position = 0;
        for (ChatMessage m : messages) {
            position++;
            if (m instanceof SystemMessage) {
                continue;
            }
            if (m instanceof UserMessage || m instanceof ToolMessage) {
                userTurn.add(m);
                continue;
            }
            AssistantMessage a = (AssistantMessage) m;
            String state = state(a);
            if (a.content().isEmpty() && a.toolCalls().isEmpty() && (state == null || state.equals("[]"))) {
                warnings.add("the empty assistant message at position " + position + " was left out: the Messages API"
                        + " refuses a message without content");
                continue;
            }
            userTurn(g, userTurn, ids);
            userTurn.clear();
            assistant(g, a, state, ids, warnings);
        }
        userTurn(g, userTurn, ids);
    }

    private String state(AssistantMessage a) {
        return a.state().providerId().equals(providerId) ? a.state().values().get(CONTENT_KEY) : null;
    }

    private static void userTurn(JsonGenerator g, List<ChatMessage> turn, UnaryOperator<String> ids) {
        if (turn.isEmpty()) {
            return;
        }
        g.writeStartObject();
        g.writeStringProperty("role", "user");
        if (turn.size() == 1 && turn.get(0) instanceof UserMessage u && u.parts().size() == 1
                && u.parts().get(0) instanceof ContentPart.Text t) {
            g.writeStringProperty("content", t.text());
            g.writeEndObject();
            return;
        }
        g.writeName("content");
        g.writeStartArray();
        for (ChatMessage m : turn) { // tool results first, as the API requires
            if (m instanceof ToolMessage t) {
                g.writeStartObject();
                g.writeStringProperty("type", "tool_result");
                g.writeStringProperty("tool_use_id", ids.apply(t.toolCallId()));
                g.writeStringProperty("content", t.content());
                if (t.error()) {
                    g.writeBooleanProperty("is_error", true);
                }
                g.writeEndObject();
            }
        }
        for (ChatMessage m : turn) {
            if (m instanceof UserMessage u) {
                for (ContentPart p : u.parts()) {
                    part(g, p);
                }
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void part(JsonGenerator g, ContentPart p) {
        g.writeStartObject();
        if (p instanceof ContentPart.Text t) {
            g.writeStringProperty("type", "text");
            g.writeStringProperty("text", t.text());
        } else {
            g.writeStringProperty("type", "image");
            g.writeName("source");
            g.writeStartObject();
            if (p instanceof ContentPart.ImageBytes b) {
                g.writeStringProperty("type", "base64");
                g.writeStringProperty("media_type", b.mediaType());
                g.writeStringProperty("data", Base64.getEncoder().encodeToString(b.data()));
            } else if (p instanceof ContentPart.ImageFile f) {
                g.writeStringProperty("type", "file");
                g.writeStringProperty("file_id", f.fileId());
            } else {
                String url = ((ContentPart.ImageUrl) p).url().toString();
                if (url.startsWith("data:") && url.contains(";base64,")) {
                    g.writeStringProperty("type", "base64");
                    g.writeStringProperty("media_type", url.substring(5, url.indexOf(';')));
                    g.writeStringProperty("data", url.substring(url.indexOf(',') + 1));
                } else {
                    g.writeStringProperty("type", "url");
                    g.writeStringProperty("url", url);
                }
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void assistant(JsonGenerator g, AssistantMessage a, String state, UnaryOperator<String> ids,
                           List<String> warnings) {
        g.writeStartObject();
        g.writeStringProperty("role", "assistant");
        if (state == null && a.toolCalls().isEmpty()) {
            g.writeStringProperty("content", a.content());
            g.writeEndObject();
            return;
        }
        g.writeName("content");
        g.writeStartArray();
        if (state != null) {
            replay(g, state, a, ids, warnings);
        } else {
            if (!a.content().isEmpty()) {
                g.writeStartObject();
                g.writeStringProperty("type", "text");
                g.writeStringProperty("text", a.content());
                g.writeEndObject();
            }
            for (ToolCall c : a.toolCalls()) {
                toolUse(g, ids.apply(c.id()), c.name(), c.arguments(), null, warnings);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * The blocks as received, each copied field by field; a tool_use block's input is the message's
     * call's arguments.
     */
    private void replay(JsonGenerator g, String state, AssistantMessage a, UnaryOperator<String> ids,
                        List<String> warnings) {
        Map<String, ToolCall> calls = new HashMap<>();
        a.toolCalls().forEach(c -> calls.put(c.id(), c));
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), state)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw invalid("the assistant message's provider state is not a block array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                RawFields fields = new RawFields();
                String name;
                while ((name = p.nextName()) != null) {
                    fields.add(name, RawJson.copy(p, p.nextToken()));
                }
                if ("\"tool_use\"".equals(fields.get("type"))) {
                    String id = string(fields.get("id"));
                    if (id.isEmpty()) {
                        throw invalid("the assistant message's provider state has a tool_use block without an id");
                    }
                    ToolCall c = calls.get(id);
                    toolUse(g, ids.apply(id), c != null ? c.name() : string(fields.get("name")),
                            c != null ? c.arguments() : "{}", fields, warnings);
                    continue;
                }
                g.writeStartObject();
                for (int i = 0; i < fields.size(); i++) {
                    g.writeName(fields.name(i));
                    g.writeRawValue(fields.value(i));
                }
                g.writeEndObject();
            }
        } catch (JacksonException e) {
            throw invalid("the assistant message's provider state is not a block array: " + e.getOriginalMessage());
        }
    }

    /** A JSON string literal's value, or an empty string for anything else. */
    private static String string(String literal) {
        if (literal == null || !literal.startsWith("\"")) {
            return "";
        }
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), literal)) {
            p.nextToken();
            return p.getString();
        }
    }

    /** A tool_use block: the id as mapped, the input an object, other fields as received. */
    private static void toolUse(JsonGenerator g, String id, String name, String arguments, RawFields received,
                                List<String> warnings) {
        g.writeStartObject();
        g.writeStringProperty("type", "tool_use");
        g.writeStringProperty("id", id);
        g.writeStringProperty("name", name);
        g.writeName("input");
        if (RawJson.isObject(arguments)) {
            g.writeRawValue(arguments);
        } else {
            g.writeRawValue("{}");
            if (arguments != null && !arguments.isBlank()) {
                warnings.add("the arguments of tool call " + id + " (" + name + ") are not a JSON object and were sent"
                        + " as {}: the API takes only an object");
            }
        }
        if (received != null) {
            for (int i = 0; i < received.size(); i++) {
                String field = received.name(i);
                if (!field.equals("type") && !field.equals("id") && !field.equals("name") && !field.equals("input")) {
                    g.writeName(field);
                    g.writeRawValue(received.value(i));
                }
            }
        }
        g.writeEndObject();
    }

    private static void tools(JsonGenerator g, ChatRequest request) {
        if (request.tools().isEmpty()) {
            return;
        }
        g.writeName("tools");
        g.writeStartArray();
        for (ToolDefinition t : request.tools()) {
            g.writeStartObject();
            if (t.type() == ToolDefinition.Type.BUILTIN) {
                Matcher versioned = SERVER_TOOL.matcher(t.name());
                boolean plain = !versioned.matches();
                g.writeStringProperty("type", plain ? WEB_SEARCH : t.name());
                g.writeStringProperty("name", plain ? "web_search" : versioned.group(1));
                g.writeEndObject();
                continue;
            }
            g.writeStringProperty("name", t.name());
            if (!t.description().isEmpty()) {
                g.writeStringProperty("description", t.description());
            }
            g.writeName("input_schema");
            g.writeRawValue(t.parameters().json());
            if (t.strict()) {
                g.writeBooleanProperty("strict", true);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        ToolChoice choice = request.toolChoice();
        Boolean parallel = request.parallelToolCalls();
        if (choice == null && parallel == null) {
            return;
        }
        g.writeName("tool_choice");
        g.writeStartObject();
        ToolChoice.Mode mode = choice == null ? ToolChoice.Mode.AUTO : choice.mode();
        switch (mode) {
            case NONE: g.writeStringProperty("type", "none"); break;
            case REQUIRED: g.writeStringProperty("type", "any"); break;
            case TOOL:
                g.writeStringProperty("type", "tool");
                g.writeStringProperty("name", choice.toolName());
                break;
            default: g.writeStringProperty("type", "auto");
        }
        if (parallel != null && mode != ToolChoice.Mode.NONE) {
            g.writeBooleanProperty("disable_parallel_tool_use", !parallel);
        }
        g.writeEndObject();
    }
}
