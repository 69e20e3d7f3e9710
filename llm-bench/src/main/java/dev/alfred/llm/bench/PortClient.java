package dev.alfred.llm.bench;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatStream;
import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.anthropic.AnthropicProvider;
import dev.alfred.llm.kimi.KimiProvider;
import dev.alfred.llm.openai.OpenAiProvider;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One of our providers, as the bot uses it: {@code stream}, text deltas concatenated; optionally
 * wrapped (S5 wraps Kimi in the OpenTelemetry listener).
 */
public final class PortClient implements StreamClient, AutoCloseable {

    private final Map<URI, LlmProvider> providers = new ConcurrentHashMap<>();
    private final ChatRequest request = ChatRequest.of("bench");
    private final String name;
    private final String format;
    private final Function<URI, LlmProvider> create;

    private PortClient(String name, String format, Function<URI, LlmProvider> create) {
        this.name = name;
        this.format = format;
        this.create = create;
    }

    /** @return the Kimi provider, bare */
    public static PortClient kimi() {
        return kimi("alfred-llm", p -> p);
    }

    /**
     * The Kimi provider, wrapped.
     *
     * @param name its name in the table
     * @param wrap what wraps each provider created
     * @return the client
     */
    public static PortClient kimi(String name, UnaryOperator<LlmProvider> wrap) {
        return new PortClient(name, "kimi",
                b -> wrap.apply(KimiProvider.builder().apiKey("sk-bench").baseUrl(b).model("kimi-k3").build()));
    }

    /** @return the OpenAI-compatible provider reading the same Kimi-format stream */
    public static PortClient openAi() {
        return new PortClient("alfred-llm openai", "kimi",
                b -> OpenAiProvider.builder().apiKey("sk-bench").baseUrl(b).model("kimi-k3").build());
    }

    /** @return the Anthropic provider reading an Anthropic-format stream */
    public static PortClient anthropic() {
        return new PortClient("alfred-llm anthropic", "anthropic",
                b -> AnthropicProvider.builder().apiKey("sk-bench").baseUrl(b).model("claude-bench").build());
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public String name() {
        return name;
    }

    private LlmProvider provider(URI base) {
        return providers.computeIfAbsent(base, create);
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
