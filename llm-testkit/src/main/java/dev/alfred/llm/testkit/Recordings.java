package dev.alfred.llm.testkit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The corpus of recorded real exchanges the kit ships under {@code dev/alfred/llm/testkit/recordings/}
 * (its {@code README.md} says where each came from and what {@code index.json} holds): the ground truth
 * every provider's tests replay through the {@link FakeServer} with {@link Recording#reply}. Thread-safe;
 * the index is read once.
 */
public final class Recordings {

    /** Where the corpus lies on the class path. */
    public static final String ROOT = "dev/alfred/llm/testkit/recordings/";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static volatile List<Recording> all;

    private Recordings() {
    }

    /**
     * Every recording of the index, in its order.
     *
     * @return the recordings
     * @throws IllegalStateException if the index is missing or unreadable
     */
    public static List<Recording> all() {
        List<Recording> a = all;
        if (a == null) {
            a = load();
            all = a;
        }
        return a;
    }

    /**
     * The chat exchanges a provider's tests replay as ground truth: those of the given servers that are not
     * synthetic, in the index's order. Exchanges of other endpoints (embeddings, token counts, model lists)
     * are left out: see {@link #ofEndpoint}.
     *
     * @param servers the servers, such as {@code openai} or {@code kimi}
     * @return the recordings
     */
    public static List<Recording> groundTruth(String... servers) {
        Set<String> wanted = Set.of(servers);
        List<Recording> out = new ArrayList<>();
        for (Recording r : all()) {
            if (wanted.contains(r.server()) && !r.synthetic() && r.endpoint().equals("chat")) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The exchanges of one endpoint, recorded or documented (synthetic ones included: see
     * {@link Recording#synthetic()}), of the given servers, in the index's order.
     *
     * @param endpoint {@code embeddings}, {@code count_tokens}, {@code models} or {@code chat}
     * @param servers  the servers, such as {@code openai} or {@code voyage}
     * @return the recordings
     */
    public static List<Recording> ofEndpoint(String endpoint, String... servers) {
        Set<String> wanted = Set.of(servers);
        List<Recording> out = new ArrayList<>();
        for (Recording r : all()) {
            if (wanted.contains(r.server()) && r.endpoint().equals(endpoint)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * One recording by its file.
     *
     * @param file the file, such as {@code openai/opy-test_parse_nothing.sse}
     * @return the recording
     * @throws IllegalArgumentException if the index has no such file
     */
    public static Recording named(String file) {
        for (Recording r : all()) {
            if (r.file().equals(file)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no recording " + file + " in " + ROOT + "index.json");
    }

    private static List<Recording> load() {
        JsonNode index = JSON.readTree(read("index.json"));
        List<Recording> out = new ArrayList<>();
        for (JsonNode e : index.path("recordings")) {
            Map<String, String> headers = new LinkedHashMap<>();
            e.path("headers").properties().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT),
                    h.getValue().asString()));
            List<String> notable = new ArrayList<>();
            e.path("notable_fields").forEach(n -> notable.add(n.asString()));
            out.add(new Recording(e.path("file").asString(), e.path("server").asString(), e.path("kind").asString(),
                    e.path("status").asInt(), headers, e.path("synthetic").asBoolean(), e.path("fragment").asBoolean(false),
                    e.path("framing").asString(""), e.path("expect"), notable, e));
        }
        return List.copyOf(out);
    }

    static byte[] read(String name) {
        try (InputStream in = Recordings.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing recording " + ROOT + name + " on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ROOT + name, e);
        }
    }
}
