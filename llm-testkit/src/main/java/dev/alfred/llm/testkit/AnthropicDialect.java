package dev.alfred.llm.testkit;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.Usage;
import dev.alfred.llm.UserMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Anthropic's Messages API as Anthropic writes it (anthropic-api.md §3–§6), checked field by field against
 * the recorded exchanges of the corpus ({@code recordings/anthropic}, see {@code FakeDialectFidelityTest}):
 * {@code message_start}, then each content block as {@code content_block_start}, its deltas and
 * {@code content_block_stop} (reasoning as a {@code thinking} block closed by a {@code signature_delta}, a
 * tool call as a {@code tool_use} block with its {@code caller} whose input comes as
 * {@code input_json_delta} fragments, the first one empty), a {@code ping} after the first block's start,
 * {@code message_delta} with the stop reason and the cumulative usage, {@code message_stop}; JSON padded
 * with spaces before some closing braces as the real server pads it. A script's deltas are sent block by
 * block in the order the blocks began, so fragments of parallel calls that a script interleaves arrive one
 * call after the other, as Anthropic sends them.
 *
 * <p>Usage is always sent, as Anthropic always sends it (anthropic-java rejects a message without it): in
 * {@code message_start} (the input, one output token, the cache breakdown, {@code service_tier} and
 * {@code inference_geo}) and, as the counts only, in {@code message_delta}; a script without usage, or
 * with placement {@code NONE}, reports zeros. An {@code error} event ends the stream: nothing follows it,
 * no {@code message_stop}. Every scripted reply carries a {@code request-id} header, and an error body
 * names the same id in its {@code request_id}.
 */
final class AnthropicDialect implements WireDialect {

    /** The signature the fake server gives every thinking block. */
    static final String SIGNATURE = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String basePath() {
        return "";
    }

    @Override
    public String chatBody(ScriptedStream s) {
        ObjectNode root = message(s);
        for (Block b : blocks(s)) {
            ObjectNode block = root.withArray("content").addObject();
            block.put("type", b.type);
            switch (b.type) {
                case "thinking":
                    block.put("thinking", b.text.toString());
                    block.put("signature", SIGNATURE);
                    break;
                case "text":
                    block.put("text", b.text.toString());
                    break;
                default:
                    block.put("id", b.id);
                    block.put("name", b.name);
                    String args = b.text.length() == 0 ? "{}" : b.text.toString();
                    try {
                        block.set("input", JSON.readTree(args));
                    } catch (RuntimeException notJson) {
                        block.putObject("input"); // a whole message always carries an object
                    }
                    block.putObject("caller").put("type", "direct");
            }
        }
        root.put("stop_reason", stopReason(s.finishReason()));
        Usage u = usageOf(s);
        root.set("usage", usage(u, u.completionTokens(), true));
        return JSON.writeValueAsString(root);
    }

    private static ObjectNode message(ScriptedStream s) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", "msg_fake01");
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", s.model());
        m.putArray("content");
        m.putNull("stop_reason");
        m.putNull("stop_sequence");
        return m;
    }

    @Override
    public String streamBody(ScriptedStream s) {
        StringBuilder out = new StringBuilder();
        ObjectNode start = JSON.createObjectNode();
        start.put("type", "message_start");
        ObjectNode message = message(s);
        Usage usage = usageOf(s);
        message.set("usage", usage(usage, Math.min(1, usage.completionTokens()), true));
        start.set("message", message);
        event(out, "message_start", start, "");
        if (append(out, s.rawEventsAt(0))) {
            return out.toString();
        }
        int sent = 0;
        int index = 0;
        boolean pinged = false;
        for (Block b : blocks(s)) {
            boolean tool = b.type.equals("tool_use");
            if (tool && sent == s.cutAfter()) {
                return out.toString();
            }
            ObjectNode blockStart = JSON.createObjectNode();
            blockStart.put("type", "content_block_start");
            blockStart.put("index", index);
            ObjectNode cb = blockStart.putObject("content_block");
            cb.put("type", b.type);
            if (b.type.equals("thinking")) {
                cb.put("thinking", "");
                cb.put("signature", "");
            } else if (b.type.equals("text")) {
                cb.put("text", "");
            } else {
                cb.put("id", b.id);
                cb.put("name", b.name);
                cb.putObject("input");
                cb.putObject("caller").put("type", "direct");
            }
            event(out, "content_block_start", blockStart, "");
            if (!pinged) {
                out.append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
                pinged = true;
            }
            if (tool) {
                out.append(delta(index, "input_json_delta", "partial_json", ""));
                sent++; // the call's start is one of the script's deltas
                if (append(out, s.rawEventsAt(sent))) {
                    return out.toString();
                }
            }
            for (ChatDelta d : b.deltas) {
                if (sent == s.cutAfter()) {
                    return out.toString();
                }
                if (d instanceof ChatDelta.Text t) {
                    out.append(delta(index, "text_delta", "text", t.text()));
                } else if (d instanceof ChatDelta.Reasoning r) {
                    out.append(delta(index, "thinking_delta", "thinking", r.text()));
                } else if (d instanceof ChatDelta.ToolCallArguments a) {
                    out.append(delta(index, "input_json_delta", "partial_json", a.fragment()));
                }
                sent++;
                if (append(out, s.rawEventsAt(sent))) {
                    return out.toString();
                }
            }
            if (sent == s.cutAfter()) {
                return out.toString();
            }
            if (b.type.equals("thinking")) {
                out.append(delta(index, "thinking_delta", "thinking", ""));
                out.append(delta(index, "signature_delta", "signature", SIGNATURE));
            }
            ObjectNode stop = JSON.createObjectNode();
            stop.put("type", "content_block_stop");
            stop.put("index", index);
            event(out, "content_block_stop", stop, "            ");
            index++;
        }
        if (sent == s.cutAfter()) {
            return out.toString();
        }
        ObjectNode md = JSON.createObjectNode();
        md.put("type", "message_delta");
        ObjectNode d = md.putObject("delta");
        d.put("stop_reason", stopReason(s.finishReason()));
        d.putNull("stop_sequence");
        md.set("usage", usage(usage, usage.completionTokens(), false));
        event(out, "message_delta", md, "");
        if (append(out, s.rawEventsAt(ScriptedStream.RawEvent.AT_END))) {
            return out.toString();
        }
        if (s.done()) {
            out.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        }
        return out.toString();
    }

    /** One content block of a script: a run of text or reasoning, or one tool call with all its fragments. */
    private static final class Block {
        final String type;
        final String id;
        final String name;
        final StringBuilder text = new StringBuilder();
        final List<ChatDelta> deltas = new ArrayList<>();

        Block(String type, String id, String name) {
            this.type = type;
            this.id = id;
            this.name = name;
        }
    }

    private static List<Block> blocks(ScriptedStream s) {
        List<Block> blocks = new ArrayList<>();
        Map<Integer, Block> calls = new HashMap<>();
        Block current = null;
        for (ChatDelta d : s.deltas()) {
            if (d instanceof ChatDelta.Text || d instanceof ChatDelta.Reasoning) {
                String type = d instanceof ChatDelta.Text ? "text" : "thinking";
                if (current == null || !current.type.equals(type)) {
                    current = new Block(type, null, null);
                    blocks.add(current);
                }
                current.text.append(d instanceof ChatDelta.Text t ? t.text() : ((ChatDelta.Reasoning) d).text());
                current.deltas.add(d);
            } else if (d instanceof ChatDelta.ToolCallStart st) {
                Block b = new Block("tool_use", st.id(), st.name());
                calls.put(st.index(), b);
                blocks.add(b);
                current = null;
            } else if (d instanceof ChatDelta.ToolCallArguments a) {
                Block b = calls.get(a.index());
                b.text.append(a.fragment());
                b.deltas.add(a);
                current = null;
            }
        }
        return blocks;
    }

    private static String delta(int index, String type, String field, String value) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", "content_block_delta");
        e.put("index", index);
        ObjectNode d = e.putObject("delta");
        d.put("type", type);
        d.put(field, value);
        StringBuilder out = new StringBuilder();
        event(out, "content_block_delta", e, "");
        return out.toString();
    }

    /** An event; padding goes before the closing brace, as the real server pads some events. */
    private static void event(StringBuilder out, String name, ObjectNode data, String padding) {
        String json = JSON.writeValueAsString(data);
        if (!padding.isEmpty()) {
            json = json.substring(0, json.length() - 1) + padding + "}";
        }
        out.append("event: ").append(name).append("\ndata: ").append(json).append("\n\n");
    }

    private static String stopReason(String finishReason) {
        switch (finishReason) {
            case "stop": return "end_turn";
            case "length": return "max_tokens";
            case "tool_calls": return "tool_use";
            case "content_filter": return "refusal";
            default: return finishReason;
        }
    }

    /** The usage a script reports; Anthropic always reports one, so none is zeros. */
    private static Usage usageOf(ScriptedStream s) {
        return s.usage() == null || s.usagePlacement() == ScriptedStream.UsagePlacement.NONE ? Usage.ZERO : s.usage();
    }

    /**
     * Usage as Anthropic writes it: the input without the cached and cache-written tokens; in a message
     * ({@code whole}) also the cache breakdown by lifetime, the service tier and the inference region,
     * which {@code message_delta} leaves out.
     */
    private static ObjectNode usage(Usage u, long output, boolean whole) {
        ObjectNode n = JSON.createObjectNode();
        n.put("input_tokens", Math.max(0, u.promptTokens() - u.cachedTokens() - u.cacheWriteTokens()));
        n.put("cache_creation_input_tokens", u.cacheWriteTokens());
        n.put("cache_read_input_tokens", u.cachedTokens());
        if (whole) {
            ObjectNode cache = n.putObject("cache_creation");
            cache.put("ephemeral_5m_input_tokens", u.cacheWriteTokens());
            cache.put("ephemeral_1h_input_tokens", 0);
        }
        n.put("output_tokens", output);
        if (whole) {
            n.put("service_tier", "standard");
            n.put("inference_geo", "not_available");
        }
        return n;
    }

    /** Appends raw events; true when one of them is an {@code error} event, after which Anthropic sends nothing. */
    private static boolean append(StringBuilder out, String events) {
        out.append(events);
        return events.startsWith("event: error") || events.contains("\n\nevent: error");
    }

    @Override
    public String streamContentType() {
        return "text/event-stream; charset=utf-8";
    }

    @Override
    public String errorBody(String type, String message) {
        return errorBody(-1, type, message, "req_fake0001");
    }

    @Override
    public String errorBody(int status, String type, String message, String requestId) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", type != null ? type : "api_error");
        error.put("message", message);
        if (requestId != null) {
            root.put("request_id", requestId);
        }
        return JSON.writeValueAsString(root);
    }

    @Override
    public Reply generate(RecordedRequest request, FakeServer server) {
        return GeneratedReplies.anthropic(this, request, server);
    }

    @Override
    public boolean modelsReportWindows() {
        return true;
    }

    @Override
    public String requestIdHeader() {
        return "request-id";
    }

    @Override
    public String errorEvent(String type, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("details", (String) null);
        error.put("type", type);
        error.put("message", message);
        return "event: error\ndata: " + JSON.writeValueAsString(root);
    }

    @Override
    public String malformedEvent() {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}";
    }

    @Override
    public boolean reportsReasoningTokens() {
        return false;
    }

    @Override
    public Set<String> requiredOptions() {
        return Set.of("maxTokens");
    }

    @Override
    public List<ChatMessage> messages(RecordedRequest request) {
        List<ChatMessage> out = new ArrayList<>();
        JsonNode body = request.json();
        JsonNode system = body.get("system");
        if (system != null) {
            if (system.isString()) {
                out.add(ChatMessage.system(system.asString()));
            } else {
                StringBuilder sb = new StringBuilder();
                for (JsonNode b : system) {
                    sb.append(b.path("text").asString());
                }
                out.add(ChatMessage.system(sb.toString()));
            }
        }
        Map<String, String> toolNames = new LinkedHashMap<>();
        for (JsonNode m : body.path("messages")) {
            String role = m.path("role").asString();
            JsonNode content = m.path("content");
            if (role.equals("assistant")) {
                out.add(assistant(content, toolNames));
            } else if (role.equals("user")) {
                user(content, toolNames, out);
            } else {
                throw new IllegalArgumentException("unknown role '" + role + "' in " + m);
            }
        }
        return out;
    }

    private static AssistantMessage assistant(JsonNode content, Map<String, String> toolNames) {
        if (content.isString()) {
            return new AssistantMessage(content.asString(), "", List.of(), ProviderState.NONE);
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode b : content) {
            switch (b.path("type").asString()) {
                case "text":
                    text.append(b.path("text").asString());
                    break;
                case "thinking":
                    reasoning.append(b.path("thinking").asString());
                    break;
                case "tool_use":
                    toolNames.put(b.path("id").asString(), b.path("name").asString());
                    calls.add(new ToolCall(b.path("id").asString(), b.path("name").asString(),
                            JSON.writeValueAsString(b.path("input")), ToolCall.Status.COMPLETE));
                    break;
                default:
                    break; // redacted thinking and server blocks carry no text
            }
        }
        return new AssistantMessage(text.toString(), reasoning.toString(), calls, ProviderState.NONE);
    }

    private static void user(JsonNode content, Map<String, String> toolNames, List<ChatMessage> out) {
        if (content.isString()) {
            out.add(ChatMessage.user(content.asString()));
            return;
        }
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode b : content) {
            switch (b.path("type").asString()) {
                case "tool_result":
                    String id = b.path("tool_use_id").asString();
                    JsonNode c = b.path("content");
                    String text;
                    if (c.isString()) {
                        text = c.asString();
                    } else {
                        StringBuilder sb = new StringBuilder();
                        for (JsonNode part : c) {
                            sb.append(part.path("text").asString());
                        }
                        text = sb.toString();
                    }
                    out.add(new ToolMessage(id, toolNames.getOrDefault(id, ""), text, b.path("is_error").asBoolean(false)));
                    break;
                case "text":
                    parts.add(ContentPart.text(b.path("text").asString()));
                    break;
                case "image":
                    JsonNode source = b.path("source");
                    if ("base64".equals(source.path("type").asString())) {
                        parts.add(ContentPart.image(Base64.getDecoder().decode(source.path("data").asString()),
                                source.path("media_type").asString()));
                    } else {
                        parts.add(ContentPart.imageUrl(URI.create(source.path("url").asString())));
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unexpected user block " + b);
            }
        }
        if (!parts.isEmpty()) {
            out.add(new UserMessage(parts));
        }
    }

    @Override
    public Map<String, String> options(RecordedRequest request) {
        JsonNode body = request.json();
        Map<String, String> out = new TreeMap<>();
        copy(body, "model", out, "model");
        copy(body, "temperature", out, "temperature");
        copy(body, "top_p", out, "topP");
        copy(body, "max_tokens", out, "maxTokens");
        copy(body, "stop_sequences", out, "stop");
        copy(body, "stream", out, "stream");
        if (body.has("tools")) {
            List<String> names = new ArrayList<>();
            for (JsonNode t : body.get("tools")) {
                names.add(t.path("name").asString());
            }
            out.put("tools", String.join(",", names));
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null) {
            String type = choice.path("type").asString();
            out.put("toolChoice", type.equals("any") ? "required" : type.equals("tool") ? "tool:" + choice.path("name").asString()
                    : type);
            if (choice.has("disable_parallel_tool_use")) {
                out.put("parallelToolCalls", String.valueOf(!choice.get("disable_parallel_tool_use").asBoolean()));
            }
        }
        JsonNode format = body.path("output_config").get("format");
        if (format != null) {
            out.put("responseFormat", format.path("type").asString());
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
            case 401: return "authentication_error";
            case 402: return "billing_error";
            case 403: return "permission_error";
            case 404: return "not_found_error";
            case 413: return "request_too_large";
            case 429: return "rate_limit_error";
            case 504: return "timeout_error";
            case 529: return "overloaded_error";
            default: return status >= 500 ? "api_error" : status >= 400 ? "invalid_request_error" : null;
        }
    }
}
