package dev.alfred.llm.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake LLM API on loopback, in the manner of OkHttp's MockWebServer: enqueue replies (answers,
 * streams, errors, faults, recorded bytes), point a provider at {@link #baseUri()}, then inspect the
 * requests it received, in order. Replies are served first in, first out, also under concurrency; when
 * the queue is empty the {@linkplain #setDefault default} reply is served: initially the
 * {@linkplain Reply#generated() generated} reply, which answers embeddings, the token-count endpoints and the
 * model catalogue as the dialect's real server does ({@link WireDialect#generate}; see
 * {@link #limitEmbeddingInputs} and {@link #setModels}), and any other path with a 500 error that says no
 * reply was enqueued.
 *
 * <p>The server is a small HTTP/1.1 server of its own on a plain {@link ServerSocket}, one thread per
 * connection: persistent connections, request bodies by {@code Content-Length} or chunked, answers by
 * {@code Content-Length} and streams chunked, each scripted piece flushed as its own HTTP chunk. That
 * lets a test control a reply by state rather than by time: a reply {@linkplain Reply#holdHead held} at
 * a {@link Gate} stays silent exactly until the test releases it, and {@link Reply#recorded} replays a
 * real exchange with its recorded chunk boundaries. Paced replies ({@link Reply#afterDelay},
 * {@link ScriptedStream#chunked}) still run on real time for the tests that want them. Every scripted
 * answer, stream and error names its exchange in the dialect's request-id header
 * ({@link WireDialect#requestIdHeader()}: {@code req_fake0001}, {@code req_fake0002}, … per server), as real
 * servers do, unless the reply sets that header itself or goes {@linkplain Reply#withoutHeader without} it;
 * recorded and raw replies carry only their own headers. {@link #close()}
 * releases every gate and ends every pause and connection, so nothing a test left held can hang.
 *
 * <pre>{@code
 * try (FakeServer server = FakeServer.start()) {
 *     server.enqueue(Reply.stream("Hel", "lo"));
 *     LlmProvider p = KimiProvider.builder().apiKey("sk-test").baseUrl(server.baseUri()).build();
 *     …
 *     assertEquals("POST", server.takeRequest().method());
 * }
 * }</pre>
 *
 * Thread-safe. Its threads are named {@code alfred-fake-server-…} (see {@link Threads}).
 */
public final class FakeServer implements AutoCloseable {

    /** The prefix of every thread the server starts. */
    static final String THREAD_PREFIX = "alfred-fake-server-";
    /** The default bound of {@link #awaitRequests(int)}: a generous hang bound, not a pacing. */
    private static final Duration AWAIT_BOUND = Duration.ofSeconds(20);
    /** How long {@link #close()} waits for its threads to end once their sockets are closed. */
    private static final long CLOSE_JOIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_HEAD_BYTES = 256 * 1024;
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] GARBAGE = "lskdu018973t09sylgasjkfg1][]'./.sdlv\r\n\u0000\u0001\u00ff"
            .getBytes(StandardCharsets.ISO_8859_1);

    private final WireDialect dialect;
    private final ServerSocket listener;
    private final int port;
    private final Thread acceptor;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<Gate> gates = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger connectionIds = new AtomicInteger();
    /** Numbers the request ids the server gives its scripted replies. */
    private final java.util.concurrent.atomic.AtomicLong requestIds = new java.util.concurrent.atomic.AtomicLong();
    /** Guards the queue, the received requests and the count, so that arrival order and serving order agree. */
    private final Object requests = new Object();
    private final ArrayDeque<Reply> queue = new ArrayDeque<>();
    private final ArrayDeque<RecordedRequest> received = new ArrayDeque<>();
    private int count;
    /** Requests taken whose reply is not yet over; guarded by {@link #requests}. */
    private int open;
    private Reply fallback;
    private volatile boolean closed;
    private volatile int embeddingInputLimit = Integer.MAX_VALUE;
    private volatile List<dev.alfred.llm.ModelInfo> models;

    private FakeServer(WireDialect dialect) {
        this.dialect = dialect;
        this.fallback = Reply.generated();
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        } catch (IOException e) {
            throw new IllegalStateException("the fake server could not listen on loopback", e);
        }
        port = listener.getLocalPort();
        acceptor = new Thread(this::accept, THREAD_PREFIX + port + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
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
     * @throws IllegalStateException if no loopback port can be bound
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
        return URI.create("http://127.0.0.1:" + port + dialect.basePath());
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
        Objects.requireNonNull(reply, "reply");
        reply.gates().forEach(this::track);
        synchronized (requests) {
            queue.add(reply);
        }
        return this;
    }

    /**
     * Sets the reply served whenever the queue is empty, such as an always-503 server.
     *
     * @param reply the reply
     * @return this server
     */
    public FakeServer setDefault(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        reply.gates().forEach(this::track);
        synchronized (requests) {
            fallback = reply;
        }
        return this;
    }

    /**
     * Sets how many inputs one embeddings request may carry before the server answers it with its 400, as
     * a real server does past its documented limit (OpenAI 2,048, Voyage AI 1,000), so batching can be
     * tested small. Unlimited until set.
     *
     * @param maxInputs the most inputs per request
     * @return this server
     * @throws IllegalArgumentException if maxInputs is not positive
     */
    public FakeServer limitEmbeddingInputs(int maxInputs) {
        if (maxInputs <= 0) {
            throw new IllegalArgumentException("the input limit must be positive, not " + maxInputs);
        }
        embeddingInputLimit = maxInputs;
        return this;
    }

    /**
     * How many inputs one generated embeddings request may carry.
     *
     * @return the limit; {@link Integer#MAX_VALUE} until {@link #limitEmbeddingInputs} is called
     */
    public int embeddingInputLimit() {
        return embeddingInputLimit;
    }

    /**
     * Sets the models the generated catalogue lists, in order, with the windows and features the dialect's
     * list reports (Kimi's {@code context_length}, Anthropic's {@code max_input_tokens} and
     * {@code max_tokens}); until set, each dialect lists a few real models of its server.
     *
     * @param models the models
     * @return this server
     * @throws NullPointerException if models is null
     */
    public FakeServer setModels(List<dev.alfred.llm.ModelInfo> models) {
        this.models = List.copyOf(models);
        return this;
    }

    /**
     * The models the generated catalogue lists.
     *
     * @param dialectDefault what the dialect lists when no test set any
     * @return the models set by {@link #setModels}, or {@code dialectDefault}
     */
    public List<dev.alfred.llm.ModelInfo> models(List<dev.alfred.llm.ModelInfo> dialectDefault) {
        List<dev.alfred.llm.ModelInfo> m = models;
        return m != null ? m : dialectDefault;
    }

    /**
     * How many requests the server has taken whose reply is not over: being written, or held at a
     * {@link Gate} by a client still connected. A client that gives up on an exchange held at a gate
     * (closes or resets its connection) ends it at once; so this falls to zero when a cancelled client
     * leaves no live exchange behind.
     *
     * @return the count
     */
    public int openExchanges() {
        synchronized (requests) {
            return open;
        }
    }

    /**
     * Waits until no exchange is open ({@link #openExchanges()} is zero): every reply written, every
     * client that gave up on a held reply gone.
     *
     * @param hangBound the most to wait, for a client that never lets go
     * @throws AssertionError if exchanges are still open after the bound
     * @throws IllegalStateException if the waiting thread is interrupted
     */
    public void awaitNoOpenExchange(Duration hangBound) {
        long deadline = System.nanoTime() + hangBound.toNanos();
        synchronized (requests) {
            while (open > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(open + " exchanges still open after " + hangBound
                            + ": a client kept its connection to a reply it gave up on");
                }
                try {
                    requests.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for open exchanges to end", e);
                }
            }
        }
    }

    /**
     * The oldest received request not yet taken.
     *
     * @return the request
     * @throws AssertionError if no request is left
     */
    public RecordedRequest takeRequest() {
        synchronized (requests) {
            RecordedRequest r = received.poll();
            if (r == null) {
                throw new AssertionError("the fake server received no (further) request");
            }
            return r;
        }
    }

    /**
     * Every received request not yet taken, oldest first; they are taken.
     *
     * @return the requests
     */
    public List<RecordedRequest> takeRequests() {
        synchronized (requests) {
            List<RecordedRequest> all = new ArrayList<>(received);
            received.clear();
            return all;
        }
    }

    /**
     * How many requests the server received since it started.
     *
     * @return the count
     */
    public int requestCount() {
        synchronized (requests) {
            return count;
        }
    }

    /**
     * Waits until the server has received at least {@code n} requests since it started (whole: line,
     * headers and body), within a generous hang bound of 20 s.
     *
     * @param n how many requests
     * @throws AssertionError if fewer arrived within the bound
     */
    public void awaitRequests(int n) {
        awaitRequests(n, AWAIT_BOUND);
    }

    /**
     * Waits until the server has received at least {@code n} requests since it started.
     *
     * @param n         how many requests
     * @param hangBound the most to wait, for a client that never sends them
     * @throws AssertionError if fewer arrived within the bound
     * @throws IllegalStateException if the waiting thread is interrupted
     */
    public void awaitRequests(int n, Duration hangBound) {
        long deadline = System.nanoTime() + hangBound.toNanos();
        synchronized (requests) {
            while (count < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the fake server received " + count + " requests, not " + n
                            + ", within " + hangBound);
                }
                try {
                    requests.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for requests", e);
                }
            }
        }
    }

    /**
     * Stops the server: stops accepting, releases the gates of every reply it was given, ends every pause, closes every
     * connection (a client mid-reply sees it cut), and waits briefly for its threads to end. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        closeQuietly(listener);
        gates.forEach(Gate::release);
        connections.forEach(FakeServer::closeQuietly);
        long deadline = System.nanoTime() + CLOSE_JOIN_NANOS;
        List<Thread> all = new ArrayList<>(threads);
        all.add(acceptor);
        for (Thread t : all) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                t.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "FakeServer{" + baseUri() + (closed ? ", closed" : "") + "}";
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.add(s);
            Thread t = new Thread(() -> connection(s), THREAD_PREFIX + port + "-conn-" + connectionIds.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            if (closed) {
                closeQuietly(s);
            }
            t.start();
        }
    }

    private void connection(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            boolean open = true;
            while (open && !closed) {
                Request request = readRequest(in, out);
                if (request == null) {
                    return;
                }
                Reply reply;
                synchronized (requests) {
                    received.add(request.recorded);
                    count++;
                    this.open++;
                    Reply next = queue.poll();
                    reply = next != null ? next : fallback;
                    requests.notifyAll();
                }
                try {
                    open = serve(reply, request, socket, in, out) && !request.close;
                } finally {
                    synchronized (requests) {
                        this.open--;
                        requests.notifyAll();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The connection is over: the client went away, the server closed, or the request was not HTTP.
        } finally {
            connections.remove(socket);
            threads.remove(Thread.currentThread());
        }
    }

    /** A request read off the wire. */
    private record Request(RecordedRequest recorded, boolean close) {
    }

    private static Request readRequest(InputStream in, OutputStream out) throws IOException {
        String line = readLine(in);
        while (line != null && line.isEmpty()) {
            line = readLine(in); // a stray CRLF between requests
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x request line: " + line);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int headBytes = line.length();
        String h;
        while (!(h = requireLine(in)).isEmpty()) {
            headBytes += h.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("request head too large");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + h);
            }
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        if (first(headers, "expect").equalsIgnoreCase("100-continue")) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        byte[] body;
        if (first(headers, "transfer-encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked(in);
        } else if (!first(headers, "content-length").isEmpty()) {
            long length;
            try {
                length = Long.parseLong(first(headers, "content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length", e);
            }
            if (length < 0 || length > MAX_BODY_BYTES) {
                throw new IOException("unacceptable Content-Length " + length);
            }
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("the request body ended early");
            }
        } else {
            body = new byte[0];
        }
        String connection = first(headers, "connection").toLowerCase(Locale.ROOT);
        boolean close = connection.contains("close") || (parts[2].equals("HTTP/1.0") && !connection.contains("keep-alive"));
        return new Request(new RecordedRequest(parts[0], parts[1], headers, new String(body, StandardCharsets.UTF_8)), close);
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = requireLine(in);
            int semicolon = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + size, e);
            }
            if (n < 0 || body.size() + n > MAX_BODY_BYTES) {
                throw new IOException("unacceptable chunk size " + n);
            }
            if (n == 0) {
                while (!requireLine(in).isEmpty()) {
                    // trailers are read and dropped
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes((int) n);
            if (chunk.length < n) {
                throw new IOException("the request body ended inside a chunk");
            }
            body.write(chunk);
            if (!requireLine(in).isEmpty()) {
                throw new IOException("a chunk did not end with CRLF");
            }
        }
    }

    private static String requireLine(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new IOException("the connection ended inside a request");
        }
        return line;
    }

    /** One line without its CRLF (or bare LF), ISO-8859-1; null at the end of the stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (sb.length() == 0) {
                    return null;
                }
                throw new IOException("the connection ended inside a line");
            }
            if (sb.length() > MAX_HEAD_BYTES) {
                throw new IOException("line too long");
            }
            sb.append((char) b);
        }
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') {
            sb.setLength(end - 1);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- serving

    /**
     * What to write for one reply: the head, the body, where its pieces start (each flushed on its own,
     * after the pause when paced), and where it holds.
     */
    private static final class Plan {
        int status;
        final List<String[]> headers = new ArrayList<>();
        byte[] body = new byte[0];
        boolean chunked;
        final TreeSet<Integer> pieces = new TreeSet<>(List.of(0));
        Duration piecePause = Duration.ZERO;
        final TreeMap<Integer, List<Gate>> holds = new TreeMap<>();
    }

    /** Serves one reply; returns whether the connection can carry another request. */
    private boolean serve(Reply reply, Request request, Socket socket, InputStream in, OutputStream out) throws IOException {
        pause(reply.headDelay);
        Held held = new Held(socket, in);
        if (reply.headGate != null) {
            hold(reply.headGate, held);
        }
        if (reply.kind == Reply.Kind.FAULT) {
            fault(reply.fault, socket, out);
            return false;
        }
        Plan plan;
        try {
            plan = plan(reply, request.recorded);
        } catch (RuntimeException e) {
            plan = new Plan();
            plan.status = 500;
            plan.headers.add(new String[] {"Content-Type", "text/plain; charset=utf-8"});
            plan.body = ("the fake server could not render " + reply + ": " + e).getBytes(StandardCharsets.UTF_8);
        }
        if (request.close) {
            plan.headers.add(new String[] {"Connection", "close"});
        }
        write(plan, out, held);
        return true;
    }

    private Plan plan(Reply reply, RecordedRequest request) {
        if (reply.kind == Reply.Kind.GENERATED) {
            Reply generated = dialect.generate(request, this);
            reply = (generated != null ? generated
                    : Reply.error(500, "fake_server_error", "no reply was enqueued for this request")).withHoldsOf(reply);
            return plan(reply, request, true);
        }
        return plan(reply, request, false);
    }

    private Plan plan(Reply reply, RecordedRequest request, boolean generated) {
        Plan p = new Plan();
        p.status = reply.status;
        String contentType = null;
        String idHeader = dialect.requestIdHeader();
        boolean scripted = generated || reply.kind == Reply.Kind.CHAT || reply.kind == Reply.Kind.STREAM
                || reply.kind == Reply.Kind.ERROR;
        String requestId = null;
        if (scripted && idHeader != null) {
            requestId = reply.headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(idHeader))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (requestId == null) {
                requestId = String.format(Locale.ROOT, "req_fake%04d", requestIds.incrementAndGet());
                if (!reply.withoutHeaders.contains(idHeader.toLowerCase(Locale.ROOT))) {
                    p.headers.add(new String[] {idHeader, requestId});
                }
            }
        }
        switch (reply.kind) {
            case CHAT:
                contentType = "application/json";
                p.body = utf8(dialect.chatBody(reply.script));
                break;
            case ERROR:
                contentType = "application/json";
                p.body = utf8(dialect.errorBody(reply.status, reply.errorType, reply.message, requestId));
                break;
            case RAW:
                contentType = reply.contentType;
                p.body = utf8(reply.rawBody);
                break;
            case STREAM:
                contentType = dialect.streamContentType();
                planStream(p, reply, request);
                break;
            case RECORDED:
                planRecorded(p, reply);
                break;
            default:
                throw new IllegalStateException(reply.toString());
        }
        boolean typed = false;
        for (Map.Entry<String, String> h : reply.headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") || name.equals("transfer-encoding")) {
                continue; // the server frames the body itself
            }
            typed |= name.equals("content-type");
            p.headers.add(new String[] {h.getKey(), h.getValue()});
        }
        if (!typed && contentType != null) {
            p.headers.add(0, new String[] {"Content-Type", contentType});
        }
        for (Reply.Hold h : reply.holds) {
            int at = h.deltas() >= 0 ? afterDeltas(reply, request, h.deltas()) : h.bytes();
            p.holds.computeIfAbsent(Math.min(at, p.body.length), k -> new ArrayList<>()).add(h.gate());
        }
        return p;
    }

    private void planStream(Plan p, Reply reply, RecordedRequest request) {
        ScriptedStream s = reply.script;
        byte[] body = utf8(dialect.streamBody(s, request));
        if (s.cutAtByte() >= 0 && s.cutAtByte() < body.length) {
            body = Arrays.copyOf(body, s.cutAtByte());
        }
        p.body = body;
        p.chunked = true;
        if (s.chunks() > 1) {
            for (int i = 1; i < s.chunks(); i++) {
                p.pieces.add((int) ((long) body.length * i / s.chunks()));
            }
            p.piecePause = s.chunkDelay();
        }
    }

    private static void planRecorded(Plan p, Reply reply) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] chunk : reply.recorded) {
            if (chunk.length > 0) {
                p.pieces.add(body.size());
                body.writeBytes(chunk);
            }
        }
        p.body = body.toByteArray();
        p.chunked = reply.headers.keySet().stream().noneMatch(n -> n.equalsIgnoreCase("content-length"));
    }

    /** Where the bytes carrying a scripted stream's first deltas end: its cut there is a prefix of it whole. */
    private int afterDeltas(Reply reply, RecordedRequest request, int deltas) {
        ScriptedStream whole = reply.script.cutAtByte(-1);
        String all = dialect.streamBody(whole, request);
        int cut = whole.cutAfter() >= 0 ? Math.min(deltas, whole.cutAfter()) : deltas;
        String prefix = dialect.streamBody(whole.cutAfter(cut), request);
        if (!all.startsWith(prefix)) {
            throw new IllegalStateException("the dialect's stream cut after " + deltas
                    + " deltas is not a prefix of the whole stream, so it cannot be held there");
        }
        return utf8(prefix).length;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void write(Plan p, OutputStream out, Held held) throws IOException {
        int length = p.body.length;
        TreeSet<Integer> points = new TreeSet<>(p.pieces);
        points.addAll(p.holds.keySet());
        points.add(length);
        boolean headSent = false;
        int pos = 0;
        for (int at : points) {
            if (at > length) {
                break;
            }
            if (at > pos) {
                headSent = head(p, out, headSent);
                if (p.chunked) {
                    out.write(Integer.toHexString(at - pos).getBytes(StandardCharsets.ISO_8859_1));
                    out.write(CRLF);
                    out.write(p.body, pos, at - pos);
                    out.write(CRLF);
                } else {
                    out.write(p.body, pos, at - pos);
                }
                out.flush();
                pos = at;
            }
            if (at < length && p.pieces.contains(at) && !p.piecePause.isZero()) {
                out.flush();
                pause(p.piecePause); // the pause before each paced piece; the head goes with the first
            }
            List<Gate> gatesHere = p.holds.get(at);
            if (gatesHere != null) {
                headSent = head(p, out, headSent);
                out.flush();
                for (Gate g : gatesHere) {
                    hold(g, held);
                }
            }
        }
        head(p, out, headSent);
        if (p.chunked) {
            out.write('0');
            out.write(CRLF);
            out.write(CRLF);
        }
        out.flush();
    }

    private static boolean head(Plan p, OutputStream out, boolean sent) throws IOException {
        if (sent) {
            return true;
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(p.status).append(' ').append(reason(p.status)).append("\r\n");
        for (String[] h : p.headers) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        head.append(p.chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + p.body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        return true;
    }

    private void fault(Reply.Fault fault, Socket socket, OutputStream out) throws IOException {
        switch (fault) {
            case CONNECTION_RESET:
                socket.setSoLinger(true, 0); // close() then sends an RST, not a FIN
                break;
            case EMPTY_REPLY:
                break;
            case MALFORMED_CHUNK:
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\n{\"id\"\r\nnot-a-chunk-size\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(GARBAGE);
                out.flush();
                break;
            default:
                out.write(GARBAGE);
                out.flush();
                break;
        }
        socket.close();
    }

    /** Remembers a gate, so close() can release it; one given after close is released at once. */
    private void track(Gate g) {
        gates.add(g);
        if (closed) {
            g.release();
        }
    }

    /** The connection of a reply held at a gate, to see whether its client gave up meanwhile. */
    private static final class Held {
        private final Socket socket;
        private final InputStream in;

        Held(Socket socket, InputStream in) {
            this.socket = socket;
            this.in = in;
        }

        /**
         * Whether the client closed or reset the connection: a peek of one byte, at most a millisecond
         * long, on the connection's own thread (which is not reading now), put back if there is one.
         */
        boolean clientGone() {
            try {
                int timeout = socket.getSoTimeout();
                socket.setSoTimeout(1);
                try {
                    in.mark(1);
                    if (in.read() < 0) {
                        return true;
                    }
                    in.reset();
                    return false;
                } finally {
                    socket.setSoTimeout(timeout);
                }
            } catch (java.net.SocketTimeoutException quiet) {
                return false; // still connected, nothing sent
            } catch (IOException e) {
                return true;
            }
        }
    }

    /** How often a held reply looks whether its client is gone. */
    private static final long CLIENT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private void hold(Gate g, Held held) throws IOException {
        track(g);
        boolean[] gone = {false};
        g.pass(() -> closed || (gone[0] = held.clientGone()), CLIENT_CHECK_NANOS);
        if (closed) {
            throw new IOException("the fake server closed");
        }
        if (gone[0]) {
            throw new IOException("the client gave up on the held reply");
        }
    }

    /** A real-time pause, for the paced replies that ask for one; ended early by close(). */
    private void pause(Duration d) throws IOException {
        if (d.isZero()) {
            return;
        }
        try {
            if (closing.await(d.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("the fake server closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }

    private static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 413: return "Payload Too Large";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            case 529: return "Overloaded";
            default: return "Status " + status;
        }
    }
}
