package dev.alfred.llm.bench;

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
 * takes it, otherwise one event per pace. Prints its port on the first line of stdout; stops when its
 * stdin closes, so it never outlives the benchmark.
 */
public final class LoopbackServer {

    private static final Map<Integer, byte[]> BODIES = new ConcurrentHashMap<>();
    private static final Map<Integer, byte[]> ANTHROPIC_BODIES = new ConcurrentHashMap<>();
    private static final Map<Integer, byte[]> TOOL_BODIES = new ConcurrentHashMap<>();

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
                in.readNBytes(contentLength);
                String path = requestLine.split(" ")[1];
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
