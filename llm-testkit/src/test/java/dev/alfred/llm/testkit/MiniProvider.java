package dev.alfred.llm.testkit;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.SystemMessage;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.UserMessage;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.AbstractChatStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A deliberately small OpenAI-compatible provider, independent of llm-kimi, used to test the contract
 * kit itself: sound, it passes every rule; with one {@link Defect} switched on, it fails exactly the
 * rule that defect is there to show. Its timeouts run on the kit's clock ({@link ProviderTarget#clock()}),
 * checked on each advance by a small deadline list of its own, so the kit's timing rules cost it no time.
 */
class MiniProvider implements LlmProvider {

    /** One defect per rule of the kit, named for what goes wrong; the rule id that must catch it. */
    enum Defect {
        CHAT_LOSES_MODEL("C1"), ASSISTANT_SENT_AS_USER("C2"), UNSET_TEMPERATURE_SENT("C3"), CHAT_LOSES_REASONING("C4"),
        STREAM_LOSES_FINISH_REASON("S1"), STREAM_REASONING_AS_TEXT("S2"), STREAM_USAGE_ADDED_UP("S3"),
        CLOSE_CHANGES_COMPLETED_RESPONSE("S4"), EACH_READ_DECODED_ALONE("S5"), STREAM_NOT_ASKED_FOR("S6"),
        NOT_FOUND_AS_UNAVAILABLE("E1"), RETRY_AFTER_IGNORED("E2"), NON_JSON_ERROR_WITHOUT_STATUS("E3"),
        RESET_UNTYPED("F1"), MALFORMED_CHUNK_SKIPPED("F2"), MISSING_DONE_IS_SUCCESS("F3"), IDLE_TIMEOUT_UNTYPED("F4"),
        ERROR_EVENT_IGNORED("F5"), HEAD_TIMEOUT_UNTYPED("F6"), CLIENT_LEAKED_PER_STREAM("X1"),
        CLOSE_FROM_ANOTHER_THREAD_IGNORED("X2"), CLOSE_BEFORE_READING_IGNORED("X3"), NOT_REGISTERED("D1"),
        KEY_IN_TO_STRING("K1"), KEY_IN_MESSAGE("K2"), KEY_IN_LOG("K3"),
        STREAM_TOOL_FINISH_AS_STOP("T1"), CHAT_TOOL_CALLS_LOST("T2"), ODD_IDS_SANITISED("T3"),
        FRAGMENTS_TO_LATEST_CALL("T4"), INDEXLESS_ENTRIES_DROPPED("T5"), LENGTH_AS_STOP("T6"),
        EOF_AFTER_TOOL_CALL_IS_SUCCESS("T7"), INVALID_ARGUMENTS_FAIL_STREAM("T8"), REASONING_NOT_REPLAYED("T9"),
        TOOL_CHOICE_NOT_SENT("T10"), RESPONSE_FORMAT_NOT_SENT("J1"), IMAGE_DROPPED("I1"),
        UNSUPPORTED_SENT_ANYWAY("U1"), SHOULD_RETRY_IGNORED("E4"),
        NON_OBJECT_ARGUMENTS_DROPPED("T11"),
        COUNT_LAST_MESSAGE_ONLY("N1"), COUNT_KIND_MISSTATED("N2"), COUNT_ERROR_UNTYPED("N3"), MODEL_WINDOW_DROPPED("M1");

        final String rule;

        Defect(String rule) {
            this.rule = rule;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger LOG = LoggerFactory.getLogger(MiniProvider.class);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final LongSupplier clock;
    private final Set<Deadline> deadlines = ConcurrentHashMap.newKeySet();
    private final List<HttpClient> leaked = new ArrayList<>();
    private final URI endpoint;
    private final String base;
    private final String key;
    private final Duration idleTimeout;
    private final Duration headersTimeout;
    private final Defect defect;

    MiniProvider(ProviderTarget target) {
        this(target, null);
    }

    MiniProvider(ProviderTarget target, Defect defect) {
        this.endpoint = URI.create(target.baseUri() + "/chat/completions");
        this.base = target.baseUri().toString();
        this.key = target.apiKey();
        this.idleTimeout = target.idleTimeout();
        this.headersTimeout = target.headersTimeout();
        this.defect = defect;
        this.clock = target.clock();
        target.clock().onAdvance(this::tick);
    }

    /** A deadline on the kit's clock: its action runs once, on the first tick at or past it, unless disarmed. */
    private static final class Deadline {
        private final long at;
        private final Runnable action;
        private boolean done;
        private boolean fired;

        Deadline(long at, Runnable action) {
            this.at = at;
            this.action = action;
        }

        synchronized void check(long now) {
            if (!done && now - at >= 0) {
                done = true;
                fired = true;
                action.run();
            }
        }

        /** @return whether it fired (its action has then run to the end) */
        synchronized boolean disarm() {
            done = true;
            return fired;
        }
    }

    private Deadline arm(Duration timeout, Runnable action) {
        Deadline d = new Deadline(clock.getAsLong() + timeout.toNanos(), action);
        deadlines.add(d);
        return d;
    }

    private boolean disarm(Deadline d) {
        deadlines.remove(d);
        return d.disarm();
    }

    private void tick() {
        long now = clock.getAsLong();
        for (Deadline d : deadlines) {
            d.check(now);
        }
    }

    private boolean has(Defect d) {
        return defect == d;
    }

    @Override
    public String id() {
        return "mini";
    }

    /** Everything but images by URL, so that U1 has something to check. */
    private static final Capabilities CAPABILITIES = Capabilities.of(Capabilities.Feature.TOOLS,
            Capabilities.Feature.PARALLEL_TOOL_CALLS, Capabilities.Feature.BUILTIN_TOOLS, Capabilities.Feature.JSON_OBJECT,
            Capabilities.Feature.JSON_SCHEMA, Capabilities.Feature.IMAGES, Capabilities.Feature.REASONING);

    @Override
    public Capabilities capabilities() {
        return CAPABILITIES;
    }

    /** Kimi's estimate endpoint, as {@code SERVER} counts. */
    @Override
    public dev.alfred.llm.TokenCounter tokenCounter() {
        return request -> {
            ObjectNode body = JSON.createObjectNode();
            body.put("model", request.model() == null ? "mini-model" : request.model());
            List<ChatMessage> messages = request.messages();
            if (has(Defect.COUNT_LAST_MESSAGE_ONLY)) {
                messages = messages.subList(messages.size() - 1, messages.size());
            }
            for (ChatMessage m : messages) {
                message(body.withArray("messages").addObject(), m);
            }
            HttpResponse<String> r = get(HttpRequest.newBuilder(URI.create(base + "/tokenizers/estimate-token-count"))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
            if (r.statusCode() != 200) {
                if (has(Defect.COUNT_ERROR_UNTYPED)) {
                    throw new IllegalStateException("count failed: HTTP " + r.statusCode());
                }
                throw error(r.statusCode(), r.body(), r.headers().firstValue("retry-after").orElse(null), null);
            }
            long tokens = JSON.readTree(r.body()).path("data").path("total_tokens").asLong();
            return new dev.alfred.llm.TokenCount(tokens, has(Defect.COUNT_KIND_MISSTATED)
                    ? dev.alfred.llm.TokenCount.Kind.ESTIMATE : dev.alfred.llm.TokenCount.Kind.SERVER, "POST /v1/tokenizers/estimate-token-count");
        };
    }

    /** Kimi's model list, with its context_length. */
    @Override
    public List<dev.alfred.llm.ModelInfo> models() {
        HttpResponse<String> r = get(HttpRequest.newBuilder(URI.create(base + "/models")).GET());
        if (r.statusCode() != 200) {
            throw error(r.statusCode(), r.body(), null, null);
        }
        List<dev.alfred.llm.ModelInfo> out = new ArrayList<>();
        for (JsonNode m : JSON.readTree(r.body()).path("data")) {
            dev.alfred.llm.ModelInfo info = dev.alfred.llm.ModelInfo.ofId(m.path("id").asString());
            if (m.has("context_length") && !has(Defect.MODEL_WINDOW_DROPPED)) {
                info = info.withLimits(m.path("context_length").asInt(), null, dev.alfred.llm.ModelInfo.Origin.SERVER, null);
            }
            out.add(info);
        }
        return out;
    }

    private HttpResponse<String> get(HttpRequest.Builder request) {
        try {
            return client.send(request.header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ProviderUnavailableException("mini: " + e, "mini", -1, null, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException("mini: interrupted", e);
        }
    }

    private String id(String wire) {
        return has(Defect.ODD_IDS_SANITISED) ? wire.replaceAll("[^A-Za-z0-9_]", "_") : wire;
    }

    private void message(ObjectNode out, ChatMessage m) {
        String role = m.role().name().toLowerCase(Locale.ROOT);
        if (has(Defect.ASSISTANT_SENT_AS_USER) && m instanceof AssistantMessage a && a.toolCalls().isEmpty()) {
            role = "user";
        }
        out.put("role", role);
        if (m instanceof SystemMessage sm) {
            out.put("content", sm.content());
        } else if (m instanceof UserMessage u) {
            if (u.parts().size() == 1 && u.parts().get(0) instanceof ContentPart.Text t) {
                out.put("content", t.text());
                return;
            }
            for (ContentPart part : u.parts()) {
                if (part instanceof ContentPart.Text t) {
                    out.withArray("content").addObject().put("type", "text").put("text", t.text());
                } else if (part instanceof ContentPart.ImageBytes img && !has(Defect.IMAGE_DROPPED)) {
                    out.withArray("content").addObject().put("type", "image_url").putObject("image_url").put("url",
                            "data:" + img.mediaType() + ";base64," + Base64.getEncoder().encodeToString(img.data()));
                }
            }
        } else if (m instanceof AssistantMessage a) {
            out.put("content", a.content());
            if (!a.reasoning().isEmpty() && !(has(Defect.REASONING_NOT_REPLAYED) && !a.toolCalls().isEmpty())) {
                out.put("reasoning_content", a.reasoning());
            }
            for (ToolCall c : a.toolCalls()) {
                ObjectNode call = out.withArray("tool_calls").addObject().put("id", c.id()).put("type", "function");
                call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
            }
        } else if (m instanceof ToolMessage t) {
            out.put("tool_call_id", t.toolCallId()).put("name", t.toolName()).put("content", t.content());
        }
    }

    private HttpResponse<InputStream> send(ChatRequest request, boolean stream) {
        if (!has(Defect.UNSUPPORTED_SENT_ANYWAY)) {
            CAPABILITIES.check(request, "mini");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("model", request.model() == null ? "mini-model" : request.model());
        for (ChatMessage m : request.messages()) {
            message(body.withArray("messages").addObject(), m);
        }
        for (ToolDefinition t : request.tools()) {
            ObjectNode f = body.withArray("tools").addObject().put("type", "function").putObject("function");
            f.put("name", t.name());
            if (t.parameters() != null) {
                f.set("parameters", JSON.readTree(t.parameters().json()));
            }
        }
        ToolChoice choice = request.toolChoice();
        if (choice != null && !has(Defect.TOOL_CHOICE_NOT_SENT)) {
            if (choice.mode() == ToolChoice.Mode.TOOL) {
                body.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice.toolName());
            } else {
                body.put("tool_choice", choice.mode().name().toLowerCase(Locale.ROOT));
            }
        }
        if (request.parallelToolCalls() != null) {
            body.put("parallel_tool_calls", request.parallelToolCalls());
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.type() != ResponseFormat.Type.TEXT && !has(Defect.RESPONSE_FORMAT_NOT_SENT)) {
            ObjectNode f = body.putObject("response_format");
            if (format.type() == ResponseFormat.Type.JSON_OBJECT) {
                f.put("type", "json_object");
            } else {
                f.put("type", "json_schema").putObject("json_schema").put("name", format.name())
                        .set("schema", JSON.readTree(format.schema().json()));
            }
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        } else if (has(Defect.UNSET_TEMPERATURE_SENT)) {
            body.put("temperature", 1.0);
        }
        if (request.topP() != null) {
            body.put("top_p", request.topP());
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.stop() != null && !request.stop().isEmpty()) {
            request.stop().forEach(s -> body.withArray("stop").add(s));
        }
        if (stream && !has(Defect.STREAM_NOT_ASKED_FOR)) {
            body.put("stream", true);
        }
        if (has(Defect.KEY_IN_LOG)) {
            LOG.debug("mini: POST {} with key {}", endpoint, key);
        }
        HttpClient c = client;
        if (stream && has(Defect.CLIENT_LEAKED_PER_STREAM)) {
            c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            leaked.add(c); // kept, never closed: its selector thread stays
        }
        HttpRequest http = HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        // The head deadline interrupts the sending thread, which the JDK turns into a cancelled exchange.
        Thread sender = Thread.currentThread();
        Deadline head = arm(headersTimeout, sender::interrupt);
        try {
            HttpResponse<InputStream> response;
            try {
                response = c.send(http, HttpResponse.BodyHandlers.ofInputStream());
            } finally {
                if (disarm(head)) {
                    Thread.interrupted(); // the deadline's interrupt is spent, whatever ended the send
                }
            }
            if (head.fired) {
                response.body().close();
                throw headTimeout(null);
            }
            if (response.statusCode() != 200) {
                try (InputStream in = response.body()) {
                    LlmException e = error(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                            response.headers().firstValue("Retry-After").orElse(null),
                            response.headers().firstValue("x-trace-id").orElse(null));
                    String directive = response.headers().firstValue("x-should-retry").orElse("");
                    if (!has(Defect.SHOULD_RETRY_IGNORED) && (directive.equals("true") || directive.equals("false"))) {
                        e.withRetryDirective(directive.equals("true"));
                    }
                    throw e;
                }
            }
            return response;
        } catch (IOException e) {
            if (head.fired) {
                throw headTimeout(e);
            }
            if (has(Defect.RESET_UNTYPED)) {
                throw new LlmException("mini: " + e, e);
            }
            throw new ProviderUnavailableException("mini: " + e, "mini", -1, null, null, null);
        } catch (InterruptedException e) {
            if (head.fired) {
                throw headTimeout(e);
            }
            Thread.currentThread().interrupt();
            throw new LlmException("mini: interrupted", e);
        }
    }

    private LlmException headTimeout(Exception cause) {
        if (has(Defect.HEAD_TIMEOUT_UNTYPED)) {
            return new LlmException("mini: no head", cause);
        }
        return new ProviderUnavailableException("mini: no response head within " + headersTimeout, "mini", -1, null,
                null, cause);
    }

    /** An HTTP error as its exception, naming the server's request id (Kimi's x-trace-id, the key masked). */
    private LlmException error(int status, String body, String retryAfter, String rawTraceId) {
        String traceId = rawTraceId == null ? null : rawTraceId.replace(key, "****");
        String message;
        boolean json = true;
        try {
            message = JSON.readTree(body).path("error").path("message").asString();
        } catch (RuntimeException notJson) {
            message = body;
            json = false;
        }
        message = (!json && has(Defect.NON_JSON_ERROR_WITHOUT_STATUS) ? "mini: the server sent a page"
                : "mini: HTTP " + status + ": " + message);
        message = has(Defect.KEY_IN_MESSAGE) ? message + " (sent with key " + key + ")" : message.replace(key, "****");
        if (status == 401 || status == 403) {
            return new AuthenticationException(message, "mini", status, null, traceId, null);
        }
        if (status == 429) {
            Duration wait = retryAfter == null || has(Defect.RETRY_AFTER_IGNORED) ? null
                    : Duration.ofSeconds(Long.parseLong(retryAfter));
            return new RateLimitException(message, "mini", status, null, wait, traceId, null);
        }
        if (status >= 500 || (status == 404 && has(Defect.NOT_FOUND_AS_UNAVAILABLE))) {
            return new ProviderUnavailableException(message, "mini", status, null, null, traceId, null);
        }
        return new InvalidRequestException(message, "mini", status, null, traceId, null);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        try (InputStream in = send(request, false).body()) {
            JsonNode root = JSON.readTree(in);
            JsonNode choice = root.path("choices").path(0);
            ResponseAccumulator acc = new ResponseAccumulator();
            acc.accept(ChatDelta.text(choice.path("message").path("content").asString("")));
            if (!has(Defect.CHAT_LOSES_REASONING)) {
                acc.accept(ChatDelta.reasoning(choice.path("message").path("reasoning_content").asString("")));
            }
            if (!has(Defect.CHAT_TOOL_CALLS_LOST)) {
                int i = 0;
                for (JsonNode call : choice.path("message").path("tool_calls")) {
                    acc.accept(new ChatDelta.ToolCallStart(i, id(call.path("id").asString()),
                            call.path("function").path("name").asString()));
                    String args = call.path("function").path("arguments").asString("");
                    if (has(Defect.NON_OBJECT_ARGUMENTS_DROPPED) && !args.stripLeading().startsWith("{")) {
                        args = "";
                    }
                    acc.accept(new ChatDelta.ToolCallArguments(i++, args));
                }
            }
            if (!has(Defect.CHAT_LOSES_MODEL)) {
                acc.model(root.path("model").asString(null));
            }
            acc.usage(usage(root.get("usage")));
            acc.finishReason(finishReason(choice.path("finish_reason").asString("stop"), false), null);
            return acc.response();
        } catch (IOException e) {
            throw new ProviderUnavailableException("mini: " + e, "mini", -1, null, null, null);
        }
    }

    private FinishReason finishReason(String wire, boolean streamed) {
        switch (wire) {
            case "tool_calls":
                return streamed && has(Defect.STREAM_TOOL_FINISH_AS_STOP) ? FinishReason.STOP : FinishReason.TOOL_CALLS;
            case "length":
                return has(Defect.LENGTH_AS_STOP) ? FinishReason.STOP : FinishReason.LENGTH;
            default:
                return FinishReason.STOP;
        }
    }

    private static Usage usage(JsonNode u) {
        return u == null || u.isNull() ? null : new Usage(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(),
                u.path("total_tokens").asLong(), u.path("cached_tokens").asLong(), 0,
                u.path("completion_tokens_details").path("reasoning_tokens").asLong());
    }

    @Override
    public ChatStream stream(ChatRequest request) {
        MiniStream stream = new MiniStream(request);
        if (!has(Defect.CLOSE_CHANGES_COMPLETED_RESPONSE) && !has(Defect.CLOSE_BEFORE_READING_IGNORED)) {
            return stream;
        }
        return new ChatStream() {
            private boolean read;
            private boolean closed;
            private ChatResponse completed;

            @Override
            public Iterator<ChatDelta> iterator() {
                read = true;
                return stream.iterator();
            }

            @Override
            public ChatResponse response() {
                read = true;
                if (closed && completed != null && has(Defect.CLOSE_CHANGES_COMPLETED_RESPONSE)) {
                    return ChatResponse.of("");
                }
                completed = stream.response();
                return completed;
            }

            @Override
            public void close() {
                if (has(Defect.CLOSE_BEFORE_READING_IGNORED) && !read) {
                    return;
                }
                closed = true;
                stream.close();
            }
        };
    }

    /** Lines of an event stream, read on the caller's thread; the idle timer and close end a blocked read. */
    private final class MiniStream extends AbstractChatStream {
        private final ChatRequest request;
        private InputStream body;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private byte[] pending = new byte[0];
        private int pendingAt;
        private volatile Thread reading;
        /** The thread that reads the stream: the first to fetch. */
        private volatile Thread readerThread;
        private volatile boolean idle;
        private Usage reported;
        private final java.util.ArrayDeque<ChatDelta> ready = new java.util.ArrayDeque<>();
        private final java.util.Map<Integer, StringBuilder> arguments = new java.util.LinkedHashMap<>();
        private int latestCall = -1;

        MiniStream(ChatRequest request) {
            super("mini");
            this.request = request;
        }

        @Override
        protected ChatDelta fetch() {
            if (readerThread == null) {
                readerThread = Thread.currentThread();
            }
            if (body == null) {
                // The port wants failures, HTTP errors included, while reading, not from stream().
                body = send(request, true).body();
            }
            if (!ready.isEmpty()) {
                return ready.poll();
            }
            try {
                String l;
                while ((l = readLine()) != null) {
                    if (!l.startsWith("data:")) {
                        continue;
                    }
                    String data = l.substring(5).strip();
                    if (data.equals("[DONE]")) {
                        if (has(Defect.INVALID_ARGUMENTS_FAIL_STREAM)) {
                            for (StringBuilder a : arguments.values()) {
                                try {
                                    JSON.readTree(a.toString());
                                } catch (RuntimeException notJson) {
                                    throw new ProviderUnavailableException("mini: bad arguments", "mini", -1, null, null, null);
                                }
                            }
                        }
                        return null;
                    }
                    JsonNode chunk;
                    try {
                        chunk = JSON.readTree(data);
                    } catch (RuntimeException malformed) {
                        if (has(Defect.MALFORMED_CHUNK_SKIPPED)) {
                            continue;
                        }
                        throw new ProviderUnavailableException("mini: malformed chunk", "mini", -1, null, null, null);
                    }
                    if (chunk.has("error")) {
                        if (has(Defect.ERROR_EVENT_IGNORED)) {
                            continue;
                        }
                        String m = "mini: " + chunk.path("error").path("message").asString();
                        throw new ProviderUnavailableException(has(Defect.KEY_IN_MESSAGE) ? m : m.replace(key, "****"),
                                "mini", -1, null, null, null);
                    }
                    reportModel(chunk.path("model").asString(null));
                    JsonNode choice = chunk.path("choices").path(0);
                    Usage u = usage(chunk.has("usage") ? chunk.get("usage") : choice.get("usage"));
                    if (u != null && has(Defect.STREAM_USAGE_ADDED_UP) && reported != null) {
                        u = new Usage(reported.promptTokens() + u.promptTokens(), reported.completionTokens()
                                + u.completionTokens(), reported.totalTokens() + u.totalTokens(),
                                reported.cachedTokens() + u.cachedTokens(), 0, reported.reasoningTokens() + u.reasoningTokens());
                    }
                    if (u != null) {
                        reported = u;
                        reportUsage(u);
                    }
                    if (choice.path("finish_reason").isString() && !(has(Defect.STREAM_LOSES_FINISH_REASON)
                            && choice.path("finish_reason").asString().equals("stop"))) {
                        reportFinishReason(finishReason(choice.path("finish_reason").asString(), true));
                    }
                    for (JsonNode call : choice.path("delta").path("tool_calls")) {
                        toolCall(call);
                    }
                    String reasoning = choice.path("delta").path("reasoning_content").asString("");
                    if (!reasoning.isEmpty()) {
                        return has(Defect.STREAM_REASONING_AS_TEXT) ? ChatDelta.text(reasoning) : ChatDelta.reasoning(reasoning);
                    }
                    String content = choice.path("delta").path("content").asString("");
                    if (!content.isEmpty()) {
                        ready.addFirst(ChatDelta.text(content));
                    }
                    if (!ready.isEmpty()) {
                        return ready.poll();
                    }
                }
                if ((has(Defect.MISSING_DONE_IS_SUCCESS) && latestCall < 0)
                        || (has(Defect.EOF_AFTER_TOOL_CALL_IS_SUCCESS) && latestCall >= 0)) {
                    return null;
                }
                throw new ProviderUnavailableException("mini: stream ended before [DONE]", "mini", -1, null, null, null);
            } catch (IOException e) {
                if (idle) {
                    if (has(Defect.IDLE_TIMEOUT_UNTYPED)) {
                        throw new LlmException("mini: idle", e);
                    }
                    throw new ProviderUnavailableException("mini: no data for " + idleTimeout, "mini", -1, null, null, e);
                }
                throw new ProviderUnavailableException("mini: " + e, "mini", -1, null, null, null);
            }
        }

        private void toolCall(JsonNode call) {
            boolean indexed = call.has("index");
            if (!indexed && has(Defect.INDEXLESS_ENTRIES_DROPPED)) {
                return;
            }
            String callId = call.path("id").asString("");
            int index;
            if (indexed) {
                index = call.path("index").asInt();
            } else {
                index = !callId.isEmpty() ? latestCall + 1 : latestCall;
            }
            if (!callId.isEmpty() && !arguments.containsKey(index)) {
                arguments.put(index, new StringBuilder());
                latestCall = index;
                ready.add(new ChatDelta.ToolCallStart(index, id(callId), call.path("function").path("name").asString()));
            }
            String fragment = call.path("function").path("arguments").asString("");
            if (!fragment.isEmpty()) {
                int target = has(Defect.FRAGMENTS_TO_LATEST_CALL) ? latestCall : index;
                StringBuilder sofar = arguments.get(target);
                if (has(Defect.NON_OBJECT_ARGUMENTS_DROPPED)
                        && !(sofar.length() == 0 ? fragment.stripLeading() : sofar).toString().startsWith("{")) {
                    return;
                }
                arguments.get(target).append(fragment);
                ready.add(new ChatDelta.ToolCallArguments(target, fragment));
            }
        }

        /** One line, bytes split on LF; decoded whole unless the defect decodes each read alone. */
        private String readLine() throws IOException {
            StringBuilder decodedAlone = new StringBuilder();
            line.reset();
            while (true) {
                if (pendingAt >= pending.length) {
                    byte[] buf = new byte[8192];
                    int n = timedRead(buf);
                    if (n < 0) {
                        return line.size() == 0 && decodedAlone.length() == 0 ? null
                                : has(Defect.EACH_READ_DECODED_ALONE) ? decodedAlone.append(line.toString(StandardCharsets.UTF_8)).toString()
                                : line.toString(StandardCharsets.UTF_8);
                    }
                    pending = java.util.Arrays.copyOf(buf, n);
                    pendingAt = 0;
                    if (has(Defect.EACH_READ_DECODED_ALONE) && line.size() > 0) {
                        decodedAlone.append(line.toString(StandardCharsets.UTF_8)); // a character split by the read is lost
                        line.reset();
                    }
                }
                byte b = pending[pendingAt++];
                if (b == '\n') {
                    String rest = line.toString(StandardCharsets.UTF_8);
                    return has(Defect.EACH_READ_DECODED_ALONE) ? decodedAlone + rest : rest;
                }
                line.write(b);
            }
        }

        private int timedRead(byte[] buf) throws IOException {
            reading = Thread.currentThread();
            Deadline timer = arm(idleTimeout, () -> {
                idle = true;
                closeBody();
            });
            try {
                return body.read(buf);
            } finally {
                disarm(timer);
                reading = null;
            }
        }

        private void closeBody() {
            Thread r = reading;
            if (r != null) {
                r.interrupt(); // the JDK's response stream gives up a blocked read when interrupted
            }
            try {
                if (body != null) {
                    body.close();
                }
            } catch (IOException ignored) {
                // closing is best effort
            }
        }

        @Override
        protected void abort() {
            Thread r = readerThread;
            if (has(Defect.CLOSE_FROM_ANOTHER_THREAD_IGNORED) && r != null && Thread.currentThread() != r) {
                return; // a close from any thread but the one reading the stream is dropped
            }
            closeBody();
        }
    }

    @Override
    public void close() {
        deadlines.clear();
    }

    @Override
    public String toString() {
        return "MiniProvider{" + endpoint + (has(Defect.KEY_IN_TO_STRING) ? ", key=" + key : "") + "}";
    }
}
