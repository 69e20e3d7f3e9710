package dev.alfred.llm.testkit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A fake LLM API on loopback, in the manner of OkHttp's MockWebServer, built on WireMock: enqueue
 * replies (answers, streams, errors, faults), point a provider at {@link #baseUri()}, then inspect the
 * requests it received, in order. Replies are served first in, first out, also under concurrency; when
 * the queue is empty the {@linkplain #setDefault default} reply is served (initially a 500 error that
 * says no reply was enqueued).
 *
 * <pre>{@code
 * try (FakeServer server = FakeServer.start()) {
 *     server.enqueue(Reply.stream("Hel", "lo"));
 *     LlmProvider p = KimiProvider.builder().apiKey("sk-test").baseUrl(server.baseUri()).build();
 *     …
 *     assertEquals("POST", server.takeRequest().method());
 * }
 * }</pre>
 */
public final class FakeServer implements AutoCloseable {

    private static final String NAME = "alfred-fake-server-queue";

    private final WireDialect dialect;
    private final WireMockServer server;
    private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<RecordedRequest> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile Reply fallback;

    private FakeServer(WireDialect dialect) {
        this.dialect = dialect;
        this.fallback = Reply.error(500, "fake_server_error", "no reply was enqueued for this request");
        this.server = new WireMockServer(options()
                .bindAddress("127.0.0.1")
                .dynamicPort()
                .containerThreads(64)
                .asynchronousResponseEnabled(false)
                .disableRequestJournal()
                .extensions(new QueueTransformer()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ResponseDefinitionBuilder.responseDefinition().withStatus(500)));
    }

    /**
     * Starts a server speaking the OpenAI-compatible dialect on a free loopback port.
     *
     * @return the running server
     */
    public static FakeServer start() {
        return start(WireDialect.openAiCompatible());
    }

    /**
     * Starts a server speaking the given dialect on a free loopback port.
     *
     * @param dialect the wire format
     * @return the running server
     */
    public static FakeServer start(WireDialect dialect) {
        return new FakeServer(Objects.requireNonNull(dialect, "dialect"));
    }

    /**
     * The base URL to give a provider, such as {@code http://127.0.0.1:49152/v1}.
     *
     * @return the base URL
     */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port() + dialect.basePath());
    }

    /**
     * The dialect the server speaks.
     *
     * @return the dialect
     */
    public WireDialect dialect() {
        return dialect;
    }

    /**
     * Queues a reply for the next request that finds the queue at this point.
     *
     * @param reply the reply
     * @return this server
     */
    public FakeServer enqueue(Reply reply) {
        queue.add(Objects.requireNonNull(reply, "reply"));
        return this;
    }

    /**
     * Sets the reply served whenever the queue is empty, such as an always-503 server.
     *
     * @param reply the reply
     * @return this server
     */
    public FakeServer setDefault(Reply reply) {
        this.fallback = Objects.requireNonNull(reply, "reply");
        return this;
    }

    /**
     * The oldest received request not yet taken.
     *
     * @return the request
     * @throws AssertionError if no request is left
     */
    public RecordedRequest takeRequest() {
        RecordedRequest r = received.poll();
        if (r == null) {
            throw new AssertionError("the fake server received no (further) request");
        }
        return r;
    }

    /**
     * Every received request not yet taken, oldest first; they are taken.
     *
     * @return the requests
     */
    public List<RecordedRequest> takeRequests() {
        List<RecordedRequest> all = new ArrayList<>();
        RecordedRequest r;
        while ((r = received.poll()) != null) {
            all.add(r);
        }
        return all;
    }

    /**
     * How many requests the server received since it started.
     *
     * @return the count
     */
    public int requestCount() {
        return count.get();
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.stop();
    }

    private ResponseDefinition render(Reply reply, RecordedRequest request) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition().withStatus(reply.status);
        reply.headers.forEach(b::withHeader);
        if (!reply.headDelay.isZero()) {
            b.withFixedDelay((int) reply.headDelay.toMillis());
        }
        switch (reply.kind) {
            case CHAT:
                b.withHeader("Content-Type", "application/json").withBody(dialect.chatBody(reply.script));
                break;
            case STREAM:
                ScriptedStream s = reply.script;
                byte[] body = dialect.streamBody(s, request).getBytes(StandardCharsets.UTF_8);
                if (s.cutAtByte() >= 0 && s.cutAtByte() < body.length) {
                    body = java.util.Arrays.copyOf(body, s.cutAtByte());
                }
                b.withHeader("Content-Type", dialect.streamContentType()).withBody(body);
                if (s.chunks() > 1) {
                    b.withChunkedDribbleDelay(s.chunks(), (int) (s.chunkDelay().toMillis() * s.chunks()));
                }
                break;
            case ERROR:
                b.withHeader("Content-Type", "application/json").withBody(dialect.errorBody(reply.status, reply.errorType, reply.message));
                break;
            case RAW:
                b.withHeader("Content-Type", reply.contentType).withBody(reply.rawBody);
                break;
            case FAULT:
                b.withFault(com.github.tomakehurst.wiremock.http.Fault.valueOf(wireMockFault(reply.fault)));
                break;
            default:
                throw new IllegalStateException(reply.toString());
        }
        return b.build();
    }

    private static String wireMockFault(Reply.Fault fault) {
        switch (fault) {
            case CONNECTION_RESET: return "CONNECTION_RESET_BY_PEER";
            case EMPTY_REPLY: return "EMPTY_RESPONSE";
            case MALFORMED_CHUNK: return "MALFORMED_RESPONSE_CHUNK";
            default: return "RANDOM_DATA_THEN_CLOSE";
        }
    }

    private final class QueueTransformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            LoggedRequest req = event.getRequest();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HttpHeader h : req.getHeaders().all()) {
                headers.put(h.key().toLowerCase(Locale.ROOT), h.values());
            }
            RecordedRequest recorded = new RecordedRequest(req.getMethod().getName(), req.getUrl(), headers,
                    req.getBodyAsString());
            received.add(recorded);
            count.incrementAndGet();
            Reply next = queue.poll();
            return render(next != null ? next : fallback, recorded);
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
