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
 * The floor: the cheapest correct consumer of a Kimi stream — {@code java.net.http}, byte line
 * splitting, and a jackson-core streaming parse of {@code choices[0].delta.content}. No abstraction,
 * no aggregate beyond the text, no timeouts of its own.
 */
public final class FloorClient implements StreamClient {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final byte[] BODY = "{\"model\":\"kimi-k3\",\"messages\":[{\"role\":\"user\",\"content\":\"bench\"}],\"stream\":true}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Override
    public String name() {
        return "floor";
    }

    /** What the floor does with each event's JSON; {@link #done()} gives the result at {@code [DONE]}. */
    private interface Events {
        void data(byte[] json, int offset, int length);

        String done();
    }

    @Override
    public String read(URI base, Listener listener) throws IOException, InterruptedException {
        StringBuilder text = new StringBuilder();
        return stream(base, new Events() {
            @Override
            public void data(byte[] json, int offset, int length) {
                String content = content(json, offset, length);
                if (content != null && !content.isEmpty()) {
                    if (text.length() == 0) {
                        listener.firstDelta();
                    }
                    text.append(content);
                }
            }

            @Override
            public String done() {
                return text.toString();
            }
        });
    }

    @Override
    public String readToolArguments(URI base) throws IOException, InterruptedException {
        java.util.List<StringBuilder> calls = new java.util.ArrayList<>();
        return stream(base, new Events() {
            @Override
            public void data(byte[] json, int offset, int length) {
                arguments(json, offset, length, calls);
            }

            @Override
            public String done() {
                StringBuilder joined = new StringBuilder();
                for (StringBuilder c : calls) {
                    joined.append(joined.length() == 0 ? "" : "\n").append(c);
                }
                return joined.toString();
            }
        });
    }

    /** Sends the request, splits the body into lines by bytes, and hands each {@code data: } line's JSON on. */
    private String stream(URI base, Events events) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/chat/completions"))
                .header("Authorization", "Bearer sk-bench").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
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
                        if (line[6] == '[') {
                            return events.done();
                        }
                        events.data(line, 6, lineLength - 6);
                    }
                    lineLength = 0;
                }
            }
        }
        throw new IOException("stream ended before [DONE]");
    }

    /**
     * Moves the parser into {@code choices[0].delta}: on true its START_OBJECT is the current token, the
     * rest of the chunk unread.
     */
    private static boolean toDelta(JsonParser p) {
        p.nextToken();
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (!name.equals("choices") || t != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while ((name = p.nextName()) != null) {
                t = p.nextToken();
                if (name.equals("delta") && t == JsonToken.START_OBJECT) {
                    return true;
                }
                p.skipChildren();
            }
            return false;
        }
        return false;
    }

    /** Walks {@code choices[0].delta.tool_calls[i]} and appends each {@code function.arguments} to its index. */
    private static void arguments(byte[] json, int offset, int length, java.util.List<StringBuilder> calls) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json, offset, length)) {
            if (!toDelta(p)) {
                return;
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (!name.equals("tool_calls") || t != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    int index = 0;
                    String arguments = null;
                    while ((name = p.nextName()) != null) {
                        t = p.nextToken();
                        if (name.equals("index")) {
                            index = p.getIntValue();
                        } else if (name.equals("function") && t == JsonToken.START_OBJECT) {
                            while ((name = p.nextName()) != null) {
                                t = p.nextToken();
                                if (name.equals("arguments") && t == JsonToken.VALUE_STRING) {
                                    arguments = p.getString();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    while (calls.size() <= index) {
                        calls.add(new StringBuilder());
                    }
                    if (arguments != null) {
                        calls.get(index).append(arguments);
                    }
                }
            }
        }
    }

    private static String content(byte[] json, int offset, int length) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json, offset, length)) {
            if (!toDelta(p)) {
                return null;
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals("content") && t == JsonToken.VALUE_STRING) {
                    return p.getString();
                }
                p.skipChildren();
            }
            return null;
        }
    }
}
