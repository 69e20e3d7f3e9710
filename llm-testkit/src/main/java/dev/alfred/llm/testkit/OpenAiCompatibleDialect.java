package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.Usage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OpenAI chat-completions dialect, as one of two servers writes it:
 * <ul>
 *   <li>{@link Server#KIMI} (kimi-api.md §3–§5): usage in {@code choices[0].usage} of the finish chunk
 *       by default, Kimi's error types;</li>
 *   <li>{@link Server#OPENAI} (openai-compatible.md §1): usage only when the request asked with
 *       {@code stream_options.include_usage}, then in an extra chunk with {@code choices: []} and
 *       {@code usage: null} in every other chunk; every field a real chunk carries
 *       ({@code system_fingerprint}, {@code service_tier}, {@code logprobs: null},
 *       {@code finish_reason: null}, {@code refusal: null} in the first delta); error bodies in their
 *       full shape ({@code message}, {@code type}, {@code param}, {@code code}), pretty-printed.</li>
 * </ul>
 */
final class OpenAiCompatibleDialect implements WireDialect {

    /** Which server's habits the dialect follows. */
    enum Server { KIMI, OPENAI }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Server server;

    OpenAiCompatibleDialect(Server server) {
        this.server = server;
    }

    @Override
    public String basePath() {
        return "/v1";
    }

    @Override
    public String chatBody(ScriptedStream s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake");
        root.put("object", "chat.completion");
        root.put("created", 1787593184L);
        root.put("model", s.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (s.text().isEmpty() && !s.toolCalls().isEmpty()) {
            message.putNull("content"); // a tool-call-only answer has no text: null, as OpenAI and Kimi send
        } else {
            message.put("content", s.text());
        }
        if (server == Server.OPENAI) {
            message.putNull("refusal");
        } else if (!s.reasoning().isEmpty()) {
            message.put("reasoning_content", s.reasoning()); // OpenAI never sends its reasoning
        }
        List<ToolCall> calls = s.toolCalls();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall c = calls.get(i);
            ObjectNode call = message.withArray("tool_calls").addObject();
            call.put("index", i);
            call.put("id", c.id());
            call.put("type", "function");
            call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        }
        choice.put("finish_reason", s.finishReason());
        if (s.usage() != null) {
            root.set("usage", usage(s.usage()));
        }
        return JSON.writeValueAsString(root);
    }

    @Override
    public String streamBody(ScriptedStream s) {
        return streamBody(s, null);
    }

    @Override
    public String streamBody(ScriptedStream s, RecordedRequest request) {
        boolean openai = server == Server.OPENAI;
        boolean askedForUsage = request != null && request.json().path("stream_options").path("include_usage").asBoolean(false);
        ScriptedStream.UsagePlacement placement = s.usagePlacement();
        if (placement == ScriptedStream.UsagePlacement.SERVER_DEFAULT) {
            placement = !openai ? ScriptedStream.UsagePlacement.CHOICE
                    : askedForUsage ? ScriptedStream.UsagePlacement.TOP_LEVEL : ScriptedStream.UsagePlacement.NONE;
        }
        boolean nullUsage = openai && askedForUsage;
        StringBuilder out = new StringBuilder();
        ObjectNode first = chunk(s, nullUsage);
        ObjectNode opening = ((ObjectNode) first.withArray("choices").get(0)).putObject("delta");
        opening.put("role", "assistant");
        opening.put("content", "");
        if (openai) {
            opening.putNull("refusal");
        }
        event(out, first);
        out.append(s.rawEventsAt(0));
        int sent = 0;
        for (ChatDelta d : s.deltas()) {
            if (sent == s.cutAfter()) {
                return out.toString(); // the connection is lost mid-answer
            }
            ObjectNode c = chunk(s, nullUsage);
            ObjectNode delta = ((ObjectNode) c.withArray("choices").get(0)).putObject("delta");
            boolean write = true;
            if (d instanceof ChatDelta.Text t) {
                delta.put("content", t.text());
            } else if (d instanceof ChatDelta.Reasoning r) {
                if (openai) {
                    write = false; // OpenAI never streams its reasoning
                } else {
                    delta.put("reasoning_content", r.text());
                }
            } else if (d instanceof ChatDelta.ToolCallStart start) {
                ObjectNode call = delta.withArray("tool_calls").addObject();
                if (s.toolShape() != ScriptedStream.ToolShape.INDEXLESS) {
                    call.put("index", start.index());
                }
                call.put("id", start.id());
                call.put("type", "function");
                String arguments = s.toolShape() == ScriptedStream.ToolShape.WHOLE ? arguments(s, start.index()) : "";
                call.putObject("function").put("name", start.name()).put("arguments", arguments);
            } else if (d instanceof ChatDelta.ToolCallArguments a && s.toolShape() != ScriptedStream.ToolShape.WHOLE) {
                ObjectNode call = delta.withArray("tool_calls").addObject();
                if (s.toolShape() != ScriptedStream.ToolShape.INDEXLESS) {
                    call.put("index", a.index());
                }
                call.putObject("function").put("arguments", a.fragment());
            } else {
                write = false; // sent whole with its start, or not a part a chunk carries
            }
            if (write) {
                event(out, c);
            }
            sent++;
            out.append(s.rawEventsAt(sent));
        }
        if (sent == s.cutAfter()) {
            return out.toString();
        }
        ObjectNode last = chunk(s, nullUsage);
        ObjectNode lastChoice = (ObjectNode) last.withArray("choices").get(0);
        lastChoice.putObject("delta");
        lastChoice.put("finish_reason", s.finishReason());
        boolean any = s.usage() != null;
        if (any && (placement == ScriptedStream.UsagePlacement.CHOICE || placement == ScriptedStream.UsagePlacement.BOTH)) {
            lastChoice.set("usage", usage(s.usage()));
        }
        if (any && placement == ScriptedStream.UsagePlacement.FINISH) {
            last.set("usage", usage(s.usage()));
        }
        event(out, last);
        if (any && (placement == ScriptedStream.UsagePlacement.TOP_LEVEL || placement == ScriptedStream.UsagePlacement.BOTH)) {
            ObjectNode u = chunk(s, false);
            u.putArray("choices");
            u.set("usage", usage(s.usage()));
            event(out, u);
        }
        out.append(s.rawEventsAt(ScriptedStream.RawEvent.AT_END));
        if (s.done()) {
            out.append("data: [DONE]\n\n");
        }
        return out.toString();
    }

    private static String arguments(ScriptedStream s, int index) {
        StringBuilder sb = new StringBuilder();
        for (ChatDelta d : s.deltas()) {
            if (d instanceof ChatDelta.ToolCallArguments a && a.index() == index) {
                sb.append(a.fragment());
            }
        }
        return sb.toString();
    }

    @Override
    public String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    @Override
    public String errorBody(String type, String message) {
        return errorBody(-1, type, message);
    }

    @Override
    public String errorBody(int status, String type, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        if (server == Server.KIMI) {
            if (type != null) {
                error.put("type", type);
            }
            return JSON.writeValueAsString(root);
        }
        error.put("type", type != null ? type : status >= 500 ? "server_error" : "invalid_request_error");
        error.putNull("param");
        String code = status == 401 ? "invalid_api_key" : status == 429 ? "rate_limit_exceeded" : null;
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    @Override
    public String errorEvent(String type, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (server == Server.OPENAI) {
            error.putNull("param");
            error.putNull("code");
        }
        return "data: " + JSON.writeValueAsString(root);
    }

    @Override
    public String malformedEvent() {
        return "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]";
    }

    @Override
    public List<ChatMessage> messages(RecordedRequest request) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : request.json().path("messages")) {
            String role = m.path("role").asString();
            switch (role) {
                case "system":
                    out.add(ChatMessage.system(m.path("content").asString()));
                    break;
                case "user":
                    out.add(user(m.path("content")));
                    break;
                case "assistant":
                    List<ToolCall> calls = new ArrayList<>();
                    for (JsonNode c : m.path("tool_calls")) {
                        calls.add(new ToolCall(c.path("id").asString(), c.path("function").path("name").asString(),
                                c.path("function").path("arguments").asString(), ToolCall.Status.COMPLETE));
                    }
                    out.add(new AssistantMessage(m.path("content").asString(""), m.path("reasoning_content").asString(""),
                            calls, ProviderState.NONE));
                    break;
                case "tool":
                    out.add(new ToolMessage(m.path("tool_call_id").asString(), m.path("name").asString(),
                            m.path("content").asString(), false));
                    break;
                default:
                    throw new IllegalArgumentException("unknown role '" + role + "' in " + m);
            }
        }
        return out;
    }

    private static UserMessage user(JsonNode content) {
        if (content.isString()) {
            return ChatMessage.user(content.asString());
        }
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode part : content) {
            if ("text".equals(part.path("type").asString())) {
                parts.add(ContentPart.text(part.path("text").asString()));
                continue;
            }
            String url = part.path("image_url").path("url").asString();
            if (url.startsWith("data:") && url.contains(";base64,")) {
                String mediaType = url.substring(5, url.indexOf(';'));
                parts.add(ContentPart.image(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1)), mediaType));
            } else if (url.startsWith("ms://")) {
                parts.add(ContentPart.imageFile(url.substring(5)));
            } else {
                parts.add(ContentPart.imageUrl(URI.create(url)));
            }
        }
        return new UserMessage(parts);
    }

    @Override
    public Map<String, String> options(RecordedRequest request) {
        JsonNode body = request.json();
        Map<String, String> out = new TreeMap<>();
        copy(body, "model", out, "model");
        copy(body, "temperature", out, "temperature");
        copy(body, "top_p", out, "topP");
        copy(body, "max_completion_tokens", out, "maxTokens");
        copy(body, "max_tokens", out, "maxTokens");
        copy(body, "stop", out, "stop");
        copy(body, "stream", out, "stream");
        copy(body, "parallel_tool_calls", out, "parallelToolCalls");
        if (body.has("tools")) {
            List<String> names = new ArrayList<>();
            for (JsonNode t : body.get("tools")) {
                names.add(t.path("function").path("name").asString());
            }
            out.put("tools", String.join(",", names));
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null) {
            out.put("toolChoice", choice.isString() ? choice.asString() : "tool:" + choice.path("function").path("name").asString());
        }
        JsonNode format = body.get("response_format");
        if (format != null) {
            String type = format.path("type").asString();
            out.put("responseFormat", type.equals("json_schema") ? type + ":" + format.path("json_schema").path("name").asString()
                    : type);
        }
        return out;
    }

    private static void copy(JsonNode body, String field, Map<String, String> out, String name) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull()) {
            out.put(name, v.isString() ? v.asString() : v.toString());
        }
    }

    @Override
    public String errorTypeFor(int status) {
        if (server == Server.OPENAI) {
            switch (status) {
                case 429: return "requests";
                default: return status >= 500 ? "server_error" : status >= 400 ? "invalid_request_error" : null;
            }
        }
        switch (status) {
            case 400: return "invalid_request_error";
            case 401: return "invalid_authentication_error";
            case 403: return "permission_denied_error";
            case 404: return "resource_not_found_error";
            case 429: return "rate_limit_reached_error";
            case 503: return "server_unavailable";
            default: return status >= 500 ? "server_error" : null;
        }
    }

    private ObjectNode chunk(ScriptedStream s, boolean nullUsage) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-fake");
        c.put("object", "chat.completion.chunk");
        c.put("created", 1787593184L);
        c.put("model", s.model());
        if (server == Server.OPENAI) {
            c.put("service_tier", "default");
            c.put("system_fingerprint", "fp_fake0001");
        }
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        if (server == Server.OPENAI) {
            choice.putNull("logprobs");
            choice.putNull("finish_reason");
        }
        if (nullUsage) {
            c.putNull("usage");
        }
        return c;
    }

    private ObjectNode usage(Usage u) {
        ObjectNode n = JSON.createObjectNode();
        n.put("prompt_tokens", u.promptTokens());
        n.put("completion_tokens", u.completionTokens());
        n.put("total_tokens", u.totalTokens());
        if (server == Server.KIMI) {
            n.put("cached_tokens", u.cachedTokens()); // Kimi's own top-level count; OpenAI has only the nested one
        }
        n.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
        n.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        return n;
    }

    private static void event(StringBuilder out, ObjectNode chunk) {
        out.append("data: ").append(JSON.writeValueAsString(chunk)).append("\n\n");
    }
}
