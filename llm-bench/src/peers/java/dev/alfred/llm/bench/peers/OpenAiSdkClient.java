package dev.alfred.llm.bench.peers;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.alfred.llm.bench.StreamClient;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The official OpenAI Java SDK, streaming chat completions from the loopback server. Only in -Ppeers. */
public final class OpenAiSdkClient implements StreamClient {

    private final Map<URI, OpenAIClient> clients = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "openai-java";
    }

    @Override
    public String read(URI base, Listener listener) {
        OpenAIClient client = clients.computeIfAbsent(base,
                b -> OpenAIOkHttpClient.builder().apiKey("sk-bench").baseUrl(b.toString()).maxRetries(0).build());
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("kimi-k3").addUserMessage("bench").build();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(s -> {
                if (!s.isEmpty() && text.length() == 0) {
                    listener.firstDelta();
                }
                text.append(s);
            })));
        }
        return text.toString();
    }
}
