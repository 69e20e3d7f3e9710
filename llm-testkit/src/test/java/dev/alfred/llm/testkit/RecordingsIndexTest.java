package dev.alfred.llm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks the corpus of recorded exchanges under {@code dev/alfred/llm/testkit/recordings}: every index entry
 * names a file that is there with the recorded bytes, every file is indexed, streams are well-formed
 * server-sent events whose data is JSON, bodies are JSON, and the corpus is large and wide enough to be
 * the ground truth the providers' tests need.
 */
class RecordingsIndexTest {

    private static final String ROOT = "dev/alfred/llm/testkit/recordings/";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> SERVERS = Set.of("openai", "azure", "deepseek", "groq", "mistral", "openrouter",
            "ollama", "llamacpp", "xai", "kimi", "anthropic");

    private static JsonNode index;

    @BeforeAll
    static void readIndex() throws IOException {
        try (InputStream in = resource("index.json")) {
            index = JSON.readTree(in);
        }
    }

    @Test
    void everyEntryNamesAFileWithTheRecordedBytes() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode entry : index.path("recordings")) {
            String file = entry.path("file").asString();
            byte[] bytes;
            try (InputStream in = resource(file)) {
                bytes = in.readAllBytes();
            }
            if (bytes.length != entry.path("size").asInt()) {
                problems.add(file + ": size " + bytes.length + ", index says " + entry.path("size").asInt());
            }
            if (!sha256(bytes).equals(entry.path("bytes_sha256").asString())) {
                problems.add(file + ": sha-256 differs from the index");
            }
            if (!file.startsWith(entry.path("server").asString() + "/")) {
                problems.add(file + ": not in the folder of its server " + entry.path("server").asString());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyFileIsIndexedOnce() throws IOException, URISyntaxException {
        Set<String> indexed = new TreeSet<>();
        for (JsonNode entry : index.path("recordings")) {
            assertTrue(indexed.add(entry.path("file").asString()), "indexed twice: " + entry.path("file").asString());
        }
        Path root = Path.of(RecordingsIndexTest.class.getClassLoader().getResource(ROOT + "index.json").toURI()).getParent();
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> name.contains("/"))
                    .forEach(present::add);
        }
        Set<String> unindexed = new TreeSet<>(present);
        unindexed.removeAll(indexed);
        Set<String> missing = new TreeSet<>(indexed);
        missing.removeAll(present);
        assertEquals(Set.of(), unindexed, "files without an index entry");
        assertEquals(Set.of(), missing, "index entries without a file");
    }

    @Test
    void streamsAreServerSentEventsWithJsonData() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode entry : index.path("recordings")) {
            String file = entry.path("file").asString();
            boolean stream = file.endsWith(".sse");
            if (stream != "stream".equals(entry.path("kind").asString())) {
                problems.add(file + ": kind " + entry.path("kind").asString() + " does not match its extension");
            }
            if (!stream) {
                continue;
            }
            String text;
            try (InputStream in = resource(file)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            int events = 0;
            for (String block : text.split("\n\n+")) {
                boolean event = false;
                StringBuilder data = new StringBuilder();
                for (String line : block.split("\n")) {
                    if (line.isEmpty() || line.startsWith(":")) {
                        continue;
                    }
                    if (line.startsWith("event:")) {
                        event = true;
                    } else if (line.startsWith("data:")) {
                        event = true;
                        String d = line.substring(5);
                        data.append(d.startsWith(" ") ? d.substring(1) : d);
                    } else if (!line.startsWith("id:") && !line.startsWith("retry:")) {
                        problems.add(file + ": not an SSE field line: " + abbreviate(line));
                    }
                }
                if (!event) {
                    continue;
                }
                events++;
                String payload = data.toString();
                if (!payload.isEmpty() && !"[DONE]".equals(payload)) {
                    try {
                        JSON.readTree(payload);
                    } catch (RuntimeException e) {
                        problems.add(file + ": data is not JSON: " + abbreviate(payload));
                    }
                }
            }
            if (events == 0) {
                problems.add(file + ": no event");
            }
            if (events != entry.path("expect").path("events").asInt()) {
                problems.add(file + ": " + events + " events, index says " + entry.path("expect").path("events").asInt());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void bodiesAreJsonAndErrorsCarryAnErrorStatus() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode entry : index.path("recordings")) {
            String file = entry.path("file").asString();
            if (file.endsWith(".sse")) {
                continue;
            }
            try (InputStream in = resource(file)) {
                JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            } catch (RuntimeException e) {
                problems.add(file + ": not JSON");
            }
            boolean error = entry.path("status").asInt() >= 400;
            if (error != "error".equals(entry.path("kind").asString())) {
                problems.add(file + ": kind " + entry.path("kind").asString() + " with status " + entry.path("status").asInt());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyEntryNamesItsSourceAndAnExpectation() {
        List<String> problems = new ArrayList<>();
        for (JsonNode entry : index.path("recordings")) {
            String file = entry.path("file").asString();
            JsonNode source = entry.path("source");
            for (String field : List.of("repository", "path", "licence")) {
                if (source.path(field).asString("").isBlank()) {
                    problems.add(file + ": source." + field + " missing");
                }
            }
            boolean quoted = "issue-quote".equals(source.path("kind").asString(""));
            if (!quoted && !source.path("commit").asString("").matches("[0-9a-f]{40}")) {
                problems.add(file + ": source.commit missing");
            }
            if (!entry.path("synthetic").isBoolean()) {
                problems.add(file + ": synthetic is not a boolean");
            }
            if (!entry.path("expect").isObject() || entry.path("expect").isEmpty()) {
                problems.add(file + ": no expectation");
            }
            if (!entry.path("notable_fields").isArray()) {
                problems.add(file + ": notable_fields missing");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCorpusIsLargeAndCoversEveryServer() {
        Map<String, int[]> counts = new TreeMap<>();
        for (JsonNode entry : index.path("recordings")) {
            int[] c = counts.computeIfAbsent(entry.path("server").asString(), s -> new int[3]);
            if (entry.path("synthetic").asBoolean()) {
                c[2]++;
            } else if ("issue-quote".equals(entry.path("source").path("kind").asString(""))) {
                c[1]++;
            } else {
                c[0]++;
            }
        }
        int recorded = counts.values().stream().mapToInt(c -> c[0]).sum();
        assertTrue(recorded >= 60, "only " + recorded + " recorded exchanges");
        for (String server : SERVERS) {
            int[] c = counts.get(server);
            assertNotNull(c, "no recording of " + server);
            assertTrue(c[0] + c[1] > 0, "only synthetic recordings of " + server);
        }
        JsonNode declared = index.path("counts");
        counts.forEach((server, c) -> {
            assertEquals(c[0], declared.path(server).path("recorded").asInt(), server + " recorded");
            assertEquals(c[1], declared.path(server).path("issue_quoted").asInt(), server + " issue_quoted");
            assertEquals(c[2], declared.path(server).path("synthetic").asInt(), server + " synthetic");
        });
        assertFalse(declared.properties().stream().anyMatch(e -> !counts.containsKey(e.getKey())),
                "counts name a server without recordings");
    }

    private static InputStream resource(String name) {
        InputStream in = RecordingsIndexTest.class.getClassLoader().getResourceAsStream(ROOT + name);
        if (in == null) {
            fail("missing resource " + ROOT + name);
        }
        return in;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
