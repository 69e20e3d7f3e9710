package dev.alfred.llm.bench;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.kimi.KimiProvider;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Our provider, as the bot uses it: {@link KimiProvider#stream}, text deltas concatenated; optionally
 * wrapped (S5 wraps it in the OpenTelemetry listener).
 */
public final class KimiClient implements StreamClient, AutoCloseable {

    private final Map<URI, LlmProvider> providers = new ConcurrentHashMap<>();
    private final ChatRequest request = ChatRequest.of("bench");
    private final String name;
    private final UnaryOperator<LlmProvider> wrap;

    /** The bare provider. */
    public KimiClient() {
        this("alfred-llm", p -> p);
    }

    /**
     * A wrapped provider.
     *
     * @param name its name in the table
     * @param wrap what wraps each provider created
     */
    public KimiClient(String name, UnaryOperator<LlmProvider> wrap) {
        this.name = name;
        this.wrap = wrap;
    }

    @Override
    public String name() {
        return name;
    }

    private LlmProvider provider(URI base) {
        return providers.computeIfAbsent(base,
                b -> wrap.apply(KimiProvider.builder().apiKey("sk-bench").baseUrl(b).model("kimi-k3").build()));
    }

    @Override
    public String read(URI base, Listener listener) {
        LlmProvider kimi = provider(base);
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
        LlmProvider kimi = provider(base);
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
        providers.values().forEach(LlmProvider::close);
    }
}
