package dev.alfred.llm.cli;

import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.cli.demo.ScriptedServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The offline demo: a scripted Kimi-style server on loopback, so that the whole real path (discovery,
 * the retry decorator, HTTP, the event-stream reader) runs with no key and no network. When retries are
 * on, the first request is answered with a 429 that the retry decorator absorbs, and that turn's answer
 * says so; later turns do not claim it. The same server answers embeddings (through the openai provider),
 * Kimi's token estimate and its model catalogue.
 */
final class OfflineDemo implements AutoCloseable {

    static final String FAKE_KEY = "sk-demo-0000-not-a-real-key";

    private final ScriptedServer server = ScriptedServer.start();
    private final boolean retries;
    private final Duration pause;
    private final Duration retryAfter;
    private boolean first = true;

    /**
     * @param retries    whether the retry decorator will wrap the provider (else no 429 is scripted)
     * @param pause      the pause between two streamed pieces (25 ms, so the stream is seen as one)
     * @param retryAfter the Retry-After of the scripted 429 (300 ms)
     */
    OfflineDemo(boolean retries, Duration pause, Duration retryAfter) {
        this.retries = retries;
        this.pause = pause;
        this.retryAfter = retryAfter;
    }

    /** The settings that point the Kimi provider at the demo server, on top of the user's. */
    ProviderConfig configure(ProviderConfig config) {
        return config.withOverrides(ProviderConfig.builder()
                .secret("kimi.api.key", FAKE_KEY)
                .set("kimi.base.url", server.baseUri().toString())
                .build());
    }

    /**
     * The settings that point the openai provider at the demo server, for embeddings (Kimi has none): a
     * fake key, the demo's base URL and OpenAI's own dialect, on top of the user's.
     */
    ProviderConfig configureEmbeddings(ProviderConfig config) {
        return config.withOverrides(ProviderConfig.builder()
                .secret("openai.api.key", FAKE_KEY)
                .set("openai.base.url", server.baseUri().toString())
                .set("openai.dialect", "openai")
                .build());
    }

    String describe() {
        return server.baseUri().toString();
    }

    /**
     * Scripts the answer to the next turn.
     *
     * @param prompt what the user said
     * @param stream whether the turn streams
     * @param tools  whether the turn runs a tool loop: the first turn then asks for the clock tool, and its
     *               answer quotes the tool's result
     * @return true if this turn starts with a scripted 429 for the retry decorator to absorb
     */
    boolean script(String prompt, boolean stream, boolean tools) {
        boolean askForTool = first && tools;
        boolean with429 = first && retries;
        first = false;
        if (with429) {
            server.enqueue(new ScriptedServer.Failure(429, "engine_overloaded_error",
                    "The engine is currently overloaded, please try again later (scripted by the offline demo)",
                    Map.of("retry-after-ms", String.valueOf(retryAfter.toMillis()))));
        }
        if (askForTool) {
            server.enqueue(new ScriptedServer.ToolCallReply("kimi-offline-demo", "current_time:0", DemoTools.CLOCK,
                    "{\"zone\":\"UTC\"}", new long[] {40 + prompt.length() / 4, 12, 32, 0}));
        }
        List<String> reasoning = List.of("The user said \"" + shorten(prompt) + "\". ",
                "Explain that this is the offline demo.");
        String path = stream ? "the real Kimi provider, its event-stream reader" : "the real Kimi provider";
        String answer = "Hello! This is alfred-chat's offline demo: a scripted server on your machine answered, and"
                + " the answer came through " + path
                + (with429 ? " and the retry decorator, which just absorbed a scripted 429" : "")
                + ". You said: \"" + shorten(prompt) + "\"."
                + (askForTool ? " The clock tool, which the model called and alfred-chat ran, says it is "
                + ScriptedServer.TOOL_RESULT + "." : "")
                + " Set KIMI_API_KEY to talk to Kimi itself.";
        List<String> words = new ArrayList<>();
        for (String word : answer.split("(?<= )")) {
            words.add(word);
        }
        server.enqueue(new ScriptedServer.Reply("kimi-offline-demo", reasoning, words,
                new long[] {42 + prompt.length() / 4, 96, 32, 14}, pause));
        return with429;
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
