package dev.alfred.llm.bench.peers;

import dev.alfred.llm.bench.StreamClient;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** LangChain4j's OpenAI streaming chat model against the loopback server. Only in -Ppeers. */
public final class LangChain4jClient implements StreamClient {

    private final Map<URI, OpenAiStreamingChatModel> models = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "langchain4j";
    }

    @Override
    public String read(URI base, Listener listener) throws Exception {
        OpenAiStreamingChatModel model = models.computeIfAbsent(base,
                b -> OpenAiStreamingChatModel.builder().baseUrl(b.toString()).apiKey("sk-bench").modelName("kimi-k3").build());
        StringBuilder text = new StringBuilder();
        CompletableFuture<String> done = new CompletableFuture<>();
        model.chat("bench", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                if (text.length() == 0) {
                    listener.firstDelta();
                }
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(text.toString());
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.get();
    }
}
