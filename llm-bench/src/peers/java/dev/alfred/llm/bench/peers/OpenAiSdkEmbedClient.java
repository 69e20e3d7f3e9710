package dev.alfred.llm.bench.peers;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.Embedding;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.alfred.llm.bench.EmbedClient;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The official OpenAI Java SDK's {@code embeddings().create}, with its default encoding (base64, which it
 * decodes to a {@code List<Float>}); each list is then copied to a {@code float[]}. Only in -Ppeers.
 */
public final class OpenAiSdkEmbedClient implements EmbedClient {

    private final Map<URI, OpenAIClient> clients = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "openai-java";
    }

    @Override
    public String encoding() {
        return "base64";
    }

    @Override
    public float[][] embed(URI base, List<String> inputs) {
        OpenAIClient client = clients.computeIfAbsent(base,
                b -> OpenAIOkHttpClient.builder().apiKey("sk-bench").baseUrl(b.toString()).maxRetries(0).build());
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                .model("text-embedding-3-small").inputOfArrayOfStrings(inputs).build());
        float[][] out = new float[inputs.size()][];
        for (Embedding e : response.data()) {
            List<Float> values = e.embedding();
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = values.get(i);
            }
            out[(int) e.index()] = v;
        }
        return out;
    }
}
