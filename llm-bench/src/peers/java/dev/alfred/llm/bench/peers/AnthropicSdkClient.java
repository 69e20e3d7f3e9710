package dev.alfred.llm.bench.peers;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.alfred.llm.bench.StreamClient;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The official Anthropic Java SDK, streaming a Messages-API answer from the loopback server. Only in -Ppeers. */
public final class AnthropicSdkClient implements StreamClient {

    private final Map<URI, AnthropicClient> clients = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "anthropic-java";
    }

    @Override
    public String format() {
        return "anthropic";
    }

    @Override
    public String read(URI base, Listener listener) {
        AnthropicClient client = clients.computeIfAbsent(base,
                b -> AnthropicOkHttpClient.builder().apiKey("sk-bench").baseUrl(b.toString()).maxRetries(0).build());
        MessageCreateParams params = MessageCreateParams.builder().model("claude-bench").maxTokens(4096)
                .addUserMessage("bench").build();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(params)) {
            stream.stream().forEach(event -> event.contentBlockDelta()
                    .flatMap(delta -> delta.delta().text())
                    .ifPresent(t -> {
                        if (!t.text().isEmpty() && text.length() == 0) {
                            listener.firstDelta();
                        }
                        text.append(t.text());
                    }));
        }
        return text.toString();
    }
}
