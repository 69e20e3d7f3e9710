package dev.alfred.llm.tools;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.testkit.CapturedLogs;
import dev.alfred.llm.testkit.KeyLeaks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a tool's failure does: to the model, the listeners and the log, always scrubbed. */
class ToolFailureTest {

    record Query(String q) {
    }

    static final String KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz0123";

    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void aCheckedExceptionFromAToolIsAnErrorResultTheModelSeesScrubbed() {
        Tool<Query> failing = Tool.of("lookup", "Looks up", Query.class, q -> {
            throw ToolFailureTest.<RuntimeException>sneaky(new IOException("upstream refused key " + KEY));
        });
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "lookup", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.text("sorry"));
        try (ToolRun run = FakeClock.loop(p).tool(failing).build().start(ChatRequest.of("x"))) {
            assertEquals("sorry", run.response().content());
            ToolMessage result = (ToolMessage) run.transcript().get(2);
            assertTrue(result.error());
            assertTrue(result.content().startsWith("error: the tool failed: upstream refused key "), result.content());
            KeyLeaks.assertNone(KEY, "the tool result", result.content());
        }
    }

    @Test
    void theListenerHearsTheToolsErrorScrubbed() {
        String secret = "weather-api-secret-123456789";
        Tool<Query> failing = Tool.of("lookup", "Looks up", Query.class, q -> {
            throw new IllegalStateException("refused " + secret + " and " + KEY);
        });
        List<ToolExecution> heard = Collections.synchronizedList(new ArrayList<>());
        LlmProvider listened = new ScriptedProvider().then(ScriptedProvider.of(dev.alfred.llm.FinishReason.TOOL_CALLS,
                        new dev.alfred.llm.ChatDelta.ToolCallStart(0, "c1", "lookup"),
                        new dev.alfred.llm.ChatDelta.ToolCallArguments(0, "{\"q\":\"x\"}"),
                        new dev.alfred.llm.ChatDelta.ToolCallStart(1, "c2", "unknown"),
                        new dev.alfred.llm.ChatDelta.ToolCallArguments(1, "{}")))
                .then(ScriptedProvider.text("sorry")).withListeners(new LlmListener() {
                    @Override
                    public void onToolExecuted(ToolExecution execution) {
                        heard.add(execution);
                    }
                });
        try (ToolRun run = FakeClock.loop(listened).tool(failing).secret(secret).build().start(ChatRequest.of("x"))) {
            run.response();
        }
        assertEquals(1, heard.size(), "only the call that ran is heard");
        String message = heard.get(0).error().getMessage();
        assertTrue(message.startsWith("refused ****"), message);
        KeyLeaks.assertNone(secret, heard.get(0).error());
        KeyLeaks.assertNone(KEY, heard.get(0).error());
    }

    @Test
    void aToolsFailureIsLoggedAtWarnOnceAndWithItsStackAtDebugEveryTimeScrubbed() {
        String secret = "weather-api-secret-123456789";
        Tool<Query> failing = Tool.of("lookup", "Looks up", Query.class, q -> {
            throw new IllegalStateException("refused " + secret);
        });
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "lookup", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.call("c2", "lookup", "{\"q\":\"y\"}")).then(ScriptedProvider.text("sorry"));
        CapturedLogs.clear();
        ToolLoop loop = FakeClock.loop(p).tool(failing).secret(secret).build();
        try (ToolRun run = loop.start(ChatRequest.of("x"))) {
            run.response();
        }
        List<CapturedLogs.Line> lines = CapturedLogs.lines().stream()
                .filter(l -> l.logger().equals(ToolLoop.class.getName())).toList();
        List<CapturedLogs.Line> warn = lines.stream().filter(l -> l.level().equals("WARN")).toList();
        List<CapturedLogs.Line> debug = lines.stream().filter(l -> l.level().equals("DEBUG")).toList();
        assertEquals(1, warn.size(), lines.toString());
        assertEquals("WARN", lines.get(0).level(), "the first failure is the one warned of: " + lines);
        assertEquals("tool 'lookup' failed: java.lang.IllegalStateException: refused **** (later failures of this tool"
                + " are logged at DEBUG)", warn.get(0).message());
        assertEquals(2, debug.size(), lines.toString());
        assertEquals("tool 'lookup' failed", debug.get(0).message());
        assertEquals("java.lang.IllegalStateException: refused ****", debug.get(0).thrown());
        lines.forEach(l -> KeyLeaks.assertNone(secret, "the log", l.text()));
    }

    @Test
    void aNestedLlmExceptionIsScrubbedForTheListenerToo() {
        String secret = "nested-provider-secret-987654321";
        List<ToolExecution> heard = Collections.synchronizedList(new ArrayList<>());
        Tool<Query> nested = Tool.of("ask", "Asks another model", Query.class, q -> askAnother(secret));
        Tool<Query> clean = Tool.of("clean", "Fails cleanly", Query.class, q -> {
            throw new LlmException("nothing secret here", null);
        });
        LlmProvider listened = new ScriptedProvider().then(ScriptedProvider.call("c1", "ask", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.call("c2", "clean", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.text("sorry")).withListeners(new LlmListener() {
                    @Override
                    public void onToolExecuted(ToolExecution execution) {
                        heard.add(execution);
                    }
                });
        try (ToolRun run = FakeClock.loop(listened).tool(nested).tool(clean).secret(secret).build()
                .start(ChatRequest.of("x"))) {
            run.response();
        }
        LlmException copy = assertInstanceOf(LlmException.class, heard.get(0).error());
        assertEquals("the other model said ****", copy.getMessage());
        KeyLeaks.assertNone(secret, copy);
        assertEquals("askAnother", copy.getStackTrace()[0].getMethodName(), "the copy keeps where it was thrown");
        assertEquals("nothing secret here", heard.get(1).error().getMessage());
        assertInstanceOf(LlmException.class, heard.get(1).error());
    }

    private static String askAnother(String secret) {
        throw new LlmException("the other model said " + secret, new IllegalStateException("cause " + secret));
    }

    @Test
    void theJvmsOwnErrorsAreNotToolErrorsTheyEndTheRun() {
        Tool<Query> oom = Tool.of("big", "Runs out of memory", Query.class, q -> {
            throw new OutOfMemoryError("tool heap");
        });
        ScriptedProvider p = new ScriptedProvider().then(ScriptedProvider.call("c1", "big", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.text("never"));
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> {
            try (ToolRun run = FakeClock.loop(p).tool(oom).build().start(ChatRequest.of("x"))) {
                run.response();
            }
        });
        assertEquals("tool heap", e.getMessage());
        assertEquals(1, p.requests.size());

        ScriptedProvider q = new ScriptedProvider().then(ScriptedProvider.call("c1", "big", "{\"q\":\"x\"}"));
        assertThrows(StackOverflowError.class, () -> {
            try (ToolRun run = FakeClock.loop(q).tool(Tool.of("big", "x", Query.class, x -> "")).approver(call -> {
                throw new StackOverflowError("approver");
            }).build().start(ChatRequest.of("x"))) {
                run.response();
            }
        });
        Tool<Query> assertion = Tool.of("check", "Fails an assertion", Query.class, x -> {
            throw new AssertionError("a tool's own bug");
        });
        ScriptedProvider r = new ScriptedProvider().then(ScriptedProvider.call("c1", "check", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.text("ok"));
        try (ToolRun run = FakeClock.loop(r).tool(assertion).build().start(ChatRequest.of("x"))) {
            assertEquals("ok", run.response().content(), "an Error that is not the JVM's is the tool's failure");
            assertEquals("error: the tool failed: a tool's own bug", ((ToolMessage) run.transcript().get(2)).content());
        }
    }
}
