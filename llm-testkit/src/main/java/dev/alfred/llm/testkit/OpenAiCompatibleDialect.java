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

/** The OpenAI chat-completions dialect, as Kimi writes it (see the Kimi API fact sheet, §3–§5). */
final class OpenAiCompatibleDialect implements WireDialect {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        message.put("content", s.text());
        if (!s.reasoning().isEmpty()) {
            message.put("reasoning_content", s.reasoning());
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
        StringBuilder out = new StringBuilder();
        ObjectNode first = chunk(s);
        ObjectNode opening = ((ObjectNode) first.withArray("choices").get(0)).putObject("delta");
        opening.put("role", "assistant");
        opening.put("content", "");
        event(out, first);
        int sent = 0;
        for (ChatDelta d : s.deltas()) {
            if (sent == s.cutAfter()) {
                return out.toString(); // the connection is lost mid-answer
            }
            sent++;
            ObjectNode c = chunk(s);
            ObjectNode delta = ((ObjectNode) c.withArray("choices").get(0)).putObject("delta");
            if (d instanceof ChatDelta.Text t) {
                delta.put("content", t.text());
            } else if (d instanceof ChatDelta.Reasoning r) {
                delta.put("reasoning_content", r.text());
            } else if (d instanceof ChatDelta.ToolCallStart start) {
                ObjectNode call = delta.withArray("tool_calls").addObject();
                if (s.toolShape() != ScriptedStream.ToolShape.INDEXLESS) {
                    call.put("index", start.index());
                }
                call.put("id", start.id());
                call.put("type", "function");
                String arguments = s.toolShape() == ScriptedStream.ToolShape.WHOLE ? arguments(s, start.index()) : "";
                call.putObject("function").put("name", start.name()).put("arguments", arguments);
            } else if (d instanceof ChatDelta.ToolCallArguments a) {
                if (s.toolShape() == ScriptedStream.ToolShape.WHOLE) {
                    continue; // sent whole with its start
                }
                ObjectNode call = delta.withArray("tool_calls").addObject();
                if (s.toolShape() != ScriptedStream.ToolShape.INDEXLESS) {
                    call.put("index", a.index());
                }
                call.putObject("function").put("arguments", a.fragment());
            } else {
                continue;
            }
            event(out, c);
        }
        if (sent == s.cutAfter()) {
            return out.toString();
        }
        ObjectNode last = chunk(s);
        ObjectNode lastChoice = (ObjectNode) last.withArray("choices").get(0);
        lastChoice.putObject("delta");
        lastChoice.put("finish_reason", s.finishReason());
        boolean choiceUsage = s.usage() != null && (s.usagePlacement() == ScriptedStream.UsagePlacement.CHOICE
                || s.usagePlacement() == ScriptedStream.UsagePlacement.BOTH);
        if (choiceUsage) {
            lastChoice.set("usage", usage(s.usage()));
        }
        event(out, last);
        boolean topUsage = s.usage() != null && (s.usagePlacement() == ScriptedStream.UsagePlacement.TOP_LEVEL
                || s.usagePlacement() == ScriptedStream.UsagePlacement.BOTH);
        if (topUsage) {
            ObjectNode u = chunk(s);
            u.putArray("choices");
            u.set("usage", usage(s.usage()));
            event(out, u);
        }
        for (String raw : s.rawEvents()) {
            out.append("data: ").append(raw).append("\n\n");
        }
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
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        if (type != null) {
            error.put("type", type);
        }
        return JSON.writeValueAsString(root);
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

    private static ObjectNode chunk(ScriptedStream s) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", "chatcmpl-fake");
        c.put("object", "chat.completion.chunk");
        c.put("created", 1787593184L);
        c.put("model", s.model());
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        return c;
    }

    private static ObjectNode usage(Usage u) {
        ObjectNode n = JSON.createObjectNode();
        n.put("prompt_tokens", u.promptTokens());
        n.put("completion_tokens", u.completionTokens());
        n.put("total_tokens", u.totalTokens());
        n.put("cached_tokens", u.cachedTokens());
        n.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
        n.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        return n;
    }

    private static void event(StringBuilder out, ObjectNode chunk) {
        out.append("data: ").append(JSON.writeValueAsString(chunk)).append("\n\n");
    }
}
