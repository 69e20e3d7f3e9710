package dev.alfred.llm.cli.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OpenAI-compatible chat-completions server in Kimi's dialect, on the JDK's own
 * {@code com.sun.net.httpserver}, for alfred-chat's offline demo: it answers each chat request with the next
 * scripted {@link Answer}, streamed as server-sent events when the request asks for a stream. Beside chat,
 * unscripted: {@code POST /v1/embeddings} in OpenAI's shape with a bag-of-words hashing embedding
 * ({@link DemoEmbeddings}), and Kimi's {@code GET /v1/models} and
 * {@code POST /v1/tokenizers/estimate-token-count} ({@link DemoCatalogue}). It binds loopback only.
 * Thread-safe; close it to stop it.
 */
public final class ScriptedServer implements AutoCloseable {

    /** What the server answers with, one per request, first in first out. */
    public sealed interface Answer permits Reply, ToolCallReply, Failure {
    }

    /** In a {@link Reply}'s text, stands for the content of the request's last tool message. */
    public static final String TOOL_RESULT = "{tool-result}";

    /**
     * An answer that asks for one tool call (streamed only).
     *
     * @param model     the model reported
     * @param id        the call's id
     * @param name      the tool's name
     * @param arguments the arguments, JSON text
     * @param usage     prompt, completion, cached and reasoning token counts (4 numbers)
     */
    public record ToolCallReply(String model, String id, String name, String arguments, long[] usage) implements Answer {
        /** Checks the usage. */
        public ToolCallReply {
            if (usage.length != 4) {
                throw new IllegalArgumentException("usage needs 4 counts: prompt, completion, cached, reasoning");
            }
        }
    }

    /**
     * A successful answer.
     *
     * @param model     the model reported
     * @param reasoning reasoning pieces, sent before the text
     * @param text      text pieces
     * @param usage     prompt, completion, cached and reasoning token counts (4 numbers)
     * @param pause     the pause between two streamed events
     */
    public record Reply(String model, List<String> reasoning, List<String> text, long[] usage, Duration pause)
            implements Answer {
        /** Copies the lists and checks the usage. */
        public Reply {
            reasoning = List.copyOf(reasoning);
            text = List.copyOf(text);
            if (usage.length != 4) {
                throw new IllegalArgumentException("usage needs 4 counts: prompt, completion, cached, reasoning");
            }
            Objects.requireNonNull(pause, "pause");
        }
    }

    /**
     * An error response.
     *
     * @param status  the HTTP status
     * @param type    the error type
     * @param message the error message
     * @param headers extra response headers, such as {@code retry-after-ms}
     */
    public record Failure(int status, String type, String message, Map<String, String> headers) implements Answer {
        /** Copies the headers. */
        public Failure {
            headers = Map.copyOf(headers);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService workers;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();

    private ScriptedServer(HttpServer server, ExecutorService workers) {
        this.server = server;
        this.workers = workers;
    }

    /**
     * Starts a server on a free loopback port.
     *
     * @return the running server
     * @throws UncheckedIOException if no port can be bound
     */
    public static ScriptedServer start() {
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "alfred-chat-demo-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ScriptedServer s = new ScriptedServer(http, workers);
            http.createContext("/", s::handle);
            http.setExecutor(workers);
            http.start();
            return s;
        } catch (IOException e) {
            workers.shutdownNow();
            throw new UncheckedIOException("cannot start the demo server on loopback", e);
        }
    }

    /**
     * The base URL to point a provider at.
     *
     * @return {@code http://127.0.0.1:<port>/v1}
     */
    public URI baseUri() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort() + "/v1");
    }

    /**
     * Adds an answer to the end of the script.
     *
     * @param answer the answer
     */
    public synchronized void enqueue(Answer answer) {
        script.add(Objects.requireNonNull(answer, "answer"));
    }

    /**
     * How many requests the server received.
     *
     * @return the count
     */
    public int requests() {
        return requests.get();
    }

    private synchronized Answer next() {
        return script.poll();
    }

    private void handle(HttpExchange exchange) {
        try {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            requests.incrementAndGet();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("POST") && path.endsWith("/embeddings")) {
                answerJson(exchange, DemoEmbeddings.answer(JSON, body));
                return;
            }
            if (method.equals("GET") && path.endsWith("/models")) {
                send(exchange, 200, "application/json", JSON.writeValueAsBytes(DemoCatalogue.models(JSON)));
                return;
            }
            if (method.equals("POST") && path.endsWith("/tokenizers/estimate-token-count")) {
                answerJson(exchange, DemoCatalogue.estimate(JSON, body));
                return;
            }
            Answer answer = next();
            if (!method.equals("POST") || !path.endsWith("/chat/completions")) {
                answer = new Failure(404, "resource_not_found_error", "the demo serves POST /v1/chat/completions, POST /v1/embeddings, GET /v1/models and POST"
                        + " /v1/tokenizers/estimate-token-count only", Map.of());
            } else if (answer == null) {
                answer = new Failure(500, "server_error", "the demo server has no answer scripted for this request", Map.of());
            }
            JsonNode request = JSON.readTree(body);
            if (answer instanceof Reply r) {
                answer = withToolResult(r, request);
            }
            if (answer instanceof Failure f) {
                fail(exchange, f);
            } else if (answer instanceof ToolCallReply t) {
                toolCall(exchange, t);
            } else if (request.path("stream").asBoolean(false)) {
                stream(exchange, (Reply) answer);
            } else {
                whole(exchange, (Reply) answer);
            }
        } catch (IOException | InterruptedException clientGone) {
            // the client closed the connection (a cancelled stream): nothing to answer
            if (clientGone instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            exchange.close();
        }
    }

    /** The reply with {@link #TOOL_RESULT} replaced by the content of the request's last tool message. */
    private static Reply withToolResult(Reply r, JsonNode request) {
        String result = "(no tool result)";
        for (JsonNode m : request.path("messages")) {
            if (m.path("role").asString("").equals("tool")) {
                result = m.path("content").asString("");
            }
        }
        List<String> text = new ArrayList<>();
        for (String piece : r.text()) {
            text.add(piece.replace(TOOL_RESULT, result));
        }
        return new Reply(r.model(), r.reasoning(), text, r.usage(), r.pause());
    }

    /** Sends a JSON answer, or its error with the error's status. */
    private static void answerJson(HttpExchange exchange, DemoAnswer answer) throws IOException {
        if (answer instanceof DemoAnswer.Error e) {
            fail(exchange, new Failure(e.status(), e.type(), e.message(), Map.of()));
        } else {
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(((DemoAnswer.Body) answer).json()));
        }
    }

    private static void toolCall(HttpExchange exchange, ToolCallReply t) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        ObjectNode first = chunk(t.model(), null, null);
        ObjectNode call = ((ObjectNode) first.path("choices").get(0).path("delta")).putArray("tool_calls").addObject();
        call.put("index", 0);
        call.put("id", t.id());
        call.put("type", "function");
        call.putObject("function").put("name", t.name()).put("arguments", t.arguments());
        event(out, first);
        ObjectNode last = chunk(t.model(), null, null);
        ObjectNode choice = (ObjectNode) last.path("choices").get(0);
        choice.put("finish_reason", "tool_calls");
        usage(choice.putObject("usage"), t.usage());
        event(out, last);
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void fail(HttpExchange exchange, Failure f) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode e = error.putObject("error");
        e.put("message", f.message());
        e.put("type", f.type());
        f.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        send(exchange, f.status(), "application/json", JSON.writeValueAsBytes(error));
    }

    private static void whole(HttpExchange exchange, Reply r) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-demo");
        root.put("object", "chat.completion");
        root.put("model", r.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", String.join("", r.text()));
        if (!r.reasoning().isEmpty()) {
            message.put("reasoning_content", String.join("", r.reasoning()));
        }
        choice.put("finish_reason", "stop");
        usage(root.putObject("usage"), r.usage());
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(root));
    }

    private static void stream(HttpExchange exchange, Reply r) throws IOException, InterruptedException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String piece : r.reasoning()) {
            event(out, chunk(r.model(), "reasoning_content", piece));
            TimeUnit.NANOSECONDS.sleep(r.pause().toNanos());
        }
        for (String piece : r.text()) {
            event(out, chunk(r.model(), "content", piece));
            TimeUnit.NANOSECONDS.sleep(r.pause().toNanos());
        }
        ObjectNode last = chunk(r.model(), null, null);
        ObjectNode choice = (ObjectNode) last.path("choices").get(0);
        choice.put("finish_reason", "stop");
        usage(choice.putObject("usage"), r.usage()); // Kimi's place for it
        event(out, last);
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static ObjectNode chunk(String model, String field, String value) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-demo");
        root.put("object", "chat.completion.chunk");
        root.put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (field != null) {
            delta.put(field, value);
        }
        choice.putNull("finish_reason");
        return root;
    }

    private static void usage(ObjectNode u, long[] usage) {
        u.put("prompt_tokens", usage[0]);
        u.put("completion_tokens", usage[1]);
        u.put("total_tokens", usage[0] + usage[1]);
        u.put("cached_tokens", usage[2]);
        u.putObject("completion_tokens_details").put("reasoning_tokens", usage[3]);
    }

    private static void event(OutputStream out, ObjectNode data) throws IOException {
        out.write(("data: " + JSON.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops the server at once and ends its threads. */
    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
