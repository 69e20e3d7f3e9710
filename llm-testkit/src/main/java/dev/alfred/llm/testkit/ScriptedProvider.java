package dev.alfred.llm.testkit;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.ContextWindowExceededException;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.ResponseLimits;
import dev.alfred.llm.spi.AbstractChatStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * An in-process {@link LlmProvider} that answers from a script, for the tests of an application that
 * talks to {@code LlmProvider}: no HTTP, no socket, no thread of its own. It takes the same script
 * vocabulary as the {@link FakeServer} ({@link Reply} and {@link ScriptedStream}), serves the replies
 * first in, first out (then the {@linkplain #setDefault default}, initially a 500 error that says no
 * reply was enqueued), and records every request it received for the test's assertions.
 *
 * <pre>{@code
 * ScriptedProvider llm = ScriptedProvider.create();
 * llm.enqueue(Reply.chat("Paris"))
 *    .enqueue(Reply.stream(ScriptedStream.ofToolCall("call_1", "weather", "{\"city\":", "\"Paris\"}")))
 *    .enqueue(Reply.error(429, "rate_limit_exceeded", "slow down").withHeader("Retry-After", "7"));
 * Bot bot = new Bot(llm);                        // the application's code, given the port
 * …
 * ChatRequest sent = llm.takeRequest().request();
 * assertEquals("What is the capital of France?", ((UserMessage) sent.messages().get(0)).text());
 * }</pre>
 *
 * <h2>How each reply is served</h2>
 * <ul>
 *   <li>{@link Reply#chat} and {@link Reply#stream} answer either call: {@link #chat} returns the whole
 *       answer, {@link #stream} hands out its deltas in order (text, reasoning, refusals, tool-call
 *       starts and fragments; the ends of the tool calls follow, judged as a real provider judges them:
 *       a {@code length} finish makes them {@code TRUNCATED}, arguments that are not JSON
 *       {@code INVALID_JSON}). The model, usage ({@link ScriptedStream.UsagePlacement#NONE NONE}: none)
 *       and finish reason are the script's. A script's stream-delivery faults apply to both calls, since
 *       {@code chat} of a stream is that stream read to its end: {@link ScriptedStream#cutAfter cutAfter}
 *       and {@link ScriptedStream#withoutDone withoutDone} fail it with a retryable
 *       {@link ProviderUnavailableException} (inside a {@code StreamInterruptedException} keeping the
 *       partial answer once a delta was handed out), as the HTTP providers fail a cut stream. A
 *       {@linkplain ScriptedStream#withRawEventAt raw event} whose data is a JSON object with an
 *       {@code error} (OpenAI's and Anthropic's shapes) fails the stream at its place with the error
 *       mapped by its {@code type} or {@code code}, as an error event inside a stream is mapped; any
 *       other raw event is a malformed chunk: a {@link MalformedResponseException} at its place. The
 *       tool shape and the cutting into pieces are wire matters and change nothing here.</li>
 *   <li>{@link Reply#error} throws from {@code chat}, and from the first read of a {@code stream} (the
 *       HTTP providers send lazily too), the typed exception the library's providers throw for that
 *       status, type and message: 400 {@link InvalidRequestException} ({@link ContextWindowExceededException}
 *       when the message names the context: "maximum context length", "prompt is too long", …), 401/403
 *       {@link AuthenticationException}, 402 and a quota type or message ({@code insufficient_quota},
 *       {@code billing_not_active}, {@code credit_balance_exhausted}, {@code exceeded_current_quota_error},
 *       "exceeded your current quota", "credit balance is too low") {@link QuotaExceededException},
 *       429/529 and an {@code overloaded} type {@link RateLimitException}, 408/409/499 and 5xx
 *       {@link ProviderUnavailableException}, any other 4xx {@link InvalidRequestException}. The reply's
 *       {@code Retry-After} header (seconds) becomes {@link LlmException#retryAfter()}, its
 *       {@code x-should-retry} header {@link LlmException#retryDirective()}, its {@code x-request-id},
 *       {@code request-id} or {@code x-trace-id} header {@link LlmException#traceId()}.</li>
 *   <li>{@link Reply#raw} with a 4xx/5xx status is mapped the same way (a JSON error body gives its type
 *       and message; any other body is quoted as non-JSON); with a 2xx status it is an answer the
 *       provider cannot read: {@link MalformedResponseException}.</li>
 *   <li>{@link Reply#fault}: a connection reset or an empty reply is a retryable
 *       {@link ProviderUnavailableException}; a malformed chunk or random data a
 *       {@link MalformedResponseException}.</li>
 *   <li>{@link Reply#holdHead} holds the call (or the stream's first read) at its {@link Gate};
 *       {@link Reply#holdAfterDeltas} holds a stream after that many deltas. Closing the stream or the
 *       provider lets a held reader go with a typed error, and {@link #close()} releases every gate of
 *       every reply it was given.</li>
 *   <li>Refused when enqueued, with an {@link IllegalArgumentException} saying why: what exists only on
 *       a wire or on the wall clock ({@link Reply#recorded}, {@link Reply#holdAfter} by bytes,
 *       {@link ScriptedStream#cutAtByte}, {@link Reply#afterDelay}, a {@linkplain ScriptedStream#chunked
 *       paced} script). Use the {@link FakeServer} for those.</li>
 * </ul>
 *
 * <p>A request is checked against {@link #capabilities()} before it is recorded (by default every
 * feature, so nothing is refused; {@link #create(String, Capabilities)} narrows it), as the HTTP
 * providers check theirs. Exceptions name the provider's id and are built as the real providers build
 * them, so an application's error handling sees what it will see in production.
 *
 * <p>Thread-safe: replies are served and requests recorded in arrival order under one lock, also when
 * many threads call at once; a held reply holds only its own caller.
 */
public final class ScriptedProvider implements LlmProvider {

    /** Every feature: a scripted provider refuses nothing unless told to. */
    private static final Capabilities EVERYTHING = Capabilities.of(Capabilities.Feature.values());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> QUOTA_TYPES = Set.of("insufficient_quota", "billing_not_active",
            "credit_balance_exhausted", "exceeded_current_quota_error");

    /**
     * One request the provider received.
     *
     * @param request  the request, as the application sent it
     * @param streamed whether it came through {@link #stream} ({@code false}: {@link #chat})
     */
    public record Received(ChatRequest request, boolean streamed) {
        /**
         * Validates.
         *
         * @param request the request
         * @param streamed whether it was streamed
         * @throws NullPointerException if request is null
         */
        public Received {
            Objects.requireNonNull(request, "request");
        }
    }

    private final String id;
    private final Capabilities capabilities;
    private final Object lock = new Object();
    private final Deque<Reply> queue = new ArrayDeque<>();
    private final Deque<Received> received = new ArrayDeque<>();
    private final List<Received> all = new ArrayList<>();
    private final Set<Gate> gates = new CopyOnWriteArraySet<>();
    private Reply fallback = Reply.error(500, "server_error", "no reply was enqueued for this request");
    private volatile boolean closed;

    private ScriptedProvider(String id, Capabilities capabilities) {
        this.id = Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a provider id must not be blank");
        }
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
    }

    /**
     * A scripted provider named {@code scripted} that supports every feature.
     *
     * @return the provider, with an empty script
     */
    public static ScriptedProvider create() {
        return new ScriptedProvider("scripted", EVERYTHING);
    }

    /**
     * A scripted provider with its own id (as exceptions and listeners name it) and capabilities.
     *
     * @param id           the provider's id
     * @param capabilities what it supports; a request that needs more is refused before it is recorded
     * @return the provider, with an empty script
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the id is blank
     */
    public static ScriptedProvider create(String id, Capabilities capabilities) {
        return new ScriptedProvider(id, capabilities);
    }

    /**
     * Queues a reply for the next call that finds the queue at this point.
     *
     * @param reply the reply
     * @return this provider
     * @throws NullPointerException if reply is null
     * @throws IllegalArgumentException if the reply exists only on a wire or a clock (see the class comment)
     */
    public ScriptedProvider enqueue(Reply reply) {
        check(reply);
        synchronized (lock) {
            queue.add(reply);
        }
        return this;
    }

    /**
     * Sets the reply served whenever the queue is empty, such as an always-429 provider.
     *
     * @param reply the reply
     * @return this provider
     * @throws NullPointerException if reply is null
     * @throws IllegalArgumentException if the reply exists only on a wire or a clock (see the class comment)
     */
    public ScriptedProvider setDefault(Reply reply) {
        check(reply);
        synchronized (lock) {
            fallback = reply;
        }
        return this;
    }

    /**
     * The oldest received request not yet taken.
     *
     * @return the request and how it came
     * @throws AssertionError if no request is left
     */
    public Received takeRequest() {
        synchronized (lock) {
            Received r = received.poll();
            if (r == null) {
                throw new AssertionError(id + " received no (further) request");
            }
            return r;
        }
    }

    /**
     * Every received request, oldest first, taken or not.
     *
     * @return a snapshot
     */
    public List<Received> requests() {
        synchronized (lock) {
            return List.copyOf(all);
        }
    }

    /**
     * How many requests the provider received since it was created.
     *
     * @return the count
     */
    public int requestCount() {
        synchronized (lock) {
            return all.size();
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    /**
     * Answers with the next reply.
     *
     * @param request the request
     * @return the scripted answer
     * @throws LlmException the scripted failure, typed as the real providers type it; or, once closed,
     *                      one that says the provider is closed
     * @throws dev.alfred.llm.UnsupportedFeatureException if the request needs what {@link #capabilities()} lacks
     */
    @Override
    public ChatResponse chat(ChatRequest request) {
        try (ChatStream s = open(request, false)) {
            return s.response();
        }
    }

    /**
     * Streams the next reply; its failure, if scripted, comes with the first read.
     *
     * @param request the request
     * @return the stream
     * @throws LlmException once closed, one that says the provider is closed
     * @throws dev.alfred.llm.UnsupportedFeatureException if the request needs what {@link #capabilities()} lacks
     */
    @Override
    public ChatStream stream(ChatRequest request) {
        return open(request, true);
    }

    /** Stops: later calls fail, every gate of every reply it was given is released, held readers go. Idempotent. */
    @Override
    public void close() {
        closed = true;
        gates.forEach(Gate::release);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ScriptedProvider{" + id + ", " + queue.size() + " replies queued, " + all.size() + " received"
                    + (closed ? ", closed" : "") + "}";
        }
    }

    private Script open(ChatRequest request, boolean streamed) {
        Objects.requireNonNull(request, "request");
        if (closed) {
            throw new LlmException(id + ": provider is closed", id, -1, null, false, null, null);
        }
        capabilities.check(request, id);
        Reply reply;
        synchronized (lock) {
            Received r = new Received(request, streamed);
            received.add(r);
            all.add(r);
            reply = queue.isEmpty() ? fallback : queue.poll();
        }
        return new Script(reply);
    }

    private void check(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        String why = null;
        if (reply.kind == Reply.Kind.RECORDED) {
            why = "recorded bytes are a wire exchange";
        } else if (!reply.headDelay.isZero()) {
            why = "afterDelay pauses on the wall clock; hold the reply at a Gate (holdHead) instead";
        } else if (reply.holds.stream().anyMatch(h -> h.deltas() < 0)) {
            why = "holdAfter counts bytes on a wire; hold after deltas (holdAfterDeltas) instead";
        } else if (reply.script != null && !reply.script.chunkDelay().isZero()) {
            why = "a paced script waits on the wall clock; hold it at a Gate (holdAfterDeltas) instead";
        } else if (reply.script != null && reply.script.cutAtByte() >= 0) {
            why = "cutAtByte cuts wire bytes; cut after deltas (cutAfter) instead";
        }
        if (why != null) {
            throw new IllegalArgumentException(id + " cannot serve " + reply + ": " + why
                    + " (the FakeServer serves it over HTTP)");
        }
        gates.addAll(reply.gates());
        if (closed) {
            reply.gates().forEach(Gate::release);
        }
    }

    /** One reply, served as a stream; chat reads it to its end. */
    private final class Script extends AbstractChatStream {
        private final Reply reply;
        private final String traceId;
        private int next;
        private int heldThrough = -1;
        private boolean started;
        private boolean ended;

        Script(Reply reply) {
            super(id, new ResponseAccumulator(id, ResponseLimits.DEFAULT));
            this.reply = reply;
            this.traceId = header("x-request-id", "request-id", "x-trace-id");
        }

        @Override
        protected ChatDelta fetch() {
            if (!started) {
                started = true;
                if (reply.headGate != null) {
                    hold(reply.headGate);
                }
                LlmException failure = failureOf(reply);
                if (failure != null) {
                    throw failure;
                }
                reportModel(reply.script.model());
            }
            ScriptedStream s = reply.script;
            if (next > heldThrough) {
                // the deltas so far are out; what is placed after them comes next, then any hold there
                heldThrough = next;
                throwRawEventsAt(next);
                if (s.cutAfter() >= 0 && next >= s.cutAfter()) {
                    throw unavailable("the stream was cut after " + next + " deltas; the answer is incomplete");
                }
                holdAt(next);
            }
            if (next < s.deltas().size()) {
                return s.deltas().get(next++);
            }
            if (!ended) {
                ended = true;
                reportFinishReason(s.portFinishReason(), s.finishReason());
                if (s.usage() != null && s.usagePlacement() != ScriptedStream.UsagePlacement.NONE) {
                    reportUsage(s.usage());
                }
                throwRawEventsAt(ScriptedStream.RawEvent.AT_END);
                if (!s.done()) {
                    throw unavailable("the stream ended without its end marker; the answer is incomplete");
                }
            }
            return null;
        }

        @Override
        protected void abort() {
            gates.forEach(Gate::wake);
        }

        private void holdAt(int deltas) {
            for (Reply.Hold h : reply.holds) {
                if (h.deltas() == deltas) {
                    hold(h.gate());
                }
            }
        }

        private void hold(Gate gate) {
            if (!gate.pass(() -> isClosed() || closed) || isClosed() || closed) {
                throw new LlmException(id + ": stream was closed while its reply was held", id, -1, null, false,
                        null, null);
            }
        }

        private void throwRawEventsAt(int place) {
            for (ScriptedStream.RawEvent e : reply.script.rawEvents()) {
                if (e.afterDeltas() == place) {
                    throw rawEventFailure(e);
                }
            }
        }

        private LlmException rawEventFailure(ScriptedStream.RawEvent event) {
            JsonNode error = errorObject(dataOf(event.text()));
            if (error == null) {
                return new MalformedResponseException(id + ": a stream event that is not the API's shape: "
                        + snippet(event.text()), id, -1, traceId, null);
            }
            String type = text(error, "type");
            if (type == null) {
                type = text(error, "code");
            }
            String message = text(error, "message");
            int status = type != null && type.matches("[45]\\d\\d") ? Integer.parseInt(type) : -1;
            return mapped(status, status > 0 ? null : type, "error event in stream: "
                    + (message == null ? "(no message)" : message), null, null);
        }

        private LlmException failureOf(Reply r) {
            switch (r.kind) {
                case ERROR:
                    return withDirective(mapped(r.status, r.errorType, r.message, retryAfter(), traceId));
                case RAW:
                    if (r.status >= 400) {
                        JsonNode error = errorObject(r.rawBody);
                        String type = error == null ? null : text(error, "type");
                        String message = error == null ? null : text(error, "message");
                        return withDirective(mapped(r.status, type != null ? type : error == null ? null
                                : text(error, "code"), message != null ? message
                                : "non-JSON body: " + snippet(r.rawBody), retryAfter(), traceId));
                    }
                    return new MalformedResponseException(id + ": HTTP " + r.status + " with a body that is not an"
                            + " answer: " + snippet(r.rawBody), id, r.status, traceId, null);
                case FAULT:
                    if (r.fault == Reply.Fault.CONNECTION_RESET || r.fault == Reply.Fault.EMPTY_REPLY) {
                        return unavailable((r.fault == Reply.Fault.CONNECTION_RESET ? "the connection was reset"
                                : "the server closed the connection with no response") + " (" + r.fault + ")");
                    }
                    return new MalformedResponseException(id + ": a response that is not HTTP or not the API's"
                            + " shape (" + r.fault + ")", id, -1, traceId, null);
                default:
                    return null;
            }
        }

        private LlmException withDirective(LlmException e) {
            String v = header("x-should-retry");
            if ("true".equalsIgnoreCase(v)) {
                return e.withRetryDirective(true);
            }
            return "false".equalsIgnoreCase(v) ? e.withRetryDirective(false) : e;
        }

        private Duration retryAfter() {
            String v = header("retry-after");
            return v != null && v.strip().matches("\\d{1,9}") ? Duration.ofSeconds(Long.parseLong(v.strip())) : null;
        }

        private String header(String... names) {
            for (String name : names) {
                for (Map.Entry<String, String> h : reply.headers.entrySet()) {
                    if (h.getKey().equalsIgnoreCase(name)) {
                        return h.getValue();
                    }
                }
            }
            return null;
        }

        private LlmException unavailable(String message) {
            return new ProviderUnavailableException(id + ": " + message, id, -1, null, null, traceId, null);
        }
    }

    /** The exception the library's providers throw for a status, a type and a message. */
    private LlmException mapped(int status, String type, String message, Duration retryAfter, String traceId) {
        String m = message == null ? "(no message)" : message;
        String lower = m.toLowerCase(Locale.ROOT);
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        StringBuilder text = new StringBuilder(id).append(": ");
        if (status > 0) {
            text.append("HTTP ").append(status).append(' ');
        }
        text.append(type != null ? type + ": " : status > 0 ? "- " : "").append(m);
        if (traceId != null) {
            text.append(" (request id ").append(traceId).append(')');
        }
        String s = text.toString();
        if (QUOTA_TYPES.contains(t) || lower.contains("exceeded your current quota")
                || lower.contains("credit balance is too low") || status == 402
                || status <= 0 && (t.contains("quota") || t.contains("billing"))) {
            return new QuotaExceededException(s, id, status, type, traceId, null);
        }
        if (status == 529 || t.contains("overloaded") || status == 429 || status <= 0 && t.contains("rate_limit")) {
            return new RateLimitException(s, id, status, type, retryAfter, traceId, null);
        }
        if (status == 401 || status == 403 || status <= 0 && (t.contains("auth") || t.contains("permission"))) {
            return new AuthenticationException(s, id, status, type, traceId, null);
        }
        if (status == 400 && (lower.contains("context length") || lower.contains("context window")
                || lower.contains("prompt is too long") || lower.contains("exceeded model token limit")
                || lower.contains("input token length too long"))) {
            return new ContextWindowExceededException(s, id, status, type, traceId, null);
        }
        if (status >= 400 && status < 500 && status != 408 && status != 409 && status != 499
                || status <= 0 && (t.contains("invalid_request") || t.contains("content_filter")
                || t.contains("not_found") || t.contains("request_too_large"))) {
            return new InvalidRequestException(s, id, status, type, traceId, null);
        }
        return new ProviderUnavailableException(s, id, status, type, retryAfter, traceId, null);
    }

    /** The data of an event's text: the {@code data:} lines of a whole event, or the text itself. */
    private static String dataOf(String event) {
        boolean whole = event.startsWith("data:") || event.startsWith("event:") || event.startsWith("id:")
                || event.startsWith(":");
        if (!whole) {
            return event;
        }
        StringBuilder data = new StringBuilder();
        for (String line : event.split("\n")) {
            if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            }
        }
        return data.toString();
    }

    /** The {@code error} object of a JSON text, or null when the text is not JSON or has none. */
    private static JsonNode errorObject(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode error = root == null ? null : root.get("error");
            return error != null && error.isObject() ? error : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.isString() ? v.stringValue() : v.toString();
    }

    private static String snippet(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() <= 120 ? t : t.substring(0, 120) + "…";
    }
}
