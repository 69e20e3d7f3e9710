package dev.alfred.llm.tools;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.observe.ToolExecution;
import dev.alfred.llm.testkit.KeyLeaks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        try (ToolRun run = ToolLoop.builder(p).tool(failing).build().start(ChatRequest.of("x"))) {
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
        LlmProvider listened = new ScriptedProvider().then(ScriptedProvider.call("c1", "lookup", "{\"q\":\"x\"}"))
                .then(ScriptedProvider.text("sorry")).withListeners(new LlmListener() {
                    @Override
                    public void onToolExecuted(ToolExecution execution) {
                        heard.add(execution);
                    }
                });
        try (ToolRun run = ToolLoop.builder(listened).tool(failing).secret(secret).build().start(ChatRequest.of("x"))) {
            run.response();
        }
        assertEquals(1, heard.size());
        String message = heard.get(0).error().getMessage();
        assertTrue(message.startsWith("refused ****"), message);
        KeyLeaks.assertNone(secret, heard.get(0).error());
        KeyLeaks.assertNone(KEY, heard.get(0).error());
    }
}
