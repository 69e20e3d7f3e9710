package dev.alfred.llm.bench;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

/**
 * The floor for a Messages-API stream: {@code java.net.http}, byte line splitting, and a jackson-core
 * streaming parse of each {@code data:} line for {@code delta.text}, ending at {@code message_stop}. No
 * abstraction, no aggregate beyond the text, no timeouts of its own; event names are not even read,
 * since each event's JSON says its type.
 */
public final class AnthropicFloorClient implements StreamClient {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final byte[] BODY = ("{\"model\":\"claude-bench\",\"max_tokens\":4096,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"bench\"}],\"stream\":true}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public String name() {
        return "floor (Anthropic)";
    }

    @Override
    public String format() {
        return "anthropic";
    }

    @Override
    public String read(URI base, Listener listener) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/messages"))
                .header("x-api-key", "sk-bench").header("anthropic-version", "2023-06-01")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        StringBuilder text = new StringBuilder();
        try (InputStream in = response.body()) {
            byte[] buf = new byte[16 * 1024];
            byte[] line = new byte[1024];
            int lineLength = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b != '\n') {
                        if (lineLength == line.length) {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                        line[lineLength++] = b;
                        continue;
                    }
                    if (lineLength > 6 && line[0] == 'd' && line[5] == ' ') {
                        if (data(line, 6, lineLength - 6, text, listener)) {
                            return text.toString();
                        }
                    }
                    lineLength = 0;
                }
            }
        }
        throw new IOException("stream ended before message_stop");
    }

    /** Appends a text delta's text; true at message_stop. */
    private static boolean data(byte[] json, int offset, int length, StringBuilder text, Listener listener) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json, offset, length)) {
            p.nextToken();
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals("type") && t == JsonToken.VALUE_STRING) {
                    String type = p.getString();
                    if (type.equals("message_stop")) {
                        return true;
                    }
                    if (!type.equals("content_block_delta")) {
                        return false;
                    }
                } else if (name.equals("delta") && t == JsonToken.START_OBJECT) {
                    while ((name = p.nextName()) != null) {
                        t = p.nextToken();
                        if (name.equals("text") && t == JsonToken.VALUE_STRING) {
                            if (text.length() == 0) {
                                listener.firstDelta();
                            }
                            text.append(p.getString());
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return false;
        }
    }
}
