package dev.alfred.llm.cli;

import dev.alfred.llm.testkit.CapturedLogs;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Gate;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.Threads;
import dev.alfred.llm.testkit.WireDialect;
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
                env, terminal).demoPace(Duration.ZERO, Duration.ofMillis(1));
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

    /** Standard error without the terminal's escape sequences (JLine's modes, faint type). */
    private String plainStderr() {
        return plain(stderr());
    }

    static String plain(String s) {
        return s.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll("\u001b[=>]", "");
    }

    /** Standard output holds exactly one JSON object, on one line. */
    private JsonNode onlyJsonObject() {
        List<String> lines = stdout().lines().toList();
        assertEquals(1, lines.size(), () -> "one line of JSON: " + stdout() + " | stderr: " + stderr());
        JsonNode node = JsonMapper.builder().build().readTree(lines.get(0));
        assertTrue(node.isObject(), stdout());
        return node;
    }

    /** A recorded exchange from the testkit's corpus. */
    static String recording(String name) {
        try (java.io.InputStream s = AlfredChatTest.class.getResourceAsStream("/dev/alfred/llm/testkit/recordings/" + name)) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void noKimi() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
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
    void toolCallsArePrintedAsArrowLinesAndListedInJson() {
        ScriptedStream calls = ScriptedStream.of(List.of(dev.alfred.llm.ChatDelta.text("Checking."),
                new dev.alfred.llm.ChatDelta.ToolCallStart(0, "get_weather_0", "get_weather"),
                new dev.alfred.llm.ChatDelta.ToolCallArguments(0, "{\"city\":"),
                new dev.alfred.llm.ChatDelta.ToolCallArguments(0, "\"Paris\"}"))).withFinishReason("tool_calls");
        server.enqueue(Reply.stream(calls)).enqueue(Reply.stream(calls)).enqueue(Reply.chat(calls));
        assertEquals(0, run("weather?"));
        assertEquals("Checking.\n→ get_weather({\"city\":\"Paris\"})\n", stdout());
        out.reset();
        assertEquals(0, run("--json", "weather?"));
        JsonNode json = JsonMapper.builder().build().readTree(stdout());
        assertEquals("tool_calls", json.path("finish_reason").asString());
        assertEquals("[{\"id\":\"get_weather_0\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\","
                + "\"status\":\"complete\"}]", json.path("tool_calls").toString());
        out.reset();
        assertEquals(0, run("--no-stream", "weather?"));
        assertEquals("Checking.\n→ get_weather({\"city\":\"Paris\"})\n", stdout());
    }

    @Test
    void aTruncatedToolCallIsMarkedOnItsLine() {
        server.enqueue(Reply.stream(ScriptedStream.ofToolCall("c1", "get_weather", "{\"city\":\"Pa").withFinishReason("length")));
        assertEquals(0, run("weather?"));
        assertEquals("→ get_weather({\"city\":\"Pa) [truncated]\n", stdout());
    }

    @Test
    void anImageIsAttachedToThePromptAsItsOwnPart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path png = dir.resolve("cat.PNG");
        java.nio.file.Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        server.enqueue(Reply.stream("A cat."));
        assertEquals(0, run("--image", png.toString(), "What", "is", "this?"));
        JsonNode content = server.takeRequest().json().path("messages").get(0).path("content");
        assertEquals("[{\"type\":\"text\",\"text\":\"What is this?\"},{\"type\":\"image_url\",\"image_url\":"
                + "{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]", content.toString());
    }

    @Test
    void anImageThatCannotBeSentIsAUsageErrorNamingTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path txt = dir.resolve("notes.txt");
        java.nio.file.Files.writeString(txt, "x");
        assertEquals(ExitCode.USAGE, run("--image", txt.toString(), "hi"));
        assertTrue(stderr().contains("--image " + txt + ": not a PNG, JPEG, GIF or WebP image (its first bytes match"
                + " none of their signatures)"), stderr());
        err.reset();
        java.nio.file.Path missing = dir.resolve("gone.png");
        assertEquals(ExitCode.USAGE, run("--image", missing.toString(), "hi"));
        assertTrue(stderr().contains("--image " + missing + ": cannot read it: no such file"), stderr());
        err.reset();
        assertEquals(ExitCode.USAGE, run("--image", dir.toString(), "hi"));
        assertTrue(stderr().contains("--image " + dir + ": is a directory, not a PNG, JPEG, GIF or WebP image"), stderr());
        java.nio.file.Path empty = dir.resolve("empty.jpg");
        java.nio.file.Files.write(empty, new byte[0]);
        err.reset();
        assertEquals(ExitCode.USAGE, run("--image", empty.toString(), "hi"));
        assertTrue(stderr().contains("0 bytes; an image must have 1 to"), stderr());
        assertEquals(0, server.requestCount());
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
        assertTrue(stderr().contains("no LLM provider with id 'nope'; found: anthropic, kimi, openai"), stderr());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--max-tokens|-3|--max-tokens must be positive, was -3",
        "--max-tokens|0|--max-tokens must be positive, was 0",
        "--temperature|7|--temperature must be between 0 and 2, was 7.0",
    })
    void anInvalidOptionIsNamedAsTypedBeforeAnyBanner(String option, String value, String message) {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL"); // demo mode: its banner must not come first
        assertEquals(2, run(option, value, "hi"));
        assertEquals("alfred-chat: " + message, stderr().lines().findFirst().orElse(""));
        assertFalse(stderr().contains("demo server"), stderr());
    }

    @Test
    void listProvidersShowsWhereEachCameFrom() {
        assertEquals(0, run("--list-providers"));
        assertTrue(stdout().contains("provider  kimi  dev.alfred.llm.kimi.KimiProviderFactory ("), stdout());
        assertTrue(stdout().contains("provider  openai  dev.alfred.llm.openai.OpenAiProviderFactory ("), stdout());
        assertTrue(stdout().contains("provider  anthropic  dev.alfred.llm.anthropic.AnthropicProviderFactory ("), stdout());
        assertTrue(stdout().contains("decorator retry  dev.alfred.llm.retry.RetryDecorator ("), stdout());
        assertTrue(stdout().contains("), order 100"), "the decorator's origin and order: " + stdout());
    }

    @Test
    void aLocalOpenAiCompatibleServerNeedsOnlyItsBaseUrl() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        try (FakeServer local = FakeServer.start(dev.alfred.llm.testkit.WireDialect.openAi())) {
            local.enqueue(Reply.stream("From ", "a local server."));
            assertEquals(0, run("--provider", "openai", "--base-url", local.baseUri().toString(), "--model", "qwen3", "hi"));
            assertEquals("From a local server.", stdout().strip());
            assertFalse(stderr().contains("demo server"), stderr());
            dev.alfred.llm.testkit.RecordedRequest r = local.takeRequest();
            assertEquals(java.util.Optional.empty(), r.header("authorization"), "no key, no Authorization header");
            assertEquals("qwen3", r.json().path("model").asString());
        }
    }

    @Test
    void theAnthropicProviderIsChosenByIdAndAMissingKeyNamesItsVariable() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        try (FakeServer claude = FakeServer.start(dev.alfred.llm.testkit.WireDialect.anthropic())) {
            claude.enqueue(Reply.stream("Bonjour."));
            env.put("ANTHROPIC_API_KEY", "sk-ant-cli-0123456789");
            assertEquals(0, run("--provider", "anthropic", "--base-url", claude.baseUri() + "/v1", "hi"));
            assertEquals("Bonjour.", stdout().strip());
            assertEquals(java.util.Optional.of("sk-ant-cli-0123456789"), claude.takeRequest().header("x-api-key"));
        }
        env.remove("ANTHROPIC_API_KEY");
        assertEquals(2, run("--provider", "anthropic", "hi"));
        assertTrue(stderr().contains("ANTHROPIC_API_KEY"), stderr());
    }

    @Test
    void withNoKeyItRunsTheWholePathOfflineAndTheRetryAbsorbsTheScripted429() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        env.remove("RETRY_MAX_ATTEMPTS");
        assertEquals(0, run("Hello"));
        assertTrue(stdout().startsWith("Hello! This is alfred-chat's offline demo"), stdout());
        assertTrue(stdout().contains("You said: \"Hello\""), stdout());
        assertTrue(stderr().contains("no KIMI_API_KEY set: answering from a scripted demo server"), stderr());
        assertTrue(stdout().contains("absorbed a scripted 429"), "the turn that had the 429 says so: " + stdout());
        assertTrue(CapturedLogs.lines().stream().anyMatch(l -> l.message().contains("attempt 1/3 failed")
                && l.message().contains("429") && l.message().contains("retrying in 1 ms")), CapturedLogs.lines().toString());
        assertEquals(0, server.requestCount(), "the test's own server was not used");
    }

    @Test
    void cancellingAStreamAbortsItExitsWith130AndLeavesNoThreadBehind() throws Exception {
        server.enqueue(Reply.stream("warm"));
        assertEquals(0, run("warm up")); // the library's shared threads (watchdog, cleaner, pool) start once per JVM
        out.reset();
        Set<Thread> before = Threads.live();
        Gate held = new Gate();
        server.enqueue(Reply.stream("a ", "b ", "c ", "d ", "e ", "f ", "g ", "h ").holdAfterDeltas(1, held));
        java.util.concurrent.FutureTask<Integer> exit = new java.util.concurrent.FutureTask<>(() -> run("slow"));
        Thread runner = new Thread(exit, "test-alfred-chat");
        runner.start();
        held.awaitReached(HANG);
        awaitStdout();
        assertTrue(app.interrupt(), "Ctrl-C in one-shot mode exits");
        assertEquals(130, exit.get(20, TimeUnit.SECONDS));
        runner.join();
        assertEquals("a \n", stdout(), "the stream was cut, not read to its end");
        assertTrue(stderr().contains("cancelled"), stderr());
        // llm-http's shared pool may have grown (at most 8 threads, released after 30 s idle: bounded, not a leak);
        // every other thread this turn started must end
        Set<Thread> pool = Threads.live();
        pool.removeAll(before);
        pool.removeIf(t -> !t.getName().startsWith("alfred-llm-http-"));
        Set<Thread> grown = Threads.newSince(before, Duration.ofSeconds(10), pool.size());
        grown.removeAll(pool);
        assertTrue(grown.isEmpty(), () -> "threads left behind: " + grown);
    }

    private static final Duration HANG = Duration.ofSeconds(20);

    /** Waits until the answer has begun on standard output: a state, with a bound for a hang. */
    private void awaitStdout() {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (stdout().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertFalse(stdout().isEmpty(), "the answer began");
    }

    // ---- issue 10: a tool people live in ----

    @Test
    void aFailedTurnIsReportedAndTheConversationGoesOnWithoutIt() {
        server.enqueue(Reply.stream("one")).enqueue(Reply.error(500, "server_error", "upstream fell over"))
                .enqueue(Reply.error(401, "invalid_authentication_error", "bad key")).enqueue(Reply.stream("three"));
        assertEquals(0, run("first\nsecond\nthird\nfourth\n/exit\n", true));
        assertEquals("one\nthree\n", stdout());
        assertTrue(stderr().contains("alfred-chat: kimi: HTTP 500 server_error: upstream fell over"), stderr());
        assertTrue(stderr().contains("alfred-chat: kimi: HTTP 401 invalid_authentication_error: bad key"), stderr());
        List<RecordedRequest> requests = server.takeRequests();
        JsonNode last = requests.get(3).json().path("messages");
        assertEquals(List.of("first", "one", "fourth"), List.of(last.get(0).path("content").asString(),
                last.get(1).path("content").asString(), last.get(2).path("content").asString()),
                "the failed turns are not in the history");
    }

    @Test
    void helpListsTheCommandsAndAnUnknownCommandIsAnErrorNotAPrompt() {
        assertEquals(0, run("/help\n/frobnicate now\n/exit\n", true));
        assertTrue(stderr().contains("/help this list · /reset forget the conversation · /exit quit"), stderr());
        assertTrue(stderr().contains("alfred-chat: unknown command /frobnicate; /help lists the commands"), stderr());
        assertEquals(0, server.requestCount(), "no command went to the model");
    }

    @Test
    void ctrlDAtThePromptEndsTheConversationWithANewline() {
        assertEquals(0, run("", true));
        assertTrue(plainStderr().matches("(?s).*you> \\r*\\n"), "a new line for the shell's prompt: " + stderr());
    }

    @Test
    void ctrlCAtThePromptExitsAndBeforeAnyTurnToo() {
        AlfredChat idle = new AlfredChat(new ByteArrayInputStream(new byte[0]), new PrintStream(out), new PrintStream(err),
                env, true);
        assertTrue(idle.interrupt(), "no answer under way: Ctrl-C exits");
    }

    @Test
    void ctrlCMidAnswerInAConversationStopsThatAnswerAndTheNextLineIsAnswered() throws Exception {
        Gate held = new Gate();
        server.enqueue(Reply.stream("a ", "b ", "c ", "d ", "e ", "f ").holdAfterDeltas(1, held))
                .enqueue(Reply.stream("next answer"));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run("slow\nquick\n/exit\n", true));
        held.awaitReached(HANG);
        awaitStdout();
        assertFalse(app.interrupt(), "in a conversation Ctrl-C does not exit");
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        assertTrue(stdout().endsWith("next answer\n"), stdout() + " | stderr: " + stderr());
        assertTrue(stderr().contains("alfred-chat: cancelled"), stderr());
        assertEquals(1, server.takeRequests().get(1).json().path("messages").size(),
                "the cancelled turn is not in the history");
    }

    @Test
    void ctrlCDuringABlockingCallExitsAtOnceAndAbortsTheExchange() throws Exception {
        Gate head = new Gate();
        server.enqueue(Reply.chat("too late").holdHead(head));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run("--no-stream", "hi"));
        head.awaitReached(HANG);
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!app.interrupt() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the turn may not have begun when the request is seen; Ctrl-C exits either way
        }
        assertEquals(130, exit.get(10, TimeUnit.SECONDS), "while the answer is held");
        assertTrue(stderr().contains("alfred-chat: cancelled"), stderr());
    }

    @Test
    void ctrlCInTheProcessDuringABlockingCallLetsTheTurnSaySoThenExits130() throws Exception {
        Gate head = new Gate();
        server.enqueue(Reply.chat("too late").holdHead(head));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run("--no-stream", "hi"));
        head.awaitReached(HANG);
        java.util.List<Integer> exited = new java.util.concurrent.CopyOnWriteArrayList<>();
        app.onCtrlC(exited::add); // as SIGINT does in main, with System.exit
        assertEquals(130, exit.get(10, TimeUnit.SECONDS));
        assertEquals("alfred-chat: cancelled", stderr().strip(), "the message comes before the process ends");
        assertEquals(List.of(), exited, "the turn ended by itself: the handler did not cut it short");
        err.reset();
        app.onCtrlC(exited::add); // no turn under way: the process ends at once
        assertEquals(List.of(130), exited);
    }

    @Test
    void jsonOnFailureIsOneObjectWithTheErrorAndTheSameExitCode() {
        server.setDefault(Reply.error(401, "invalid_authentication_error", "bad key " + KEY));
        assertEquals(3, run("--json", "hi"));
        JsonNode error = JsonMapper.builder().build().readTree(stdout()).path("error");
        assertEquals("authentication", error.path("kind").asString());
        assertEquals(401, error.path("status").asInt());
        assertEquals("invalid_authentication_error", error.path("error_type").asString());
        assertTrue(error.path("retry_after_ms").isNull());
        assertEquals(1, error.path("attempts").asInt());
        assertTrue(error.path("message").asString().contains("bad key ****"), error.toString());
        assertFalse(stdout().contains(KEY));
    }

    @Test
    void jsonAfterAnInterruptedStreamKeepsThePartialOutput() {
        server.enqueue(Reply.stream(ScriptedStream.ofText("Hello, ", "wor").withoutDone()));
        assertEquals(5, run("--json", "hi"));
        JsonNode root = JsonMapper.builder().build().readTree(stdout());
        assertEquals("interrupted", root.path("error").path("kind").asString());
        assertEquals("Hello, wor", root.path("content").asString());
        assertEquals("", root.path("reasoning").asString());
    }

    @Test
    void retriesAreCountedInTheErrorLine() {
        env.put("RETRY_MAX_ATTEMPTS", "3");
        env.put("RETRY_BASE_DELAY", "1ms");
        env.put("RETRY_MAX_DELAY", "1ms");
        server.setDefault(Reply.error(503, "server_unavailable", "down"));
        assertEquals(5, run("hi"));
        assertTrue(stderr().strip().endsWith("(after 3 attempts)"), stderr());
        assertEquals(3, server.requestCount());
        out.reset();
        assertEquals(5, run("--json", "hi"));
        assertEquals(3, JsonMapper.builder().build().readTree(stdout()).path("error").path("attempts").asInt());
    }

    @Test
    void anHtmlErrorPageIsNamedOnceInOneLine() {
        server.setDefault(Reply.raw(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center>"
                + "<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"));
        assertEquals(5, run("hi"));
        assertEquals("alfred-chat: kimi: HTTP 502 - non-JSON body: 502 Bad Gateway", stderr().strip());
    }

    @Test
    void reasoningIsSetApartAsAThinkingBlockWhenNotOnATerminal() {
        server.enqueue(Reply.stream(ScriptedStream.of(List.of(dev.alfred.llm.ChatDelta.reasoning("Let me "),
                dev.alfred.llm.ChatDelta.reasoning("think."), dev.alfred.llm.ChatDelta.text("42")))));
        assertEquals(0, run("--show-reasoning", "q"));
        assertEquals("42\n", stdout());
        assertTrue(stderr().startsWith("thinking: Let me think." + System.lineSeparator() + System.lineSeparator()), stderr());
    }

    @Test
    void reasoningIsDimOnATerminal() {
        server.enqueue(Reply.stream(ScriptedStream.of(List.of(dev.alfred.llm.ChatDelta.reasoning("hmm"),
                dev.alfred.llm.ChatDelta.text("ok")))));
        assertEquals(0, run("q\n/exit\n", true, "--show-reasoning"));
        assertTrue(stderr().contains("\u001b[2mhmm\u001b[22m"), stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--base-url=https://api.moonshot.ai/v1", "--provider=kimi"})
    void aNamedTargetWithoutAKeyIsAUsageErrorNotTheDemo(String arg) {
        noKimi();
        assertEquals(2, run(arg, "Hi"));
        assertFalse(stderr().contains("demo server") || stdout().contains("offline demo"), stderr() + stdout());
        assertEquals("alfred-chat: no API key for kimi: set KIMI_API_KEY (or MOONSHOT_API_KEY)",
                stderr().lines().findFirst().orElse(""));
        assertFalse(stderr().contains("apiKey("), "the user's terms, not the builder's: " + stderr());
    }

    @Test
    void aBaseUrlThatIsNoUrlIsNamedAsTheOption() {
        noKimi();
        assertEquals(2, run("--base-url=not-a-url", "Hi"));
        assertTrue(stderr().startsWith("alfred-chat: --base-url must be an absolute http or https URL with its version"
                + " path, such as https://api.openai.com/v1 or http://localhost:11434/v1; was 'not-a-url'"), stderr());
        err.reset();
        env.put("KIMI_BASE_URL", "nope");
        env.put("KIMI_API_KEY", KEY);
        assertEquals(2, run("Hi"));
        assertTrue(stderr().startsWith("alfred-chat: KIMI_BASE_URL must be an absolute http or https URI, was 'nope'"),
                stderr());
    }

    @Test
    void theOfflineDefaultRunsOneToolRoundTripShownWithDebugAndListedInJson() throws Exception {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        assertEquals(0, run("--debug", "What time is it?"));
        assertTrue(stderr().matches("(?s).*alfred-chat: tool current_time\\(\\{\"zone\":\"UTC\"\\}\\) → 20\\d\\d-.*"), stderr());
        assertTrue(stdout().contains("The clock tool, which the model called and alfred-chat ran, says it is 20"), stdout());
        out.reset();
        err.reset();
        assertEquals(0, run("--json", "hi"));
        JsonNode answer = JsonMapper.builder().build().readTree(stdout());
        JsonNode ran = answer.path("tools_run");
        assertEquals(1, ran.size(), stdout());
        assertEquals("current_time", ran.get(0).path("name").asString());
        assertEquals("{\"zone\":\"UTC\"}", ran.get(0).path("arguments").asString());
        assertFalse(ran.get(0).path("error").asBoolean());
        assertTrue(answer.path("content").asString().contains(ran.get(0).path("result").asString()), stdout());
        out.reset();
        err.reset();
        assertEquals(0, run("hi"));
        assertFalse(stderr().contains("tool current_time"), "the tool line is for --debug: " + stderr());
    }

    @Test
    void toolsLetARealProviderCallTheClockAndTheResultGoesBack() {
        server.enqueue(Reply.stream(ScriptedStream.ofToolCall("call_1", "current_time", "{\"zone\":\"Europe/Paris\"}")))
                .enqueue(Reply.stream("It is ", "late."));
        assertEquals(0, run("--tools", "Time?"));
        assertTrue(stdout().startsWith("It is late."), stdout());
        List<RecordedRequest> requests = server.takeRequests();
        assertEquals("current_time", requests.get(0).json().path("tools").get(0).path("function").path("name").asString());
        JsonNode tool = requests.get(1).json().path("messages").get(2);
        assertEquals("call_1", tool.path("tool_call_id").asString());
        assertTrue(tool.path("content").asString().matches("20\\d\\d-\\d\\d-\\d\\dT.*\\+01:00|20.*\\+02:00"),
                tool.toString());
        assertEquals(2, run("--tools", "--no-stream", "Time?"));
        assertTrue(stderr().contains("--tools runs a tool loop over streamed rounds"), stderr());
    }

    @Test
    void offlineWithAKeySetSaysItIsNotUsedAndNoStreamClaimsNoEventStream() {
        assertEquals(0, run("--offline", "--no-stream", "Hi"));
        assertTrue(stderr().contains("--offline (KIMI_API_KEY is set and not used): answering from a scripted demo server"),
                stderr());
        assertFalse(stdout().contains("event-stream") || stderr().contains("first token"), stdout() + stderr());
        assertEquals(0, server.requestCount());
    }

    @Test
    void theScripted429IsMentionedOnlyOnTheTurnItHappened() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        env.remove("RETRY_MAX_ATTEMPTS");
        assertEquals(0, run("one\ntwo\n/exit\n", true));
        List<String> answers = stdout().lines().toList();
        assertTrue(answers.get(0).contains("scripted 429"), answers.get(0));
        assertFalse(answers.get(1).contains("429"), answers.get(1));
    }

    @Test
    void withRetriesOffTheDemoScriptsNo429() {
        env.remove("KIMI_API_KEY");
        env.remove("KIMI_BASE_URL");
        env.put("RETRY_ENABLED", "false");
        assertEquals(0, run("Hi"));
        assertFalse(stdout().contains("429"), stdout());
    }

    @Test
    void anErrorEventAfterOutputIsAFailureInJsonToo() {
        server.enqueue(Reply.raw(200, "text/event-stream", "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n"
                + "event: error\ndata: {\"error\":{\"message\":\"stream failure upstream\",\"type\":\"server_error\"}}\n\n"
                + "data: [DONE]\n\n"));
        assertEquals(5, run("--json", "hi"));
        JsonNode root = JsonMapper.builder().build().readTree(stdout());
        assertEquals("interrupted", root.path("error").path("kind").asString());
        assertEquals("Hel", root.path("content").asString());
        assertTrue(root.path("error").path("message").asString().contains("stream failure upstream"), root.toString());
    }

    @Test
    void aMissingKeyWithJsonIsStillOneObjectAndAUsageExit() {
        env.remove("KIMI_API_KEY");
        assertEquals(2, run("--json", "hi")); // KIMI_BASE_URL names a target: no demo
        JsonNode error = onlyJsonObject().path("error");
        assertEquals("usage", error.path("kind").asString());
        assertFalse(error.has("attempts"), "nothing was sent: " + error);
        assertTrue(error.path("message").asString().contains("KIMI_API_KEY"), error.toString());
    }

    @Test
    void jsonErrorsBeforeAnyTurnHaveTheSameShapeAsTurnErrors() {
        for (String[] args : new String[][] {{"--json", "--provider", "nope", "hi"}, {"--json", "hi"}}) {
            out.reset();
            if (args.length == 2) {
                env.remove("KIMI_API_KEY"); // a named base URL without a key
            }
            assertEquals(2, run(args));
            JsonNode error = onlyJsonObject().path("error");
            for (String field : List.of("kind", "message", "status", "error_type", "retry_after_ms")) {
                assertTrue(error.has(field), () -> field + " missing from " + error);
            }
            assertEquals("usage", error.path("kind").asString());
            assertFalse(error.has("attempts"), "nothing was sent: " + error);
            assertTrue(error.path("status").isNull() && error.path("retry_after_ms").isNull(), error.toString());
        }
    }

    // ---- issue 25: the first hour of a new user ----

    @Test
    void modelIsTheProvidersModelTooSoADialectWithoutADefaultWorks() {
        noKimi();
        env.put("OPENAI_DIALECT", "ollama"); // as a base URL on port 11434 would choose
        try (FakeServer local = FakeServer.start(WireDialect.openAi())) {
            local.enqueue(Reply.stream("Hi from qwen3."));
            assertEquals(0, run("--provider", "openai", "--base-url", local.baseUri().toString(), "--model", "qwen3", "Hi"),
                    stderr());
            assertEquals("Hi from qwen3.\n", stdout());
            assertEquals("qwen3", local.takeRequest().json().path("model").asString());
            err.reset();
            assertEquals(2, run("--provider", "openai", "--base-url", local.baseUri().toString(), "Hi"));
            assertEquals("alfred-chat: no model: the ollama dialect has no default model: set OPENAI_MODEL, or pass"
                    + " --model NAME", stderr().lines().findFirst().orElse(""));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--json --frobnicate hi|Unknown option: '--frobnicate'",
        "--json --max-tokens abc hi|Invalid value for option '--max-tokens': 'abc' is not an int",
        "--max-tokens=abc --json hi|Invalid value for option '--max-tokens': 'abc' is not an int",
        "--json --timeout soon hi|Invalid value for option '--timeout': 'soon' is not a duration such as 30s, 2m, 500ms or 1h",
        "--json --max-tokens -3 hi|--max-tokens must be positive, was -3",
    })
    void withJsonEveryUsageErrorIsOneObjectOfKindUsageWithNoAttempts(String args, String message) {
        assertEquals(2, run(args.split(" ")));
        JsonNode error = onlyJsonObject().path("error");
        assertEquals("usage", error.path("kind").asString());
        assertTrue(error.path("message").asString().startsWith(message), error.toString());
        assertFalse(error.has("attempts"), "nothing was sent: " + error);
        assertEquals(0, server.requestCount());
    }

    @Test
    void withJsonATurnFailureCountsItsAttempts() {
        server.setDefault(Reply.error(400, "invalid_request_error", "bad"));
        assertEquals(1, run("--json", "hi"));
        assertEquals(1, onlyJsonObject().path("error").path("attempts").asInt());
    }

    @Test
    void withJsonTheProviderListIsOneObjectToo() {
        assertEquals(0, run("--json", "--list-providers"));
        JsonNode list = onlyJsonObject();
        assertEquals(List.of("anthropic", "kimi", "openai"), list.path("providers").findValuesAsString("id"));
        assertEquals("retry", list.path("decorators").get(0).path("id").asString(), list.toString());
    }

    @Test
    void settingsTheProviderDroppedAreWarnedOnStderrAndListedInJson() {
        noKimi();
        try (FakeServer openai = FakeServer.start(WireDialect.openAi())) {
            openai.enqueue(Reply.stream("Hi.")).enqueue(Reply.stream("Hi."));
            String warning = "temperature and top_p were not sent: gpt-5-mini accepts only their defaults";
            assertEquals(0, run("--provider", "openai", "--base-url", openai.baseUri().toString(), "--model", "gpt-5-mini",
                    "--temperature", "0.5", "Hi"), stderr());
            assertTrue(stderr().contains("alfred-chat: warning: " + warning + System.lineSeparator()), stderr());
            assertFalse(stderr().contains("\u001b["), "not a terminal: no escape codes");
            assertFalse(stderr().contains("kept what"), "fields kept unmodelled are for --debug and --json: " + stderr());
            out.reset();
            assertEquals(0, run("--json", "--provider", "openai", "--base-url", openai.baseUri().toString(), "--model",
                    "gpt-5-mini", "--temperature", "0.5", "Hi"));
            JsonNode warnings = onlyJsonObject().path("warnings");
            assertEquals(warning, warnings.get(0).asString(), warnings.toString());
            assertTrue(warnings.get(1).asString().startsWith("kept what openai does not model in providerFields:"
                    + " service_tier, system_fingerprint"), "--json lists every warning: " + warnings);
        }
    }

    @Test
    void warningsAndReasoningAreFaintOnATerminalUnlessNoColorIsSet() {
        noKimi();
        try (FakeServer openai = FakeServer.start(WireDialect.openAi())) {
            String[] args = {"--show-reasoning", "--provider", "openai", "--base-url", openai.baseUri().toString(), "--model",
                "gpt-5-mini", "--temperature", "0.5"};
            openai.enqueue(Reply.stream("Hi."));
            assertEquals(0, run("Hi\n/exit\n", true, args));
            assertTrue(stderr().contains("\u001b[2malfred-chat: warning: temperature and top_p were not sent"), stderr());
            err.reset();
            env.put("NO_COLOR", "1");
            server.enqueue(Reply.stream(ScriptedStream.of(List.of(dev.alfred.llm.ChatDelta.reasoning("hmm"),
                    dev.alfred.llm.ChatDelta.text("ok")))));
            env.put("KIMI_API_KEY", KEY);
            env.put("KIMI_BASE_URL", server.baseUri().toString());
            assertEquals(0, run("q\n/exit\n", true, "--show-reasoning"));
            assertFalse(stderr().contains("\u001b[2m") || stderr().contains("\u001b[22m"), stderr());
            assertTrue(plainStderr().contains("thinking: hmm"), stderr());
        }
    }

    @Test
    void onATerminalTheSpinnersLineIsClearedBeforeAnErrorIsPrinted() {
        server.setDefault(Reply.error(500, "server_error", "upstream fell over"));
        assertEquals(0, run("hi\n/exit\n", true));
        assertTrue(stderr().contains("\r\u001b[Kalfred-chat: kimi: HTTP 500"), stderr());
        err.reset();
        assertEquals(0, run("hi\n/exit\n", true, "--no-stream"));
        assertTrue(stderr().contains("\r\u001b[Kalfred-chat: kimi: HTTP 500"), stderr());
    }

    @Test
    void timeoutIsTheRequestsOwnDeadlineAndNoRetryStartsAfterIt() {
        env.put("RETRY_MAX_ATTEMPTS", "3");
        Gate held = new Gate();
        server.setDefault(Reply.stream("a ", "b ").holdAfterDeltas(1, held));
        // the deadline runs on the wall clock (the watchdog's); whether it strikes before the head or after
        // the first piece, the message names the request's own deadline
        assertEquals(5, run("--timeout", "200ms", "hi"));
        assertTrue(stderr().matches("(?s).*(not complete within the total timeout of|no response headers within) 200 ms.*"),
                stderr());
        assertEquals(1, server.requestCount(), "a hung server costs one timeout, not one per attempt");
        err.reset();
        server.setDefault(Reply.chat("late").holdHead(held));
        assertEquals(5, run("--no-stream", "--timeout", "PT0.2S", "hi"));
        assertTrue(stderr().contains("no response headers within 200 ms"), stderr());
        assertEquals(2, server.requestCount());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "soon|'soon' is not a duration such as 30s, 2m, 500ms or 1h",
        "0s|'0s' is no time at all; give a positive duration such as 30s",
        "-5s|'-5s' is not a duration",
    })
    void aTimeoutThatIsNoPositiveDurationIsAUsageError(String value, String message) {
        assertEquals(2, run("--timeout", value, "hi"));
        assertTrue(stderr().startsWith("alfred-chat: Invalid value for option '--timeout': " + message), stderr());
        assertEquals(0, server.requestCount());
    }

    @Test
    void helpNamesTheTimeoutVariablesTheNewOptionsAndEveryExitCode() {
        assertEquals(0, run("--help"));
        for (String s : List.of("--timeout=DURATION", "--allow-insecure-http", "KIMI_TOTAL_TIMEOUT", "KIMI_IDLE_TIMEOUT",
                "KIMI_HEADERS_TIMEOUT", "RETRY_MAX_RETRY_AFTER", "NO_COLOR", "6 the model refused to answer",
                "https://api.anthropic.com/v1")) {
            assertTrue(stdout().contains(s), () -> s + " missing from --help: " + stdout());
        }
    }

    @Test
    void aLongRetryAfterThatWasNotWaitedForIsExplainedInTheOneLineError() {
        env.put("RETRY_MAX_ATTEMPTS", "3");
        server.setDefault(Reply.error(429, "rate_limit_reached_error", "slow down").withHeader("retry-after", "3600"));
        assertEquals(4, run("hi"));
        assertEquals(1, server.requestCount(), "not retried");
        String e = stderr().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.endsWith("; the server asks to wait 60 min before another try, longer than the 60 s alfred-chat"
                + " waits at most (RETRY_MAX_RETRY_AFTER): not retried"), e);
    }

    @Test
    void aQuotaErrorSaysItIsOneAndIsNotRetried() {
        env.put("RETRY_MAX_ATTEMPTS", "3");
        server.setDefault(Reply.error(429, "exceeded_current_quota_error", "Your account is suspended, check billing"));
        assertEquals(4, run("hi"));
        assertEquals(1, server.requestCount(), "a quota is never retried");
        assertTrue(stderr().strip().endsWith("; this is a quota or billing limit, not retried: waiting will not help"
                + " (see your plan and billing)"), stderr());
        out.reset();
        assertEquals(4, run("--json", "hi"));
        assertEquals("quota", onlyJsonObject().path("error").path("kind").asString());
    }

    @Test
    void anImageIsTypedByItsBytesNotByItsName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path photo = dir.resolve("photo.png");
        java.nio.file.Files.write(photo, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0});
        server.enqueue(Reply.stream("A photo."));
        assertEquals(0, run("--image", photo.toString(), "What?"), stderr());
        assertTrue(server.takeRequest().json().path("messages").get(0).path("content").get(1).path("image_url")
                .path("url").asString().startsWith("data:image/jpeg;base64,"));
        java.nio.file.Path elf = dir.resolve("cat.png");
        java.nio.file.Files.write(elf, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        assertEquals(2, run("--image", elf.toString(), "What?"));
        assertTrue(stderr().contains("--image " + elf + ": an ELF executable, not a PNG, JPEG, GIF or WebP image"), stderr());
        assertEquals(1, server.requestCount(), "the refused image sent nothing");
    }

    @Test
    void noPathRetriesTwiceOver() {
        env.put("RETRY_MAX_ATTEMPTS", "3");
        env.put("RETRY_BASE_DELAY", "1ms");
        env.put("RETRY_MAX_DELAY", "1ms");
        server.setDefault(Reply.error(503, "server_unavailable", "down"));
        int sent = 0;
        for (String[] args : new String[][] {{"hi"}, {"--no-stream", "hi"}, {"--tools", "hi"}}) {
            assertEquals(5, run(args));
            assertEquals(sent + 3, server.requestCount(), () -> String.join(" ", args) + ": three attempts, not nine");
            sent += 3;
        }
    }

    @Test
    void allowInsecureHttpReachesAPlainHttpServerOnTheNetworkWithNoKey() {
        noKimi();
        try (FakeServer lan = FakeServer.start(WireDialect.openAi())) {
            // IPv4-mapped loopback: not "this machine" by name, so it stands for a server on the LAN
            String url = "http://[::ffff:127.0.0.1]:" + lan.baseUri().getPort() + "/v1";
            assertEquals(2, run("--provider", "openai", "--base-url", url, "--model", "qwen3", "hi"));
            assertEquals("alfred-chat: --base-url " + url + " is plain http to a host that is not this machine: requests"
                    + " (and the API key, if one is set) would cross the network in clear; use https, or pass"
                    + " --allow-insecure-http (or set OPENAI_ALLOW_INSECURE_HTTP=true) to accept that",
                    stderr().lines().findFirst().orElse(""));
            assertEquals(0, lan.requestCount());
            lan.enqueue(Reply.stream("Hello from the LAN."));
            assertEquals(0, run("--provider", "openai", "--base-url", url, "--model", "qwen3", "--allow-insecure-http", "hi"),
                    stderr());
            assertEquals("Hello from the LAN.\n", stdout());
            assertEquals(java.util.Optional.empty(), lan.takeRequest().header("authorization"), "no key needed, none sent");
        }
    }

    @Test
    void baseUrlIsTheApiRootWithItsVersionForAnthropicToo() {
        noKimi();
        env.put("ANTHROPIC_API_KEY", "sk-ant-cli-0123456789");
        try (FakeServer claude = FakeServer.start(WireDialect.anthropic())) {
            claude.enqueue(Reply.stream("Bonjour."));
            assertEquals(0, run("--provider", "anthropic", "--base-url", claude.baseUri() + "/v1", "hi"), stderr());
            assertEquals("/v1/messages", claude.takeRequest().path());
            assertEquals(2, run("--provider", "anthropic", "--base-url", claude.baseUri().toString(), "hi"));
            assertTrue(stderr().contains("alfred-chat: --base-url is the API's root with its version path for every"
                    + " provider, such as https://api.anthropic.com/v1; for anthropic it must end in /v1, was "
                    + claude.baseUri()), stderr());
            assertEquals(1, claude.requestCount(), "the refused URL sent nothing");
        }
    }

    @Test
    void aStreamedRefusalIsPrintedAsItArrivesSaidOnStderrAndExitsSix() {
        noKimi();
        try (FakeServer openai = FakeServer.start(WireDialect.openAi())) {
            String sse = recording("openai/opy-test_parse_pydantic_model_refusal.sse");
            openai.enqueue(Reply.raw(200, "text/event-stream", sse)).enqueue(Reply.raw(200, "text/event-stream", sse));
            String[] args = {"--provider", "openai", "--base-url", openai.baseUri().toString(), "--model", "gpt-4o", "Help"};
            assertEquals(ExitCode.REFUSED, run(args));
            assertEquals("I'm sorry, I can't assist with that request.\n", stdout());
            assertTrue(stderr().startsWith("alfred-chat: the model refused to answer (finish reason: refusal)"
                    + System.lineSeparator()), stderr());
            assertTrue(stderr().contains("· refusal]"), stderr());
            out.reset();
            assertEquals(ExitCode.REFUSED, run(prepend("--json", args)));
            JsonNode answer = onlyJsonObject();
            assertEquals("I'm sorry, I can't assist with that request.", answer.path("refusal").asString());
            assertEquals("refusal", answer.path("finish_reason").asString());
            assertEquals("", answer.path("content").asString());
        }
    }

    @Test
    void aRefusalInAWholeBodyIsPrintedToo() {
        noKimi();
        try (FakeServer openai = FakeServer.start(WireDialect.openAi())) {
            openai.enqueue(Reply.raw(200, "application/json", recording("openai/opy-test_parse_pydantic_model_refusal.json")));
            assertEquals(ExitCode.REFUSED, run("--no-stream", "--provider", "openai", "--base-url",
                    openai.baseUri().toString(), "--model", "gpt-4o", "Help"));
            assertEquals("I'm very sorry, but I can't assist with that.\n", stdout());
            assertTrue(stderr().contains("alfred-chat: the model refused to answer"), stderr());
        }
    }

    @Test
    void textPipedInComesFirstThenThePromptAsLlmJoinsThem() {
        server.enqueue(Reply.stream("Summary."));
        assertEquals(0, run("notes from the meeting\n", false, "Summarise:"));
        assertEquals("notes from the meeting\n Summarise:",
                server.takeRequest().json().path("messages").get(0).path("content").asString());
    }

    @Test
    void nothingPipedInLeavesThePromptAlone() {
        server.enqueue(Reply.stream("Hi."));
        assertEquals(0, run(" \n", false, "Hello"));
        assertEquals("Hello", server.takeRequest().json().path("messages").get(0).path("content").asString());
    }

    @Test
    void aMissingOpenAiKeyNamesTheVariableAndTheOptionsNotTheBuilder() {
        noKimi();
        assertEquals(2, run("--provider", "openai", "hi"));
        assertEquals("alfred-chat: no API key for openai: set OPENAI_API_KEY; only a server on this machine, or one on"
                + " plain http allowed with --allow-insecure-http, goes without one", stderr().lines().findFirst().orElse(""));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
