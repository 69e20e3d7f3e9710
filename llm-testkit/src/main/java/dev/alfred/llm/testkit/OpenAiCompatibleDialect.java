package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.Role;
import dev.alfred.llm.Usage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        ObjectNode delta = ((ObjectNode) first.withArray("choices").get(0)).putObject("delta");
        delta.put("role", "assistant");
        delta.put("content", "");
        event(out, first);
        for (ChatDelta d : s.deltas()) {
            ObjectNode c = chunk(s);
            ((ObjectNode) c.withArray("choices").get(0)).putObject("delta")
                    .put(d.isReasoning() ? "reasoning_content" : "content", d.text());
            event(out, c);
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
            Role role = Role.valueOf(m.path("role").asString().toUpperCase(Locale.ROOT));
            JsonNode reasoning = m.get("reasoning_content");
            out.add(new ChatMessage(role, m.path("content").asString(), reasoning == null ? null : reasoning.asString()));
        }
        return out;
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
