package dev.alfred.llm.http;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.MalformedResponseException;
import dev.alfred.llm.ProviderEndpoint;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.RequestSettings;
import dev.alfred.llm.ResponseAccumulator;
import dev.alfred.llm.ResponseLimits;
import dev.alfred.llm.http.error.ErrorRules;
import dev.alfred.llm.http.internal.BodyFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The skeleton of a chat provider on llm-http, so that a provider writes its wire format and its
 * settings, not the call plumbing. It owns the {@link HttpTransport} and does, for every call: refuse
 * after {@link #close()}; check the request against {@link #capabilities()}; warn (once per type, and
 * on the response) about options meant for another provider; add the provider's extra headers and body
 * fields and the request's own ({@link RequestSettings}), which never replace the key, the provider's
 * headers, nor (unless the request says so) a body field the library writes; apply a request's own
 * deadline; and the common headers ({@code Content-Type}, {@code Accept},
 * {@code User-Agent}). {@link #chat} reads the whole body within {@link ResponseLimits#maxBodyBytes()},
 * maps an error status, and turns a body the subclass cannot read into a
 * {@link MalformedResponseException}; {@link #stream} hands the exchange to the subclass's
 * {@link EventStreamChatStream}. A call beside chat (a token count, a model catalogue's pages) goes
 * through {@link #call}, which does the same on the same transport, and a body it cannot read becomes
 * the same exception through {@link #malformed}. {@link #close()} cancels every exchange in flight and
 * returns at once.
 *
 * <p>A subclass supplies {@link #endpoint}, {@link #accepts}, {@link #encode}, {@link #authenticate},
 * {@link #decode} and {@link #newStream}, and its builder extends {@link HttpProviderBuilder}:
 *
 * <pre>{@code
 * final class AcmeProvider extends HttpChatProvider {
 *     AcmeProvider(Builder b) { super("acme", b, "x-request-id", ErrorRules.STANDARD); }
 *     ...
 * }
 * }</pre>
 *
 * Thread-safe: one instance serves many concurrent calls. {@link #toString()} leaves the key out.
 */
public abstract class HttpChatProvider implements LlmProvider {

    private static final Logger LOG = LoggerFactory.getLogger(HttpChatProvider.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** Headers this skeleton sets on every request. */
    private static final Set<String> COMMON_HEADERS = Set.of("content-type", "accept", "user-agent", "content-length",
            "host");

    private final String id;
    private final String apiKey;
    private final URI baseUrl;
    private final String model;
    private final HttpTransport http;
    private final ExchangeSettings settings;
    private final ResponseLimits limits;
    private final int maxLineBytes;
    private final Map<String, String> extraHeaders;
    private final Map<String, String> bodyFields;
    private final Set<String> reservedHeaders;
    private volatile boolean closed;

    /**
     * Makes the provider from its checked builder ({@link HttpProviderBuilder#checkSettings} was called).
     *
     * @param id              the provider's id, named in exceptions, listeners and provider state
     * @param settings        the checked builder
     * @param requestIdHeader the response header that carries the server's request id
     * @param rules           the provider's own reading of its errors, asked before the standard table
     * @throws NullPointerException if an argument is null
     */
    protected HttpChatProvider(String id, HttpProviderBuilder<?> settings, String requestIdHeader, ErrorRules rules) {
        this.id = Objects.requireNonNull(id, "id");
        this.apiKey = settings.apiKey();
        this.baseUrl = settings.baseUrl();
        this.model = settings.model();
        this.settings = settings.exchangeSettings(id, requestIdHeader, rules);
        this.limits = settings.limits();
        this.maxLineBytes = settings.maxLineBytes();
        this.extraHeaders = settings.extraHeaders();
        this.bodyFields = settings.bodyFields();
        this.reservedHeaders = settings.reservedHeaders();
        this.http = settings.transport();
    }

    /**
     * The URL a request goes to.
     *
     * @param request the request
     * @param stream  whether the answer streams
     * @return the URL, such as the base URL's {@code chat/completions}
     */
    protected abstract URI endpoint(ChatRequest request, boolean stream);

    /**
     * Whether the provider reads these options; others are ignored with a warning.
     *
     * @param options a request's options
     * @return true for the provider's own options type
     */
    protected abstract boolean accepts(ProviderOptions options);

    /**
     * The request body.
     *
     * @param request  the request
     * @param stream   whether to ask for a stream
     * @param warnings where to say what of the request the server cannot take (sent without it)
     * @return the body bytes
     * @throws LlmException (an {@link InvalidRequestException}) for a request the server cannot take at all
     */
    protected abstract byte[] encode(ChatRequest request, boolean stream, List<String> warnings);

    /**
     * Adds the key's header and the provider's own headers (an API version, betas) to a request. The
     * key is null for a loopback server that needs none.
     *
     * @param request the request being built
     * @param apiKey  the key, or null
     * @param stream  whether the answer streams
     */
    protected abstract void authenticate(HttpRequest.Builder request, String apiKey, boolean stream);

    /**
     * Folds a whole (non-streamed) 200 body into the answer.
     *
     * @param body      the body bytes
     * @param answer    the accumulator to fold into (text, reasoning, tool calls, usage, finish reason ...)
     * @param requestId the response's request id, scrubbed, or null
     * @throws LlmException      for an error the body carries
     * @throws RuntimeException  of any other kind when the body is not the API's shape: reported as a
     *                           {@link MalformedResponseException}
     */
    protected abstract void decode(byte[] body, ResponseAccumulator answer, String requestId);

    /**
     * The stream of an answer, over its exchange.
     *
     * @param exchange    the exchange, sent on the stream's first read
     * @param accumulator the stream's accumulator, with the provider's bounds
     * @param warnings    warnings the request raised, for the response
     * @return the stream
     */
    protected abstract EventStreamChatStream newStream(HttpExchange exchange, ResponseAccumulator accumulator,
                                                       List<String> warnings);

    @Override
    public final String id() {
        return id;
    }

    /**
     * The model used when a request names none.
     *
     * @return the model id
     */
    public final String model() {
        return model;
    }

    /**
     * The base URL requests go to.
     *
     * @return the base URL
     */
    public final URI baseUrl() {
        return baseUrl;
    }

    /**
     * The base URL and the default model, for observability.
     *
     * @return the endpoint
     */
    @Override
    public ProviderEndpoint endpoint() {
        return new ProviderEndpoint(baseUrl, model);
    }

    /**
     * The settings every exchange of this provider shares, for its streams.
     *
     * @return the settings
     */
    protected final ExchangeSettings settings() {
        return settings;
    }

    /**
     * The longest event-stream line this provider accepts, for its streams.
     *
     * @return the bound in bytes
     */
    protected final int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * How many exchanges this provider has in flight: sent and not yet ended.
     *
     * @return the count
     */
    public final int liveExchanges() {
        return http.liveExchanges();
    }

    @Override
    public final ChatResponse chat(ChatRequest request) {
        List<String> warnings = new ArrayList<>();
        Reply reply = readWhole(send(request, false, warnings));
        ResponseAccumulator answer = new ResponseAccumulator(id, limits);
        warnings.forEach(answer::warn);
        try {
            decode(reply.body(), answer, reply.requestId());
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed("malformed response body (" + e.getMessage() + ")", reply.requestId(), e);
        }
        return answer.response();
    }

    @Override
    public final ChatStream stream(ChatRequest request) {
        List<String> warnings = new ArrayList<>();
        HttpExchange exchange = send(request, true, warnings);
        return newStream(exchange, new ResponseAccumulator(id, limits), warnings);
    }

    /**
     * A call beside chat on this provider's own transport, such as a token count or a page of a model
     * catalogue: it goes out as a chat call does and is answered with the whole body. Refused after
     * {@link #close()} (with the message chat gives); sent with the common headers ({@code Accept:
     * application/json}, {@code User-Agent}, and {@code Content-Type: application/json} when there is a
     * body), the key and headers {@link #authenticate} adds, the provider's extra headers and the call's
     * own ({@link RequestSettings}, which cannot replace the provider's); a body gets the provider's and the
     * call's extra body fields as a chat body does. It runs on the provider's deadlines (the call's own
     * total timeout, if it sets one), watched and listed so that {@link #close()} cancels it from any
     * thread; a status other than 200 is thrown as the provider's error table maps it, with the key
     * scrubbed; the body is read within {@link ResponseLimits#maxBodyBytes()}. The exchange is cancelled
     * on any failure. Thread-safe.
     *
     * @param method the HTTP method, such as {@code GET} or {@code POST}
     * @param uri    the URL, such as {@code HttpTransport.resolve(baseUrl(), "models")}
     * @param body   the JSON body, or null to send none
     * @param own    the call's own settings ({@link RequestSettings#NONE} for none), such as a counted
     *               request's
     * @return the 200 response's whole body and its request id
     * @throws LlmException for a closed provider, an error status (typed), a timeout, a failed connection or
     *                      a cancel; a {@link dev.alfred.llm.ResponseTooLargeException} for a body over the
     *                      bound; an {@link InvalidRequestException} for own headers the provider sets, body
     *                      fields that clash with the body's, or body fields without a body
     * @throws NullPointerException if the method, URL or settings are null
     */
    protected final Reply call(String method, URI uri, byte[] body, RequestSettings own) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(own, "own");
        refuseWhenClosed();
        checkOwnHeaders(own);
        if (body == null && !own.bodyFields().isEmpty()) {
            throw new InvalidRequestException(id + ": body fields " + own.bodyFields().keySet() + " need a request"
                    + " body, and " + method + " " + settings.errors().scrubber().scrub(uri.toString())
                    + " has none", id, -1, null, null);
        }
        return readWhole(exchange(method, uri, body == null ? null : withBodyFields(body, own), false, own));
    }

    /**
     * The exception for a successful (200) answer that is not the API's shape, as {@link #chat} reports
     * one: a {@link MalformedResponseException}, not retryable, whose message names the provider, what was
     * wrong and the request id, and whose cause is a scrubbed copy. For the answers of {@link #call}.
     *
     * @param message   what was wrong, such as {@code "malformed models page (" + e.getMessage() + ")"};
     *                  scrubbed here
     * @param requestId the response's request id, or null
     * @param cause     what the decoder threw, or null
     * @return the exception, to be thrown
     */
    protected final MalformedResponseException malformed(String message, String requestId, RuntimeException cause) {
        return new MalformedResponseException(settings.errors().describe(200, null, message, requestId), id, 200,
                requestId, cause == null ? null : settings.errors().scrubber().scrubbedCopy(cause));
    }

    /**
     * The whole body of a successful answer to a {@link #call}, with its request id. The array is the
     * caller's; the record does not copy it.
     *
     * @param body      the body bytes, at most {@link ResponseLimits#maxBodyBytes()}
     * @param requestId the response's request id (the header the provider names), scrubbed, or null
     */
    protected record Reply(byte[] body, String requestId) {
        /**
         * Checks the body.
         *
         * @param body      the body
         * @param requestId the request id, or null
         * @throws NullPointerException if the body is null
         */
        public Reply {
            Objects.requireNonNull(body, "body");
        }
    }

    /** Sends an exchange and reads its whole successful body within the bound; cancels it on any failure. */
    private Reply readWhole(HttpExchange exchange) {
        try {
            exchange.successfulHeaders();
            String requestId = exchange.requestId();
            return new Reply(exchange.readAll(limits.maxBodyBytes(), true), requestId);
        } catch (RuntimeException | Error e) {
            exchange.cancel();
            throw e;
        }
    }

    private void refuseWhenClosed() {
        if (closed) {
            throw new LlmException(id + ": provider is closed", id, -1, null, false, null, null);
        }
    }

    private void checkOwnHeaders(RequestSettings own) {
        for (String name : own.headers().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (reservedHeaders.contains(lower) || COMMON_HEADERS.contains(lower)) {
                throw new InvalidRequestException(id + ": header '" + name + "' is set by the provider and a request"
                        + " cannot replace it", id, -1, null, null);
            }
        }
    }

    private HttpExchange send(ChatRequest request, boolean stream, List<String> warnings) {
        Objects.requireNonNull(request, "request");
        refuseWhenClosed();
        capabilities().check(request, id);
        for (ProviderOptions o : request.options()) {
            if (!accepts(o)) {
                String warning = "options " + o.getClass().getSimpleName() + " for provider '" + o.providerId()
                        + "' were ignored by " + id;
                warnings.add(warning);
                if (WARNED.add(id + " " + o.getClass().getName())) {
                    LOG.warn("{} (logged once per options type)", warning);
                }
            }
        }
        RequestSettings own = request.settings();
        checkOwnHeaders(own);
        byte[] body = withBodyFields(encode(request, stream, warnings), own);
        return exchange("POST", endpoint(request, stream), body, stream, own);
    }

    /** An exchange with the common headers, the key, the provider's and the call's own headers and deadline. */
    private HttpExchange exchange(String method, URI uri, byte[] body, boolean stream, RequestSettings own) {
        HttpRequest.Builder rb = HttpTransport.request(uri)
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .header("User-Agent", HttpTransport.USER_AGENT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            rb.header("Content-Type", "application/json");
        }
        authenticate(rb, apiKey, stream);
        extraHeaders.forEach((name, value) -> {
            if (!own.hasHeader(name)) {
                rb.header(name, value);
            }
        });
        own.headers().forEach(rb::header);
        ExchangeSettings exchangeSettings = own.timeout() == null ? settings
                : settings.withTotalTimeout(own.totalTimeout(settings.totalTimeout()));
        return http.exchange(rb.build(), body, exchangeSettings, stream);
    }

    /** The provider's and the request's extra body fields (the request's win) added to an encoded body. */
    private byte[] withBodyFields(byte[] body, RequestSettings own) {
        Map<String, String> fields = new java.util.LinkedHashMap<>(bodyFields);
        fields.putAll(own.bodyFields());
        try {
            return BodyFields.add(body, fields, own.replaceLibraryFields());
        } catch (BodyFields.Conflict e) {
            throw new InvalidRequestException(id + ": " + e.getMessage(), id, -1, null, null);
        }
    }

    /**
     * Cancels every exchange in flight (a reader blocked on one, on any thread, gets a typed error),
     * then shuts the HTTP client down if this provider created it. Returns at once on every JDK. Later
     * calls fail. Idempotent.
     */
    @Override
    public final void close() {
        closed = true;
        http.close();
    }

    /**
     * What this provider says of itself beyond its id, base URL and model, for {@link #toString()}, such as
     * {@code "dialect=groq"}; never a secret. Empty by default.
     *
     * @return the description, or empty
     */
    protected String describe() {
        return "";
    }

    /**
     * A description without secrets: the id, base URL (its secrets masked), model, and whether a key is set.
     *
     * @return the description
     */
    @Override
    public final String toString() {
        String more = describe();
        return getClass().getSimpleName() + "{id=" + id + (more.isEmpty() ? "" : ", " + more) + ", baseUrl="
                + settings.errors().scrubber().scrub(baseUrl.toString()) + ", model=" + model + ", apiKey="
                + (apiKey == null ? "none" : "****") + "}";
    }
}
