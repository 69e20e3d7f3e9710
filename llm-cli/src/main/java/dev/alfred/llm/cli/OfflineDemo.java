package dev.alfred.llm.cli;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ProviderConfig;
import dev.alfred.llm.Usage;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline default: the testkit's fake Kimi server on loopback, answering with a scripted stream,
 * so that the whole real path (discovery, retry decorator, HTTP, event-stream reader) runs with no key
 * and no network. The first request is answered with a 429 that the retry decorator absorbs.
 */
final class OfflineDemo implements AutoCloseable {

    static final String FAKE_KEY = "sk-offline-demo-not-a-real-key";

    private final FakeServer server = FakeServer.start();
    private boolean first = true;

    /** The settings that point the Kimi provider at the fake server, on top of the user's. */
    ProviderConfig configure(ProviderConfig config) {
        return config.withOverrides(ProviderConfig.builder()
                .secret("kimi.api.key", FAKE_KEY)
                .set("kimi.base.url", server.baseUri().toString())
                .build());
    }

    String describe() {
        return server.baseUri().toString();
    }

    /** Scripts the answer to the next request. */
    void script(String prompt, boolean stream) {
        if (first) {
            first = false;
            server.enqueue(Reply.error(429, "engine_overloaded_error",
                    "The engine is currently overloaded, please try again later (scripted by the offline demo)")
                    .withHeader("retry-after-ms", "300"));
        }
        List<ChatDelta> deltas = new ArrayList<>();
        deltas.add(ChatDelta.reasoning("The user said \"" + shorten(prompt) + "\". "));
        deltas.add(ChatDelta.reasoning("Explain that this is the offline demo."));
        String answer = "Hello! This is alfred-chat's offline demo: no KIMI_API_KEY is set, so a fake Kimi server on"
                + " your machine answered, and the answer came through the real Kimi provider, the retry decorator"
                + " (which just absorbed a scripted 429) and the event-stream reader. You said: \"" + shorten(prompt)
                + "\". Set KIMI_API_KEY to talk to Kimi itself.";
        for (String word : answer.split("(?<= )")) {
            deltas.add(ChatDelta.text(word));
        }
        ScriptedStream script = ScriptedStream.of(deltas).withModel("kimi-offline-demo")
                .withUsage(new Usage(42 + prompt.length() / 4, 96, 138 + prompt.length() / 4, 32, 14),
                        ScriptedStream.UsagePlacement.BOTH);
        server.enqueue(stream ? Reply.stream(script.chunked(deltas.size() + 3, Duration.ofMillis(25))) : Reply.chat(script));
    }

    private static String shorten(String prompt) {
        String oneLine = prompt.strip().replaceAll("\\s+", " ");
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "…" : oneLine;
    }

    @Override
    public void close() {
        server.close();
    }
}
