package dev.alfred.llm.bench;

import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.openai.OpenAiEmbeddings;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.openai.dialect.EmbeddingRules;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Our {@link OpenAiEmbeddings} as the bot uses it: {@code embed(request)}, vectors out of the response.
 * One provider per base URL, kept for the run (its HTTP client and connections are reused, as in use).
 */
public final class EmbedPortClient implements EmbedClient, AutoCloseable {

    private final Map<URI, OpenAiEmbeddings> providers = new ConcurrentHashMap<>();
    private final String name;
    private final EmbeddingRequest.Encoding encoding;
    private final Function<URI, OpenAiEmbeddings> create;

    private EmbedPortClient(String name, EmbeddingRequest.Encoding encoding, Function<URI, OpenAiEmbeddings> create) {
        this.name = name;
        this.encoding = encoding;
        this.create = create;
    }

    /**
     * OpenAI's dialect (2,048 inputs per request), asking for the given encoding.
     *
     * @param encoding base64 (the default) or JSON floats
     * @return the client
     */
    public static EmbedPortClient openAi(EmbeddingRequest.Encoding encoding) {
        return new EmbedPortClient(encoding == EmbeddingRequest.Encoding.BASE64 ? "alfred-llm" : "alfred-llm floats",
                encoding, b -> OpenAiEmbeddings.builder().dialect(Dialect.OPENAI).apiKey("sk-bench").baseUrl(b).build());
    }

    /**
     * OpenAI's dialect with another per-request input limit and a concurrency: what the batching scenario
     * runs.
     *
     * @param maxInputs   the most inputs per request
     * @param concurrency the requests of one call in flight at once
     * @return the client
     */
    public static EmbedPortClient limited(int maxInputs, int concurrency) {
        Dialect dialect = Dialect.OPENAI.toBuilder("bench-" + maxInputs).embeddings(EmbeddingRules.builder()
                .defaultModel(EmbeddingFixture.MODEL).limits(maxInputs, 300_000).build()).build();
        return new EmbedPortClient("alfred-llm", EmbeddingRequest.Encoding.BASE64, b -> OpenAiEmbeddings.builder()
                .dialect(dialect).apiKey("sk-bench").baseUrl(b).concurrency(concurrency).build());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String encoding() {
        return encoding == EmbeddingRequest.Encoding.BASE64 ? "base64" : "float";
    }

    @Override
    public float[][] embed(URI base, List<String> inputs) {
        EmbeddingResponse r = providers.computeIfAbsent(base, create)
                .embed(EmbeddingRequest.builder().texts(inputs).encoding(encoding).build());
        return r.vectors().toArray(new float[0][]);
    }

    @Override
    public void close() {
        providers.values().forEach(OpenAiEmbeddings::close);
    }
}
