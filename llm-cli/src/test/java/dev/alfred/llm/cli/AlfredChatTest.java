package dev.alfred.llm.cli;

import dev.alfred.llm.testkit.CapturedLogs;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** alfred-chat end to end, in process, against the testkit's fake server over real HTTP. */
class AlfredChatTest {

    private static final String KEY = "sk-cli-test-99887766554433221100";

    private FakeServer server;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Map<String, String> env;
    private AlfredChat app;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        env = new HashMap<>(Map.of("KIMI_API_KEY", KEY, "KIMI_BASE_URL", server.baseUri().toString(),
                "RETRY_MAX_ATTEMPTS", "1"));
        CapturedLogs.clear();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String stdin, boolean terminal, String... args) {
        app = new AlfredChat(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                env, terminal);
        return app.execute(args);
    }

    private int run(String... args) {
        return run("", false, args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void streamedOutputIsTheScriptedAnswerAndStatsGoToStderr() {
        server.enqueue(Reply.stream("Bonjour", ", ", "le ", "monde ", "🙂"));
        assertEquals(0, run("Say", "hello"));
        assertEquals("Bonjour, le monde 🙂\n", stdout());
        assertTrue(stderr().contains("fake-model-1 · tokens in 12 (4 cached) · out 8 (0 reasoning)"), stderr());
        assertTrue(stderr().contains("first token") && stderr().contains("total"), stderr());
        RecordedRequest r = server.takeRequest();
        assertEquals("Say hello", r.json().path("messages").get(0).path("content").asString());
        assertTrue(r.json().path("stream").asBoolean());
    }

    @Test
    void jsonHoldsContentReasoningUsageAndTimings() {
        server.enqueue(Reply.stream(ScriptedStream.of(List.of(dev.alfred.llm.ChatDelta.reasoning("think"),
                dev.alfred.llm.ChatDelta.text("42")))));
        assertEquals(0, run("--json", "--model", "kimi-k2.6", "question"));
        JsonNode json = JsonMapper.builder().build().readTree(stdout());
        assertEquals("42", json.path("content").asString());
        assertEquals("think", json.path("reasoning").asString());
        assertEquals(20, json.path("usage").path("total_tokens").asInt());
        assertEquals(4, json.path("usage").path("cached_tokens").asInt());
        assertEquals("stop", json.path("finish_reason").asString());
        assertTrue(json.path("timings").path("total_ms").asDouble() >= json.path("timings").path("first_token_ms").asDouble());
        assertEquals("kimi-k2.6", server.takeRequest().json().path("model").asString());
    }

    @Test
    void noStreamMakesOneBlockingCallWithTheOptions() {
        server.enqueue(Reply.chat("blocking answer"));
        assertEquals(0, run("--no-stream", "--system", "Be terse", "--max-tokens", "50", "--temperature", "0.3", "hi"));
        assertEquals("blocking answer\n", stdout());
        JsonNode body = server.takeRequest().json();
        assertFalse(body.has("stream"));
        assertEquals("system", body.path("messages").get(0).path("role").asString());
        assertEquals(50, body.path("max_completion_tokens").asInt());
        assertEquals(0.3, body.path("temperature").asDouble());
    }

    @ParameterizedTest(name = "HTTP {0} {1} exits {2}")
    @CsvSource({
        "401, invalid_authentication_error, 3",
        "429, exceeded_current_quota_error, 4",
        "429, rate_limit_reached_error, 4",
        "503, server_unavailable, 5",
        "400, invalid_request_error, 1",
    })
    void eachErrorClassHasItsExitCodeAndOneLineWithoutTheKey(int status, String type, String code) {
        server.setDefault(Reply.error(status, type, "scripted " + type + " for key " + KEY));
        assertEquals(Integer.parseInt(code), run("hi"));
        String e = stderr().strip();
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertTrue(e.startsWith("alfred-chat: kimi: HTTP " + status), e);
        assertFalse(e.contains(KEY) || stdout().contains(KEY), e);
        assertFalse(e.contains("\tat "), "no stack trace without --debug");
    }

    @Test
    void debugPrintsTheStackTrace() {
        server.setDefault(Reply.error(401, "invalid_authentication_error", "Invalid Authentication"));
        assertEquals(3, run("--debug", "hi"));
        assertTrue(stderr().contains("\tat "), stderr());
    }

    @Test
    void thePromptIsReadFromStandardInputOnAPipe() {
        server.enqueue(Reply.stream("piped answer"));
        assertEquals(0, run("What is\n2 + 2?\n", false));
        assertEquals("piped answer\n", stdout());
        assertEquals("What is\n2 + 2?", server.takeRequest().json().path("messages").get(0).path("content").asString());
    }

    @Test
    void aConversationKeepsHistoryUntilReset() {
        server.enqueue(Reply.stream("one")).enqueue(Reply.stream("two")).enqueue(Reply.stream("three"));
        assertEquals(0, run("first\nsecond\n/reset\nthird\n/exit\n", true));
        assertEquals("one\ntwo\nthree\n", stdout());
        List<RecordedRequest> requests = server.takeRequests();
        assertEquals(1, requests.get(0).json().path("messages").size());
        JsonNode second = requests.get(1).json().path("messages");
        assertEquals(3, second.size(), "user, assistant, user");
        assertEquals("one", second.get(1).path("content").asString());
        assertEquals(1, requests.get(2).json().path("messages").size(), "/reset forgot the history");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "--max-tokens=abc", "--temperature=hot"})
    void wrongArgumentsGiveAUsageLineAndExitTwo(String arg) {
        assertEquals(2, run(arg, "hi"));
        assertTrue(stderr().contains("alfred-chat [-hV]"), stderr());
        assertEquals(0, server.requestCount());
    }

    @Test
    void anUnknownProviderIsAUsageErrorListingTheOnesFound() {
        assertEquals(2, run("--provider", "nope", "hi"));
        assertTrue(stderr().contains("no LLM provider with id 'nope'; found: kimi"), stderr());
    }

    @Test
    void anInvalidSettingIsAUsageError() {
        assertEquals(2, run("--temperature", "7", "hi"));
        assertTrue(stderr().contains("temperature must be within [0, 2]"), stderr());
    }

    @Test
    void listProvidersShowsWhereEachCameFrom() {
        assertEquals(0, run("--list-providers"));
        assertTrue(stdout().contains("provider  kimi  dev.alfred.llm.kimi.KimiProviderFactory ("), stdout());
        assertTrue(stdout().contains("decorator retry  dev.alfred.llm.retry.RetryDecorator"), stdout());
    }

    @Test
    void withNoKeyItRunsTheWholePathOfflineAndTheRetryAbsorbsTheScripted429() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        env.remove("RETRY_MAX_ATTEMPTS");
        assertEquals(0, run("Hello"));
        assertTrue(stdout().startsWith("Hello! This is alfred-chat's offline demo"), stdout());
        assertTrue(stdout().contains("You said: \"Hello\""), stdout());
        assertTrue(stderr().contains("no KIMI_API_KEY set: answering offline"), stderr());
        assertTrue(CapturedLogs.lines().stream().anyMatch(l -> l.message().contains("attempt 1/3 failed")
                && l.message().contains("429") && l.message().contains("retrying in 300 ms")), CapturedLogs.lines().toString());
        assertEquals(0, server.requestCount(), "the test's own server was not used");
    }

    @Test
    void cancellingAStreamAbortsItExitsWith130AndLeavesNoThreadBehind() throws Exception {
        Set<Thread> before = Threads.live();
        server.enqueue(Reply.stream(ScriptedStream.ofText("a ", "b ", "c ", "d ", "e ", "f ", "g ", "h ")
                .chunked(8, Duration.ofMillis(300))));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run("slow"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stdout().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(stdout().isEmpty(), "the stream started");
        app.cancel();
        assertEquals(130, exit.get(20, TimeUnit.SECONDS));
        assertFalse(stdout().contains("h "), "the stream was cut, not read to its end: " + stdout());
        assertTrue(stderr().contains("cancelled"), stderr());
        Set<Thread> grown = Threads.newSince(before, Duration.ofSeconds(10), 0);
        grown.removeIf(t -> t.getName().startsWith("ForkJoinPool"));
        assertTrue(grown.isEmpty(), () -> "threads left behind: " + grown);
    }
}
