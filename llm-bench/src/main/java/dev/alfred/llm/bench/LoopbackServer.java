package dev.alfred.llm.bench;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal HTTP/1.1 server on 127.0.0.1, run in its own process, that answers every POST with a
 * pre-rendered Kimi-style event stream (chunked transfer encoding, keep-alive). The path says what to
 * send: {@code /n=<chunks>/pace=<micros>/v1/chat/completions}; pace 0 writes as fast as the socket
 * takes it, otherwise one event per pace. {@code …/embeddings} answers embeddings instead (see
 * {@link #embeddings}). Prints its port on the first line of stdout; stops when its
 * stdin closes, so it never outlives the benchmark.
 */
public final class LoopbackServer {

    private static final Map<Integer, byte[]> BODIES = new ConcurrentHashMap<>();
    private static final Map<Integer, byte[]> ANTHROPIC_BODIES = new ConcurrentHashMap<>();
    private static final Map<Integer, byte[]> TOOL_BODIES = new ConcurrentHashMap<>();
    private static final Map<String, byte[]> EMBEDDINGS = new ConcurrentHashMap<>();
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private LoopbackServer() {
    }

    /**
     * Runs the server.
     *
     * @param args none
     * @throws IOException if the socket cannot be opened
     */
    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        System.out.println(server.getLocalPort());
        System.out.flush();
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // wait for the parent to go away
                }
            } catch (IOException ignored) {
                // parent gone
            }
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        while (true) {
            Socket s = server.accept();
            s.setTcpNoDelay(true);
            Thread t = new Thread(() -> serve(s), "conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
             OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024)) {
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null) {
                    return;
                }
                int contentLength = 0;
                String line;
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).strip());
                    }
                }
                byte[] request = in.readNBytes(contentLength);
                long received = System.nanoTime();
                String path = requestLine.split(" ")[1];
                if (path.endsWith("/embeddings")) {
                    embeddings(out, path, request, received);
                    continue;
                }
                int chunks = param(path, "n", 10);
                long pace = param(path, "pace", 0);
                int toolCalls = param(path, "tools", 0);
                boolean anthropic = param(path, "fmt", 0) == 1;
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                        + "x-trace-id: bench\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                if (toolCalls > 0) {
                    byte[] body = TOOL_BODIES.computeIfAbsent(chunks * 4 + toolCalls,
                            k -> ToolStreamFixture.body(chunks, toolCalls));
                    for (int off = 0; off < body.length; off += 32 * 1024) {
                        chunk(out, body, off, Math.min(32 * 1024, body.length - off));
                    }
                } else if (pace == 0) {
                    byte[] body = anthropic ? ANTHROPIC_BODIES.computeIfAbsent(chunks, AnthropicStreamFixture::body)
                            : BODIES.computeIfAbsent(chunks, KimiStreamFixture::body);
                    for (int off = 0; off < body.length; off += 32 * 1024) {
                        chunk(out, body, off, Math.min(32 * 1024, body.length - off));
                    }
                } else {
                    chunk(out, anthropic ? AnthropicStreamFixture.headEvents() : KimiStreamFixture.roleEvent());
                    out.flush();
                    // Absolute deadlines: a late wake-up does not push every later event back.
                    long start = System.nanoTime();
                    for (int i = 0; i < chunks; i++) {
                        sleepUntil(start + (i + 1) * pace * 1000);
                        chunk(out, anthropic ? AnthropicStreamFixture.contentEvent(i) : KimiStreamFixture.contentEvent(i));
                        out.flush();
                    }
                    chunk(out, anthropic ? AnthropicStreamFixture.tailEvents(chunks) : KimiStreamFixture.tailEvents(chunks));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | RuntimeException closed) {
            // the client went away (an early close is part of the workload)
        }
    }

    /**
     * Answers {@code POST …/embeddings} ({@code /dims=<n>/svc=<micros>/limit=<inputs>/v1/embeddings}): one
     * {@link EmbeddingFixture} vector per input, in the encoding asked, sent {@code svc} after the request
     * arrived (measured from its last byte, on absolute deadlines); more inputs than {@code limit} get
     * OpenAI's 400, so a client that does not batch fails loudly.
     */
    private static void embeddings(OutputStream out, String path, byte[] request, long received) throws IOException {
        int dims = param(path, "dims", 1536);
        long service = param(path, "svc", 0);
        int limit = param(path, "limit", 0);
        int[] numbers = new int[16];
        int count = 0;
        boolean base64 = false;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), request, 0, request.length)) {
            p.nextToken();
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals("input") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        if (count == numbers.length) {
                            numbers = java.util.Arrays.copyOf(numbers, count * 2);
                        }
                        numbers[count++] = EmbeddingFixture.number(p.getString());
                    }
                } else if (name.equals("encoding_format") && t == JsonToken.VALUE_STRING) {
                    base64 = p.getString().equals("base64");
                } else {
                    p.skipChildren();
                }
            }
        }
        String problem = count == 0 ? "no input" : limit > 0 && count > limit
                ? count + " inputs, more than the " + limit + " one request may hold" : null;
        for (int i = 1; i < count && problem == null; i++) {
            if (numbers[i] != numbers[0] + i) {
                problem = "inputs not consecutive notes at " + i;
            }
        }
        byte[] body;
        String status;
        if (problem != null) {
            status = "400 Bad Request";
            body = ("{\"error\":{\"message\":\"" + problem + "\",\"type\":\"invalid_request_error\",\"param\":\"input\","
                    + "\"code\":null}}").getBytes(StandardCharsets.US_ASCII);
        } else {
            status = "200 OK";
            int from = numbers[0];
            int n = count;
            boolean b64 = base64;
            body = EMBEDDINGS.computeIfAbsent(dims + "/" + b64 + "/" + from + "/" + n,
                    k -> EmbeddingFixture.body(from, n, dims, b64));
        }
        sleepUntil(received + service * 1000);
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nopenai-model: " + EmbeddingFixture.MODEL + "\r\nx-request-id: req_bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    private static void chunk(OutputStream out, byte[] b) throws IOException {
        chunk(out, b, 0, b.length);
    }

    private static void chunk(OutputStream out, byte[] b, int off, int len) throws IOException {
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(b, off, len);
        out.write('\r');
        out.write('\n');
    }

    private static void sleepUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    private static int param(String path, String name, int fallback) {
        for (String part : path.split("/")) {
            if (part.startsWith(name + "=")) {
                return Integer.parseInt(part.substring(name.length() + 1));
            }
        }
        return fallback;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
