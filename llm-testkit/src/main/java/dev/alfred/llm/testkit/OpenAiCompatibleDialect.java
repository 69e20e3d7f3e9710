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
 * The OpenAI chat-completions dialect, as one of two servers writes it, checked field by field against the
 * recorded exchanges of the corpus ({@code recordings/}, see {@code FakeDialectFidelityTest}):
 * <ul>
 *   <li>{@link Server#KIMI} (kimi-api.md §3–§5): usage in {@code choices[0].usage} of the finish chunk
 *       by default, no {@code system_fingerprint} (Kimi sends one only sometimes), {@code content: ""} beside tool calls
 *       and an {@code index} on each call of a whole message, Kimi's error types, {@code x-trace-id};</li>
 *   <li>{@link Server#OPENAI} (openai-compatible.md §1): usage only when the request asked with
 *       {@code stream_options.include_usage}, then in an extra chunk with {@code choices: []} and
 *       {@code usage: null} in every other chunk; every field a real chunk carries
 *       ({@code system_fingerprint}, {@code service_tier}, {@code logprobs: null},
 *       {@code finish_reason: null}, {@code refusal: null} in the first delta, {@code obfuscation}
 *       padding unless {@code stream_options.include_obfuscation} is false); a stream that starts with a
 *       tool call opens with it ({@code content: null}); a whole message with {@code refusal},
 *       {@code annotations: []}, {@code content: null} when there is no text; usage with every detail
 *       count; never any reasoning; error bodies in their full shape ({@code message}, {@code type},
 *       {@code param}, {@code code}), pretty-printed; {@code x-request-id}.</li>
 *   <li>{@link Server#VOYAGE}: Voyage AI's OpenAI-shaped embeddings API (Anthropic's recommended embeddings):
 *       {@code input_type} and {@code output_dimension}, usage with only {@code total_tokens}, errors as
 *       {@code {"detail": …}} (recorded), no request-id header; it has no chat and no model list.</li>
 * </ul>
 * Each generates embeddings, and Kimi its token count, and OpenAI and Kimi their model lists, when nothing
 * was queued ({@link #generate}; Kimi refuses embeddings with a 403, as its server does).
 * A script's refusal parts are OpenAI's {@code refusal} (Kimi has none: they are left out).
 */
final class OpenAiCompatibleDialect implements WireDialect {

    /** Which server's habits the dialect follows. */
    enum Server { KIMI, OPENAI, VOYAGE }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * OpenAI's reasoning models (o-series, gpt-5): their answers carry {@code system_fingerprint: null} and
     * no {@code logprobs} (recorded gpt-5 exchanges), where gpt-4o's carry a fingerprint and
     * {@code logprobs: null}.
     */
    private static final java.util.regex.Pattern REASONING_MODEL = java.util.regex.Pattern.compile("(o\\d.*|gpt-5.*)");

    private final Server server;

    OpenAiCompatibleDialect(Server server) {
        this.server = server;
    }

    @Override
    public String basePath() {
        return "/v1";
    }

    @Override
    public String requestIdHeader() {
        return server == Server.OPENAI ? "x-request-id" : server == Server.KIMI ? "x-trace-id" : null;
    }

    @Override
    public Reply generate(RecordedRequest request, FakeServer server) {
        return GeneratedReplies.openAiCompatible(this, this.server, request, server);
    }

    @Override
    public boolean modelsReportWindows() {
        return server == Server.KIMI;
    }

    @Override
    public String chatBody(ScriptedStream s) {
        boolean openai = server == Server.OPENAI;
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-fake");
        root.put("object", "chat.completion");
        root.put("created", 1787593184L);
        root.put("model", s.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        String refusal = Deltas.join(s.deltas(), ChatDelta.Kind.REFUSAL);
        if (openai && (s.text().isEmpty() && (!s.toolCalls().isEmpty() || !refusal.isEmpty()))) {
            message.putNull("content"); // a tool-call-only answer or a refusal has no text: OpenAI sends null
        } else {
            message.put("content", s.text()); // Kimi sends "" beside tool calls (kimi-api.md §3, K3 capture)
        }
        if (openai) {
            if (refusal.isEmpty()) {
                message.putNull("refusal");
            } else {
                message.put("refusal", refusal);
            }
        } else if (!s.reasoning().isEmpty()) {
            message.put("reasoning_content", s.reasoning()); // OpenAI never sends its reasoning
        }
        List<ToolCall> calls = s.toolCalls();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall c = calls.get(i);
            ObjectNode call = message.withArray("tool_calls").addObject();
            if (!openai) {
                call.put("index", i); // Kimi numbers the calls of a whole message too; OpenAI does not
            }
            call.put("id", c.id());
            call.put("type", "function");
            call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
        }
        boolean reasoningModel = REASONING_MODEL.matcher(s.model()).matches();
        if (openai) {
            message.putArray("annotations");
            if (!reasoningModel) {
                choice.putNull("logprobs");
            }
        }
        choice.put("finish_reason", s.finishReason());
        if (s.usage() != null) {
            root.set("usage", usage(s.usage()));
        }
        if (openai) {
            root.put("service_tier", "default");
            if (reasoningModel) {
                root.putNull("system_fingerprint");
            } else {
                root.put("system_fingerprint", "fp_fake0001");
            }
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
        // OpenAI pads every chunk with "obfuscation" unless the request turned it off
        boolean obfuscation = openai && (request == null
                || request.json().path("stream_options").path("include_obfuscation").asBoolean(true));
        ScriptedStream.UsagePlacement placement = s.usagePlacement();
        if (placement == ScriptedStream.UsagePlacement.SERVER_DEFAULT) {
            placement = !openai ? ScriptedStream.UsagePlacement.CHOICE
                    : askedForUsage ? ScriptedStream.UsagePlacement.TOP_LEVEL : ScriptedStream.UsagePlacement.NONE;
        }
        boolean nullUsage = openai && askedForUsage;
        Chunks out = new Chunks(obfuscation);
        // OpenAI opens a stream that starts with a tool call with that call (content null), not apart; raw
        // events placed before the first delta then come before that first chunk
        boolean toolFirst = openai && !s.deltas().isEmpty() && s.deltas().get(0) instanceof ChatDelta.ToolCallStart;
        ObjectNode opening = chunk(s, nullUsage);
        ObjectNode openingDelta = ((ObjectNode) opening.withArray("choices").get(0)).putObject("delta");
        openingDelta.put("role", "assistant");
        if (toolFirst) {
            openingDelta.putNull("content");
        } else {
            openingDelta.put("content", "");
        }
        if (openai) {
            openingDelta.putNull("refusal");
        }
        if (!toolFirst) {
            out.event(opening);
        }
        out.raw(s.rawEventsAt(0));
        int sent = 0;
        for (ChatDelta d : s.deltas()) {
            if (sent == s.cutAfter()) {
                return out.toString(); // the connection is lost mid-answer
            }
            ObjectNode c = chunk(s, nullUsage);
            ObjectNode delta = ((ObjectNode) c.withArray("choices").get(0)).putObject("delta");
            if (sent == 0 && toolFirst) {
                c = opening;
                delta = openingDelta;
            }
            boolean write = true;
            if (d instanceof ChatDelta.Text t) {
                delta.put("content", t.text());
            } else if (d instanceof ChatDelta.Refusal r) {
                if (openai) {
                    delta.put("refusal", r.text());
                } else {
                    write = false; // Kimi has no refusal field
                }
            } else if (d instanceof ChatDelta.Reasoning r) {
                if (openai) {
                    write = false; // OpenAI never streams its reasoning
                } else {
                    delta.put("reasoning_content", r.text());
                }
            } else if (d instanceof ChatDelta.ToolCallStart start) {
                ObjectNode call = JSON.createObjectNode();
                if (s.toolShape() != ScriptedStream.ToolShape.INDEXLESS) {
                    call.put("index", start.index());
                }
                call.put("id", start.id());
                call.put("type", "function");
                String arguments = s.toolShape() == ScriptedStream.ToolShape.WHOLE ? arguments(s, start.index()) : "";
                call.putObject("function").put("name", start.name()).put("arguments", arguments);
                if (delta == openingDelta) {
                    // role, content null, the call, refusal null: the order OpenAI writes them in
                    openingDelta.remove("refusal");
                    openingDelta.putArray("tool_calls").add(call);
                    openingDelta.putNull("refusal");
                } else {
                    delta.putArray("tool_calls").add(call);
                }
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
                out.event(c);
            }
            sent++;
            out.raw(s.rawEventsAt(sent));
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
        out.event(last);
        if (any && (placement == ScriptedStream.UsagePlacement.TOP_LEVEL || placement == ScriptedStream.UsagePlacement.BOTH)) {
            ObjectNode u = chunk(s, false);
            u.putArray("choices");
            u.set("usage", usage(s.usage()));
            out.event(u);
        }
        out.raw(s.rawEventsAt(ScriptedStream.RawEvent.AT_END));
        if (s.done()) {
            out.raw("data: [DONE]\n\n");
        }
        return out.toString();
    }

    /** The events of a stream as written: each chunk as one {@code data:} line, padded when OpenAI pads. */
    private final class Chunks {
        private final StringBuilder out = new StringBuilder();
        private final boolean obfuscation;
        private int count;

        Chunks(boolean obfuscation) {
            this.obfuscation = obfuscation;
        }

        void event(ObjectNode chunk) {
            if (obfuscation) {
                // random characters on the real server, so that a chunk's length tells nothing; any will do
                chunk.put("obfuscation", "fAkEpAdDiNg".substring(0, 3 + count++ % 8));
            }
            out.append("data: ").append(JSON.writeValueAsString(chunk)).append("\n\n");
        }

        void raw(String events) {
            out.append(events);
        }

        @Override
        public String toString() {
            return out.toString();
        }
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
        if (server == Server.VOYAGE) {
            return JSON.writeValueAsString(root.put("detail", message)); // Voyage's recorded error shape
        }
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
        boolean reasoningModel = REASONING_MODEL.matcher(s.model()).matches();
        if (server == Server.OPENAI) {
            c.put("service_tier", "default");
            if (reasoningModel) {
                c.putNull("system_fingerprint");
            } else {
                c.put("system_fingerprint", "fp_fake0001");
            }
        }
        ArrayNode choices = c.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        if (server == Server.OPENAI && !reasoningModel) {
            choice.putNull("logprobs");
        }
        choice.putNull("finish_reason"); // every chunk but the last says null (OpenAI; Kimi, kimi-api.md §4)
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
        ObjectNode prompt = n.putObject("prompt_tokens_details").put("cached_tokens", u.cachedTokens());
        ObjectNode completion = n.putObject("completion_tokens_details").put("reasoning_tokens", u.reasoningTokens());
        if (server == Server.OPENAI) {
            prompt.put("audio_tokens", 0);
            completion.put("audio_tokens", 0);
            completion.put("accepted_prediction_tokens", 0);
            completion.put("rejected_prediction_tokens", 0);
        }
        return n;
    }

}
