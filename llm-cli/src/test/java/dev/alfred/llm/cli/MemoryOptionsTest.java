package dev.alfred.llm.cli;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.spi.LlmProviderFactory;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.ScriptedProvider;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --embed}, {@code --count-tokens} and {@code --list-models}, end to end in process: against the offline
 * demo (no key set) and against the testkit's fake server over real HTTP.
 */
class MemoryOptionsTest {

    private static final String KEY = "sk-cli-memory-test-5544332211009988";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FakeServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Map<String, String> env;

    @BeforeEach
    void start() {
        server = FakeServer.start(WireDialect.kimi());
        env = new HashMap<>(Map.of("KIMI_API_KEY", KEY, "KIMI_BASE_URL", server.baseUri().toString(),
                "RETRY_MAX_ATTEMPTS", "1"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int piped(String stdin, String... args) {
        return new AlfredChat(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, false).demoPace(Duration.ZERO, Duration.ofMillis(1)).execute(args);
    }

    private int run(String... args) {
        return piped("", args);
    }

    /** The offline demo: no key, base URL or provider set. */
    private int demo(String... args) {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        return run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private JsonNode onlyJson() {
        List<String> lines = stdout().lines().toList();
        assertEquals(1, lines.size(), () -> "one line of JSON: " + stdout() + " | stderr: " + stderr());
        return JSON.readTree(lines.get(0));
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i).asDouble() * b.get(i).asDouble();
            na += a.get(i).asDouble() * a.get(i).asDouble();
            nb += b.get(i).asDouble() * b.get(i).asDouble();
        }
        return dot / Math.sqrt(na * nb);
    }

    // --embed

    @Test
    void embedInTheDemoPrintsALinePerTextThroughTheOpenAiProviderAndSaysSo() {
        assertEquals(0, demo("--embed", "the cat sat", "a dog ran far"), stderr());
        List<String> lines = stdout().lines().toList();
        assertEquals(2, lines.size(), stdout());
        assertTrue(lines.get(0).matches("0  256 dimensions  \\[-?\\d\\.\\d{4}(, -?\\d\\.\\d{4}){3}, …]  the cat sat"),
                lines.get(0));
        assertTrue(lines.get(1).matches("1  256 dimensions  \\[.*, …]  a dog ran far"), lines.get(1));
        assertTrue(stderr().contains("embedding with the openai provider (kimi has no embeddings) and a fake key,"
                + " against a scripted demo server at http://127.0.0.1:"), stderr());
        assertTrue(stderr().contains("[offline-demo-bag-of-words · 2 vectors of 256 dimensions · tokens 7 · total "),
                stderr());
    }

    @Test
    void embedJsonHoldsTheWholeVectorsModelAndUsageAndRelatedTextsAreNearer() {
        assertEquals(0, demo("--embed", "--json", "--dimensions", "64", "Ada likes green tea", "green tea for Ada",
                "stock prices fell sharply"), stderr());
        JsonNode json = onlyJson();
        assertEquals("offline-demo-bag-of-words", json.path("model").asString());
        assertEquals(64, json.path("dimensions").asInt());
        assertEquals(12, json.path("usage").path("prompt_tokens").asInt());
        JsonNode v = json.path("vectors");
        assertEquals(3, v.size());
        double norm = 0;
        for (JsonNode f : v.get(0)) {
            norm += f.asDouble() * f.asDouble();
        }
        assertEquals(1.0, norm, 1e-5);
        for (JsonNode vector : v) {
            assertEquals(64, vector.size());
        }
        double related = cosine(v.get(0), v.get(1));
        double unrelated = cosine(v.get(0), v.get(2));
        assertTrue(related > 0.6 && Math.abs(unrelated) < 0.4, related + " vs " + unrelated);
        assertTrue(json.path("timings").path("total_ms").asDouble() > 0);
    }

    @Test
    void embedReadsOneTextALineFromAPipeBeforeTheArguments() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        assertEquals(0, piped("Ada likes tea\n\n  \ntea for Ada\n", "--embed", "last one"), stderr());
        List<String> lines = stdout().lines().toList();
        assertEquals(3, lines.size(), stdout());
        assertTrue(lines.get(0).startsWith("0  256 dimensions") && lines.get(0).endsWith("]  Ada likes tea"), lines.get(0));
        assertTrue(lines.get(1).endsWith("]  tea for Ada"), lines.get(1));
        assertTrue(lines.get(2).endsWith("]  last one"), lines.get(2));
    }

    @Test
    void embedWithNoTextIsAUsageError() {
        assertEquals(ExitCode.USAGE, demo("--embed"));
        assertTrue(stderr().contains("--embed needs texts: give them as arguments (one a text) or on standard input"
                + " (one a line)"), stderr());
        assertFalse(stderr().contains("demo server"), stderr());
        assertEquals("", stdout());
        err.reset();
        assertEquals(ExitCode.USAGE, demo("--embed", "fine", " "));
        assertTrue(stderr().contains("--embed: argument 2 is blank; an embedding needs some text"), stderr());
    }

    @Test
    void embedWithKimiIsAUsageErrorWithTheLibrarysMessageAndSendsNothing() {
        assertEquals(ExitCode.USAGE, run("--embed", "Ada likes tea"));
        assertTrue(stderr().contains("alfred-chat: kimi has no embeddings API") && stderr().contains(
                "LlmProviders.createEmbeddings(\"openai\", config)"), stderr());
        assertEquals("", stdout());
        assertEquals(0, server.requestCount());
    }

    @Test
    void embedWithAnthropicIsAUsageErrorNamingVoyageAndOneJsonObject() {
        env.put("ANTHROPIC_API_KEY", KEY);
        assertEquals(ExitCode.USAGE, run("--json", "--provider", "anthropic", "--embed", "Ada likes tea"));
        JsonNode error = onlyJson().path("error");
        assertEquals("usage", error.path("kind").asString());
        assertTrue(error.path("message").asString().startsWith("anthropic has no embeddings API")
                && error.path("message").asString().contains("openai.dialect=voyage"), error.toString());
    }

    @Test
    void embedAgainstARealProviderSendsTheModelDimensionsAndAllTextsInOneRequest() {
        try (FakeServer openai = FakeServer.start(WireDialect.openAi())) {
            env.put("OPENAI_API_KEY", KEY);
            env.put("OPENAI_BASE_URL", openai.baseUri().toString());
            assertEquals(0, run("--provider", "openai", "--embed", "--json", "--model", "text-embedding-3-large",
                    "--dimensions", "32", "one", "two"), stderr());
            assertEquals(2, onlyJson().path("vectors").size());
            assertEquals(32, onlyJson().path("dimensions").asInt());
            RecordedRequest r = openai.takeRequest();
            assertTrue(r.path().endsWith("/embeddings"), r.path());
            assertEquals("text-embedding-3-large", r.json().path("model").asString());
            assertEquals(32, r.json().path("dimensions").asInt());
            assertEquals("[\"one\",\"two\"]", r.json().path("input").toString());
            assertEquals(1, openai.requestCount());
        }
    }

    // --count-tokens

    @Test
    void countTokensInTheDemoIsKimisServerCountOfThePromptAsSent() {
        assertEquals(0, demo("--count-tokens", "How many?"), stderr());
        String without = stdout();
        assertEquals("10 tokens (server: kimi estimate-token-count)\n", without); // 3 + 4 + "How many?"/4
        assertTrue(stderr().contains("answering from a scripted demo server at"), stderr());
        out.reset();
        assertEquals(0, demo("--count-tokens", "--system", "Be brief.", "How many?"), stderr());
        assertEquals("17 tokens (server: kimi estimate-token-count)\n", stdout()); // the system message counted
    }

    @Test
    void countTokensJsonIsOneObjectWithTheKindAndMethod() {
        assertEquals(0, demo("--count-tokens", "--json", "--model", "kimi-k2.6", "How many?"), stderr());
        JsonNode json = onlyJson();
        assertEquals(10, json.path("tokens").asLong());
        assertEquals("server", json.path("kind").asString());
        assertEquals("kimi estimate-token-count", json.path("method").asString());
        assertEquals("kimi", json.path("provider").asString());
        assertEquals("kimi-k2.6", json.path("model").asString());
    }

    @Test
    void countTokensAsksTheCountEndpointOnlyWithTheSystemHistoryAndImageAsBuilt(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path png = dir.resolve("dot.png");
        java.nio.file.Files.write(png, java.util.Base64.getDecoder().decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="));
        assertEquals(0, piped("piped text\n", "--count-tokens", "--system", "Be brief.", "--image", png.toString(),
                "question"), stderr());
        assertTrue(stdout().matches("\\d+ tokens \\(server: kimi estimate-token-count\\)\n"), stdout());
        List<RecordedRequest> requests = server.takeRequests();
        assertEquals(1, requests.size(), requests::toString);
        RecordedRequest r = requests.get(0);
        assertTrue(r.path().endsWith("/tokenizers/estimate-token-count"), r.path());
        JsonNode messages = r.json().path("messages");
        assertEquals(2, messages.size(), messages::toString);
        assertEquals("Be brief.", messages.get(0).path("content").asString());
        String user = messages.get(1).path("content").toString();
        assertTrue(user.contains("piped text\\n question") && user.contains("image_url"), user);
    }

    @Test
    void countTokensWithALocalTokenizerSendsNothingAndCountsTheToolsTheLoopWouldDeclare() {
        try (FakeServer openai = FakeServer.start(WireDialect.openAi())) {
            env.put("OPENAI_API_KEY", KEY);
            env.put("OPENAI_BASE_URL", openai.baseUri().toString());
            assertEquals(0, run("--provider", "openai", "--model", "gpt-4o", "--count-tokens", "--json", "What time is it?"),
                    stderr());
            JsonNode plain = onlyJson();
            assertEquals("tokenizer", plain.path("kind").asString());
            assertTrue(plain.path("method").asString().startsWith("tiktoken o200k_base"), plain.toString());
            out.reset();
            assertEquals(0, run("--provider", "openai", "--model", "gpt-4o", "--count-tokens", "--json", "--tools",
                    "What time is it?"), stderr());
            long withTools = onlyJson().path("tokens").asLong();
            assertTrue(withTools > plain.path("tokens").asLong() + 10, withTools + " vs " + plain);
            assertEquals(0, openai.requestCount());
        }
    }

    @Test
    void countTokensOnATerminalWithoutAPromptIsAUsageError() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        int code = new AlfredChat(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, true, () -> false, () -> {
                    throw new AssertionError("no conversation");
                }).execute(new String[] {"--count-tokens"});
        assertEquals(ExitCode.USAGE, code);
        assertTrue(stderr().contains("--count-tokens needs a PROMPT"), stderr());
        assertFalse(stderr().contains("demo server"), stderr());
    }

    // --list-models

    @Test
    void listModelsInTheDemoIsATableWithTheServersFiguresAndTheDatedTablesForTheRest() {
        assertEquals(0, demo("--list-models"), stderr());
        assertEquals(String.join("\n",
                "MODEL                CONTEXT  MAX OUTPUT  FEATURES           FROM",
                "kimi-offline-demo    262,144           -  images, reasoning  server",
                "kimi-k3            1,000,000           -  -                  built-in (as of 2026-12-08)", ""),
                stdout().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void listModelsJsonIsAnArray() {
        assertEquals(0, demo("--list-models", "--json"), stderr());
        JsonNode models = JSON.readTree(stdout());
        assertTrue(models.isArray() && models.size() == 2, stdout());
        JsonNode demo = models.get(0);
        assertEquals("kimi-offline-demo", demo.path("id").asString());
        assertEquals("alfred-chat offline demo", demo.path("display_name").asString());
        assertEquals(262_144, demo.path("context_window").asInt());
        assertTrue(demo.path("max_output_tokens").isNull());
        assertEquals("[\"images\",\"reasoning\"]", demo.path("features").toString());
        assertEquals("server", demo.path("origin").asString());
        assertTrue(demo.path("as_of").isNull());
        assertEquals("built_in", models.get(1).path("origin").asString());
        assertEquals("2026-12-08", models.get(1).path("as_of").asString());
        assertEquals(1_000_000, models.get(1).path("context_window").asInt());
    }

    @Test
    void anEmbeddingsOnlyServerIsAUsageErrorWithTheLibrarysMessage() {
        try (FakeServer voyage = FakeServer.start(WireDialect.voyage())) {
            env.put("OPENAI_API_KEY", KEY);
            env.put("OPENAI_BASE_URL", voyage.baseUri().toString());
            env.put("OPENAI_DIALECT", "voyage");
            assertEquals(ExitCode.USAGE, run("--provider", "openai", "--list-models"));
            assertTrue(stderr().contains("alfred-chat: openai: Voyage AI is an embeddings-only server: it has no chat"),
                    stderr());
            assertEquals(0, voyage.requestCount());
        }
    }

    /** A provider with no catalogue and no counter of its own: the testkit's scripted one, found by discovery. */
    public static final class CatalogueLessFactory implements LlmProviderFactory {
        /** For ServiceLoader. */
        public CatalogueLessFactory() {
        }

        @Override
        public String id() {
            return "catalogue-less";
        }

        @Override
        public LlmProvider create(ProviderConfig config) {
            return ScriptedProvider.create(id(), Capabilities.of(Capabilities.Feature.TOOLS));
        }
    }

    /** Runs alfred-chat with {@link CatalogueLessFactory} discoverable through the context class loader. */
    private int withCatalogueLess(java.nio.file.Path dir, String... args) throws Exception {
        java.nio.file.Path services = dir.resolve("META-INF/services");
        java.nio.file.Files.createDirectories(services);
        java.nio.file.Files.writeString(services.resolve(LlmProviderFactory.class.getName()),
                CatalogueLessFactory.class.getName() + "\n");
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, original)) {
            thread.setContextClassLoader(loader);
            return run(args);
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    @Test
    void listModelsOfAProviderWithoutACatalogueIsAUsageErrorWithItsMessage(@TempDir java.nio.file.Path dir)
            throws Exception {
        assertEquals(ExitCode.USAGE, withCatalogueLess(dir, "--provider", "catalogue-less", "--list-models", "--json"));
        JsonNode error = onlyJson().path("error");
        assertEquals("usage", error.path("kind").asString());
        assertTrue(error.path("message").asString().contains("catalogue-less"), error.toString());
        assertTrue(stderr().startsWith("alfred-chat: "), stderr());
    }

    @Test
    void countTokensOfAProviderWithoutACounterSaysItIsAnEstimate(@TempDir java.nio.file.Path dir) throws Exception {
        assertEquals(0, withCatalogueLess(dir, "--provider", "catalogue-less", "--count-tokens", "hello there"),
                stderr());
        assertTrue(stdout().matches("\\d+ tokens \\(estimate: .+\\)\n"), stdout());
    }

    // the options' rules

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--dimensions 8 hello|--dimensions goes with --embed",
        "--embed --dimensions 0 hello|--dimensions must be positive, was 0",
        "--embed --count-tokens hello|--embed and --count-tokens cannot be used together; give one",
        "--list-models --list-providers|--list-models and --list-providers cannot be used together",
        "--embed --system framing hello|--embed sends no chat request; it cannot be used with --system",
        "--list-models --tools|--list-models sends no chat request; it cannot be used with --tools",
        "--list-models hello|--list-models takes no PROMPT; was given 'hello'"})
    void theNewOptionsRulesAreUsageErrorsNamedAsTyped(String args, String message) {
        assertEquals(ExitCode.USAGE, demo(args.split(" ")));
        assertTrue(stderr().contains(message), stderr());
        assertFalse(stderr().contains("scripted demo server"), stderr());
    }

    @Test
    void helpNamesTheNewOptions() {
        assertEquals(0, run("--help"));
        for (String s : List.of("--embed", "--dimensions=N", "--count-tokens", "--list-models", "OPENAI_EMBEDDINGS_MODEL",
                "OPENAI_DIALECT=voyage")) {
            assertTrue(stdout().contains(s), () -> s + " missing from --help: " + stdout());
        }
    }
}
