package dev.alfred.llm.cli;

import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Gate;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conversation as a person types it: keys go through a terminal's line discipline into JLine, one at a
 * time, and the test waits for what the screen shows before it types on (states, not durations).
 */
class ConversationTest {

    private static final Duration HANG = Duration.ofSeconds(20);

    private FakeServer server;
    private PipedOutputStream keys;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private CompletableFuture<Integer> exit;

    @BeforeEach
    void start() throws IOException {
        server = FakeServer.start();
        keys = new PipedOutputStream();
        PipedInputStream typed = new PipedInputStream(keys, 4096);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        AlfredChat app = new AlfredChat(new java.io.ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), errStream,
                Map.of("KIMI_API_KEY", "sk-conversation-0123456789", "KIMI_BASE_URL", server.baseUri().toString(),
                        "RETRY_MAX_ATTEMPTS", "1"),
                true, () -> false, () -> LineEditor.on(typed, errStream));
        exit = CompletableFuture.supplyAsync(() -> app.execute(new String[0]));
    }

    @AfterEach
    void stop() throws IOException {
        keys.close();
        server.close();
    }

    private void type(String s) throws IOException {
        keys.write(s.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private String screen() {
        return AlfredChatTest.plain(err.toString(StandardCharsets.UTF_8));
    }

    private void awaitScreen(String what, Predicate<String> shown) {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (!shown.test(screen())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen never showed " + what + ": " + screen());
            }
            Thread.onSpinWait();
        }
    }

    private void awaitPrompts(int n) {
        awaitScreen(n + " prompts", s -> count(s, "you> ") >= n);
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void ctrlCWithTextTypedClearsTheLineAndAtAnEmptyPromptExits130() throws Exception {
        awaitPrompts(1);
        type("half a thought");
        awaitScreen("the text typed", s -> s.contains("you> half a thought"));
        type("\u0003");
        awaitPrompts(2);
        assertTrue(!exit.isDone(), "Ctrl-C with text typed does not end the conversation");
        type("\u0003");
        assertEquals(130, exit.get(20, TimeUnit.SECONDS));
        assertEquals(0, server.requestCount(), "nothing typed was sent");
    }

    @Test
    void ctrlDAtAnEmptyPromptExitsZero() throws Exception {
        awaitPrompts(1);
        type("\u0004");
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void theUpArrowRecallsAnEarlierLineToSendAgain() throws Exception {
        server.enqueue(Reply.stream("one")).enqueue(Reply.stream("two"));
        awaitPrompts(1);
        type("first question\r");
        awaitPrompts(2);
        type("\u001bOA"); // up, as a terminal in application mode sends it
        awaitScreen("the line recalled", s -> s.endsWith("you> first question"));
        type("\r");
        awaitPrompts(3);
        type("/exit\r");
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        List<RecordedRequest> requests = server.takeRequests();
        assertEquals("first question", requests.get(1).json().path("messages").get(2).path("content").asString());
    }

    @Test
    void lineEditingMovesWithinTheLine() throws Exception {
        server.enqueue(Reply.stream("ok"));
        awaitPrompts(1);
        type("wrld\u0002\u0002\u0002o\u0005!\r"); // Ctrl-B thrice, insert, Ctrl-E, append
        awaitPrompts(2);
        type("/exit\r");
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        assertEquals("world!", server.takeRequest().json().path("messages").get(0).path("content").asString());
    }

    @Test
    void ctrlCTypedDuringAnAnswerStopsItAndThePromptComesBack() throws Exception {
        Gate held = new Gate();
        server.enqueue(Reply.stream("a ", "b ", "c ").holdAfterDeltas(1, held)).enqueue(Reply.stream("next"));
        awaitPrompts(1);
        type("slow\r");
        held.awaitReached(HANG);
        type("\u0003");
        awaitScreen("the cancellation", s -> s.contains("alfred-chat: cancelled"));
        awaitPrompts(2);
        type("quick\r");
        awaitPrompts(3);
        type("\u0004");
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("next\n"), out.toString(StandardCharsets.UTF_8));
    }
}
