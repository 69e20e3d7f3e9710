package dev.alfred.llm.testkit;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.models.ModelListParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.alfred.llm.ModelInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official SDKs as referees of the fake server's generated replies: openai-java, with strict response
 * validation, parses its embeddings (base64, which it decodes itself, and JSON numbers) and its model list;
 * anthropic-java parses its token count (strictly) and walks its paginated model list.
 */
class SdkEndpointRefereeTest {

    private static OpenAIClient openAi(FakeServer server) {
        return OpenAIOkHttpClient.builder().apiKey("sk-referee-0123456789abcdef").baseUrl(server.baseUri().toString())
                .maxRetries(0).responseValidation(true).timeout(Duration.ofSeconds(20)).build();
    }

    private static float[] floats(List<Float> boxed) {
        float[] v = new float[boxed.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = boxed.get(i);
        }
        return v;
    }

    @Test
    void openAiJavaReadsTheSameFloatsFromBase64AndFromJsonNumbers() {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            OpenAIClient client = openAi(server);
            try {
                List<String> texts = List.of("Hello, world!", "Grüße 🙂");
                List<List<Float>> seen = new ArrayList<>();
                for (EmbeddingCreateParams.EncodingFormat format : List.of(EmbeddingCreateParams.EncodingFormat.BASE64,
                        EmbeddingCreateParams.EncodingFormat.FLOAT)) {
                    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
                            .model("text-embedding-3-small").inputOfArrayOfStrings(texts).dimensions(16)
                            .encodingFormat(format).build());
                    assertEquals(2, r.data().size());
                    assertEquals(4, r.usage().promptTokens() - GeneratedReplies.tokens(texts.get(1)), "Hello, world! is 4 tokens");
                    for (int i = 0; i < 2; i++) {
                        assertEquals(i, r.data().get(i).index());
                        org.junit.jupiter.api.Assertions.assertArrayEquals(
                                GeneratedReplies.vector("text-embedding-3-small", "", texts.get(i), 1536, 16),
                                floats(r.data().get(i).embedding()), format + " vector " + i);
                    }
                    seen.add(r.data().get(0).embedding());
                }
                assertEquals(seen.get(0), seen.get(1));
                assertEquals("base64", server.takeRequest().json().path("encoding_format").asString());
                assertEquals("float", server.takeRequest().json().path("encoding_format").asString());
            } finally {
                client.close();
            }
        }
    }

    @Test
    void openAiJavaReadsTheModelList() {
        try (FakeServer server = FakeServer.start(WireDialect.openAi())) {
            OpenAIClient client = openAi(server);
            try {
                List<String> ids = client.models().list().data().stream().map(com.openai.models.models.Model::id).toList();
                assertEquals(GeneratedReplies.OPENAI_MODELS.stream().map(ModelInfo::id).toList(), ids);
            } finally {
                client.close();
            }
        }
    }

    @Test
    void anthropicJavaReadsTheCountAndWalksThePaginatedModelList() {
        try (FakeServer server = FakeServer.start(WireDialect.anthropic())) {
            AnthropicClient strict = AnthropicOkHttpClient.builder().apiKey("sk-ant-referee-0123456789abcdef")
                    .baseUrl(server.baseUri().toString()).maxRetries(0).responseValidation(true)
                    .timeout(Duration.ofSeconds(20)).build();
            // anthropic-java 3.16 requires a model's "lifecycle", which the SDK types the fake follows
            // (anthropic-sdk-python 009b0353) do not have: the list is read without strict validation
            AnthropicClient lenient = AnthropicOkHttpClient.builder().apiKey("sk-ant-referee-0123456789abcdef")
                    .baseUrl(server.baseUri().toString()).maxRetries(0).timeout(Duration.ofSeconds(20)).build();
            try {
                long tokens = strict.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4-5")
                        .addUserMessage("Hello, world!").build()).inputTokens();
                assertTrue(tokens > 0);
                List<ModelInfo> models = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                    models.add(new ModelInfo("m" + i, "Model " + i, 200_000, 64_000, Set.of(), ModelInfo.Origin.SERVER, null));
                }
                server.setModels(models);
                List<String> ids = new ArrayList<>();
                lenient.models().list(ModelListParams.builder().limit(10).build()).autoPager()
                        .forEach(m -> {
                            ids.add(m.id());
                            assertEquals(200_000L, m.maxInputTokens().orElseThrow());
                        });
                assertEquals(models.stream().map(ModelInfo::id).toList(), ids, "every page, in order");
            } finally {
                strict.close();
                lenient.close();
            }
        }
    }
}
