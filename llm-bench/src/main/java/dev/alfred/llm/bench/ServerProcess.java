package dev.alfred.llm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@link LoopbackServer} in a child process of its own, so its CPU and garbage are not ours. */
final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static ServerProcess start() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                LoopbackServer.class.getName())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("the loopback server did not start");
        }
        return new ServerProcess(p, Integer.parseInt(line.strip()));
    }

    URI toolBase(int fragments, int calls) {
        return URI.create("http://127.0.0.1:" + port + "/n=" + fragments + "/tools=" + calls + "/v1");
    }

    /**
     * The base URL of an embeddings scenario.
     *
     * @param dims          the vectors' length
     * @param serviceMicros how long the server takes per request, from its last byte to the answer
     * @param limit         the most inputs per request, or 0 for no limit
     * @return the base URL ({@code …/v1})
     */
    URI embeddingsBase(int dims, long serviceMicros, int limit) {
        return URI.create("http://127.0.0.1:" + port + "/dims=" + dims + "/svc=" + serviceMicros + "/limit=" + limit
                + "/v1");
    }

    URI base(int chunks, long paceMicros) {
        return base(chunks, paceMicros, "kimi");
    }

    /**
     * The base URL of a scenario's stream.
     *
     * @param chunks     content chunks
     * @param paceMicros the pause before each, or 0
     * @param format     {@code kimi} or {@code anthropic}
     * @return the base URL
     */
    URI base(int chunks, long paceMicros, String format) {
        return URI.create("http://127.0.0.1:" + port + "/n=" + chunks + "/pace=" + paceMicros
                + (format.equals("anthropic") ? "/fmt=1" : "") + "/v1");
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
