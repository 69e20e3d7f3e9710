package dev.alfred.llm.bench.peers;

import dev.alfred.llm.bench.EmbedClient;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LangChain4j's {@code OpenAiEmbeddingModel.embedAll}, with its default encoding (it sends no
 * {@code encoding_format}, so the server answers JSON numbers); {@code Embedding.vector()} is already a
 * {@code float[]}. Only in -Ppeers.
 */
public final class LangChain4jEmbedClient implements EmbedClient {

    private final Map<URI, OpenAiEmbeddingModel> models = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "langchain4j";
    }

    @Override
    public String encoding() {
        return "float";
    }

    @Override
    public float[][] embed(URI base, List<String> inputs) {
        OpenAiEmbeddingModel model = models.computeIfAbsent(base, b -> OpenAiEmbeddingModel.builder()
                .baseUrl(b.toString()).apiKey("sk-bench").modelName("text-embedding-3-small").maxRetries(0).build());
        List<TextSegment> segments = new ArrayList<>(inputs.size());
        for (String s : inputs) {
            segments.add(TextSegment.from(s));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        float[][] out = new float[embeddings.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embeddings.get(i).vector();
        }
        return out;
    }
}
