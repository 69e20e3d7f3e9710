package dev.alfred.llm.testkit;

import dev.alfred.llm.EmbeddingBatchException;
import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.EmbeddingProvider;
import dev.alfred.llm.EmbeddingRequest;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.Usage;
import dev.alfred.llm.spi.EmbeddingBatches;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A deliberately small OpenAI-compatible embedding provider, used to test {@link EmbeddingProviderContract}
 * itself: sound, it passes every rule; with one {@link Defect}, it fails exactly the rule that defect names.
 */
class MiniEmbeddingProvider implements EmbeddingProvider {

    /** One defect per rule of the embeddings kit; the rule id that must catch it. */
    enum Defect {
        DUPLICATES_MAPPED_BACK_WRONGLY("V1"), DIMENSIONS_NOT_SENT("V2"), LAST_BATCH_PUT_FIRST("V3"),
        BASE64_READ_BIG_ENDIAN("V4"), RATE_LIMIT_AS_UNAVAILABLE("V5"), BATCH_FAILURE_UNWRAPPED("V6"),
        INTERRUPT_LEAVES_EXCHANGE_OPEN("V7");

        final String rule;

        Defect(String rule) {
            this.rule = rule;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI endpoint;
    private final String key;
    private final EmbeddingLimits limits;
    private final Defect defect;

    MiniEmbeddingProvider(EmbeddingTarget target, Defect defect) {
        this.endpoint = URI.create(target.baseUri() + "/embeddings");
        this.key = target.apiKey();
        this.limits = target.limits();
        this.defect = defect;
    }

    @Override
    public String id() {
        return "mini";
    }

    @Override
    public EmbeddingLimits limits() {
        return limits;
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request) {
        if (defect == Defect.DUPLICATES_MAPPED_BACK_WRONGLY && request.inputs().size() > 1) {
            return deduplicated(request);
        }
        try {
            EmbeddingResponse r = EmbeddingBatches.run(request, limits, this::send);
            List<int[]> batches = EmbeddingBatches.plan(request, limits);
            if (defect == Defect.LAST_BATCH_PUT_FIRST && batches.size() > 1) {
                int[] last = batches.get(batches.size() - 1);
                List<float[]> v = new ArrayList<>(r.vectors().subList(last[0], last[1]));
                v.addAll(r.vectors().subList(0, last[0]));
                return new EmbeddingResponse(v, r.model(), r.usage());
            }
            return r;
        } catch (EmbeddingBatchException e) {
            if (defect == Defect.BATCH_FAILURE_UNWRAPPED) {
                throw e.getCause();
            }
            throw e;
        }
    }

    /** Sends each distinct text once, then hands the vectors out by position: wrong once a text repeats. */
    private EmbeddingResponse deduplicated(EmbeddingRequest request) {
        Map<String, Integer> distinct = new LinkedHashMap<>();
        for (int i = 0; i < request.inputs().size(); i++) {
            distinct.putIfAbsent(request.text(i), distinct.size());
        }
        EmbeddingResponse r = EmbeddingBatches.run(EmbeddingRequest.builder().texts(new ArrayList<>(distinct.keySet()))
                .model(request.model()).dimensions(request.dimensions()).encoding(request.encoding()).build(), limits, this::send);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < request.inputs().size(); i++) {
            out.add(r.vector(Math.min(i, r.size() - 1)));
        }
        return new EmbeddingResponse(out, r.model(), r.usage());
    }

    private EmbeddingResponse send(EmbeddingRequest batch) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", batch.model() != null ? batch.model() : "text-embedding-3-small");
        var input = body.putArray("input");
        for (int i = 0; i < batch.inputs().size(); i++) {
            input.add(batch.text(i));
        }
        if (batch.dimensions() != null && defect != Defect.DIMENSIONS_NOT_SENT) {
            body.put("dimensions", batch.dimensions());
        }
        if (batch.encoding() == EmbeddingRequest.Encoding.BASE64) {
            body.put("encoding_format", "base64");
        }
        HttpRequest http = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(http, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            response = exchange.get();
        } catch (InterruptedException e) {
            if (defect != Defect.INTERRUPT_LEAVES_EXCHANGE_OPEN) {
                exchange.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new LlmException("the embeddings request was interrupted", e);
        } catch (ExecutionException e) {
            throw new ProviderUnavailableException("the embeddings request failed: " + e.getCause(), "mini", -1, null, null, e.getCause());
        }
        int status = response.statusCode();
        if (status == 429) {
            if (defect == Defect.RATE_LIMIT_AS_UNAVAILABLE) {
                throw new ProviderUnavailableException("HTTP 429", "mini", status, null, null, null);
            }
            throw new RateLimitException("HTTP 429", "mini", status, null, null, null);
        }
        if (status >= 400 && status < 500) {
            throw new InvalidRequestException("HTTP " + status, "mini", status, null, null);
        }
        if (status != 200) {
            throw new ProviderUnavailableException("HTTP " + status, "mini", status, null, null, null);
        }
        JsonNode root = JSON.readTree(response.body());
        float[][] vectors = new float[batch.inputs().size()][];
        for (JsonNode d : root.path("data")) {
            vectors[d.path("index").asInt()] = vector(d.path("embedding"));
        }
        JsonNode usage = root.path("usage");
        int prompt = usage.path("prompt_tokens").asInt(usage.path("total_tokens").asInt());
        return new EmbeddingResponse(List.of(vectors), root.path("model").asString(null),
                new Usage(prompt, 0, usage.path("total_tokens").asInt(prompt), 0, 0, 0));
    }

    private float[] vector(JsonNode embedding) {
        if (embedding.isString()) {
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(embedding.asString()))
                    .order(defect == Defect.BASE64_READ_BIG_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[b.remaining() / 4];
            b.asFloatBuffer().get(v);
            return v;
        }
        float[] v = new float[embedding.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = embedding.get(i).floatValue();
        }
        return v;
    }

    @Override
    public String toString() {
        return "MiniEmbeddingProvider{" + endpoint + "}";
    }
}
