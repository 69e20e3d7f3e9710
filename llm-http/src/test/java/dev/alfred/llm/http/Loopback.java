package dev.alfred.llm.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny HTTP/1.1 server on loopback for llm-http's own tests, driven by state: each request is answered
 * by a {@link Handler} that writes raw bytes and may wait on a {@link #gate} the test opens. Keep-alive
 * is honoured for answers with a {@code Content-Length}. Every gate opens and every socket closes when
 * the server closes, so nothing hangs.
 */
final class Loopback implements AutoCloseable {

    /**
     * The most any wait of these tests lasts before it fails: a hang, not a timing. Every wait is for a
     * state that a correct run reaches in milliseconds; the bound only decides how soon a broken one
     * fails (under mutation testing, before PIT's own time-out of 4 s and more).
     */
    static final Duration HANG = Duration.ofSeconds(3);

    /** What the server read of one request. */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Answers one request. */
    interface Handler {
        void serve(Request request, Socket socket, OutputStream out) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger closedByPeer = new AtomicInteger();
    /** Opened by the test, or by {@link #close()}. */
    final CountDownLatch gate = new CountDownLatch(1);

    private Loopback(Handler handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "loopback-accept");
        t.setDaemon(true);
        t.start();
    }

    static Loopback start(Handler handler) throws IOException {
        return new Loopback(handler);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    int requests() {
        return count.get();
    }

    /** Connections accepted so far. */
    int connections() {
        return sockets.size();
    }

    /** Connections the client closed (read returned -1 while the server waited for a next request or wrote). */
    int closedByPeer() {
        return closedByPeer.get();
    }

    Request takeRequest() throws InterruptedException {
        Request r = received.poll(HANG.toSeconds(), TimeUnit.SECONDS);
        assertTrue(r != null, "no request arrived");
        return r;
    }

    /** Waits, within the hang bound, until n requests have arrived. */
    void awaitRequests(int n) {
        long until = System.nanoTime() + HANG.toNanos();
        while (count.get() < n) {
            assertTrue(System.nanoTime() < until, "only " + count.get() + " of " + n + " requests arrived");
            Thread.onSpinWait();
        }
    }

    /** Waits, within the hang bound, until the client closed n connections. */
    void awaitClosedByPeer(int n) {
        long until = System.nanoTime() + HANG.toNanos();
        while (closedByPeer.get() < n) {
            assertTrue(System.nanoTime() < until, "the client closed " + closedByPeer.get() + " of " + n + " connections");
            Thread.onSpinWait();
        }
    }

    /** Waits, within the hang bound, until a thread is blocked in the body reader's wait for bytes. */
    static void awaitReaderWaiting(Thread t) {
        long until = System.nanoTime() + HANG.toNanos();
        while (!(t.getState() == Thread.State.WAITING && java.util.Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().endsWith("BodyReader") && f.getMethodName().equals("take")))) {
            assertTrue(System.nanoTime() < until, "the reader never waited for bytes");
            Thread.onSpinWait();
        }
    }

    void open() {
        gate.countDown();
    }

    void awaitGate() throws InterruptedException {
        gate.await();
    }

    /** Blocks a handler until its client goes away (its read gives -1) or the server closes. */
    static void awaitGateOf(java.net.Socket s) throws IOException {
        if (s.getInputStream().read() < 0) {
            throw new IOException("closed by the client");
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                Thread t = new Thread(() -> connection(s), "loopback-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void connection(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                Request r = read(in);
                if (r == null) {
                    closedByPeer.incrementAndGet();
                    return;
                }
                received.add(r);
                count.incrementAndGet();
                handler.serve(r, s, out);
                out.flush();
                if (s.isClosed() || s.isOutputShutdown()) {
                    return;
                }
            }
        } catch (IOException e) {
            closedByPeer.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] first = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Request(first[0], first[1], headers, body);
    }

    /** A whole answer with a Content-Length. */
    static void respond(OutputStream out, int status, String contentType, String body, String... headers)
            throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + b.length + "\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        out.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.flush();
    }

    /** The head of a chunked answer. */
    static void chunkedHead(OutputStream out, int status, String contentType, String... headers) throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType
                + "\r\nTransfer-Encoding: chunked\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        out.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One chunk of a chunked answer, flushed. */
    static void chunk(OutputStream out, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The end of a chunked answer. */
    static void lastChunk(OutputStream out) throws IOException {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        gate.countDown();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
