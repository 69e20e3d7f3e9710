package dev.alfred.llm.bench;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.kimi.KimiProvider;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Our provider, as the bot uses it: {@link KimiProvider#stream}, text deltas concatenated. */
public final class KimiClient implements StreamClient, AutoCloseable {

    private final Map<URI, KimiProvider> providers = new ConcurrentHashMap<>();
    private final ChatRequest request = ChatRequest.of("bench");

    @Override
    public String name() {
        return "alfred-llm";
    }

    @Override
    public String read(URI base, Listener listener) {
        KimiProvider kimi = providers.computeIfAbsent(base,
                b -> KimiProvider.builder().apiKey("sk-bench").baseUrl(b).model("kimi-k3").build());
        try (ChatStream stream = kimi.stream(request)) {
            boolean first = true;
            for (ChatDelta d : stream) {
                if (first && d instanceof ChatDelta.Text) {
                    listener.firstDelta();
                    first = false;
                }
            }
            // The port aggregates the text for us; the floor builds the same string itself.
            return stream.response().content();
        }
    }

    @Override
    public String readToolArguments(URI base) {
        KimiProvider kimi = providers.computeIfAbsent(base,
                b -> KimiProvider.builder().apiKey("sk-bench").baseUrl(b).model("kimi-k3").build());
        try (ChatStream stream = kimi.stream(request)) {
            for (ChatDelta ignored : stream) {
                // every part is handed out; the calls are folded by the port
            }
            StringBuilder joined = new StringBuilder();
            for (ToolCall call : stream.response().toolCalls()) {
                if (call.status() != ToolCall.Status.COMPLETE) {
                    throw new IllegalStateException("call " + call.id() + " is " + call.status());
                }
                joined.append(joined.length() == 0 ? "" : "\n").append(call.arguments());
            }
            return joined.toString();
        }
    }

    @Override
    public void close() {
        providers.values().forEach(KimiProvider::close);
    }
}
