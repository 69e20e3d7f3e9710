package dev.alfred.llm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embeddings, token-count and model value types: their checks, defaults and what they say of themselves. */
class EmbeddingTypesTest {

    private static String refused(org.junit.jupiter.api.function.Executable make) {
        return assertThrows(IllegalArgumentException.class, make).getMessage();
    }

    @Test
    void aTextInputMustHoldText() {
        assertEquals("a", EmbeddingInput.text("a") instanceof EmbeddingInput.Text t ? t.text() : null);
        assertTrue(refused(() -> EmbeddingInput.text("")).contains("empty"));
        assertTrue(refused(() -> EmbeddingInput.text(null)).contains("null"));
    }

    @Test
    void aRequestNeedsInputsAndValidSettingsAndDefaultsToBase64() {
        EmbeddingRequest r = EmbeddingRequest.ofTexts("a", "b");
        assertEquals(2, r.inputs().size());
        assertEquals("b", r.text(1));
        assertNull(r.model());
        assertNull(r.dimensions());
        assertNull(r.inputType());
        assertEquals(EmbeddingRequest.Encoding.BASE64, r.encoding());
        assertTrue(refused(() -> EmbeddingRequest.builder().build()).contains("at least one input"));
        assertTrue(refused(() -> new EmbeddingRequest(null, null, null, null, null)).contains("at least one input"));
        List<EmbeddingInput> withNull = new ArrayList<>();
        withNull.add(EmbeddingInput.text("a"));
        withNull.add(null);
        assertTrue(refused(() -> new EmbeddingRequest(withNull, null, null, null, null)).contains("input 1 is null"));
        assertTrue(refused(() -> EmbeddingRequest.builder().text("a").model(" ").build()).contains("blank"));
        assertTrue(refused(() -> EmbeddingRequest.builder().text("a").dimensions(0).build()).contains("positive, not 0"));
        assertEquals(1, EmbeddingRequest.builder().text("a").dimensions(1).build().dimensions());
        assertTrue(refused(() -> EmbeddingRequest.builder().input(null)).contains("input"));
    }

    @Test
    void theBuilderCarriesEverySettingAndToBuilderRoundTrips() {
        EmbeddingRequest r = EmbeddingRequest.builder().texts(List.of("x", "y")).model("m").dimensions(256)
                .inputType(EmbeddingRequest.InputType.QUERY).encoding(EmbeddingRequest.Encoding.FLOAT).build();
        assertEquals(r, r.toBuilder().build());
        assertEquals("m", r.model());
        assertEquals(256, r.dimensions());
        assertEquals(EmbeddingRequest.InputType.QUERY, r.inputType());
        assertEquals(EmbeddingRequest.Encoding.FLOAT, r.encoding());
        assertThrows(UnsupportedOperationException.class, () -> r.inputs().add(EmbeddingInput.text("z")));
    }

    @Test
    void aSliceIsTheSameRequestForSomeInputs() {
        EmbeddingRequest r = EmbeddingRequest.builder().texts(List.of("a", "b", "c")).model("m").dimensions(8)
                .inputType(EmbeddingRequest.InputType.DOCUMENT).encoding(EmbeddingRequest.Encoding.FLOAT).build();
        assertSame(r, r.slice(0, 3));
        EmbeddingRequest s = r.slice(1, 3);
        assertEquals(List.of(EmbeddingInput.text("b"), EmbeddingInput.text("c")), s.inputs());
        assertEquals(r.toBuilder().build().model(), s.model());
        assertEquals(8, s.dimensions());
        assertEquals(EmbeddingRequest.InputType.DOCUMENT, s.inputType());
        assertEquals(EmbeddingRequest.Encoding.FLOAT, s.encoding());
        assertEquals(1, r.slice(0, 1).inputs().size());
        assertThrows(IndexOutOfBoundsException.class, () -> r.slice(2, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> r.slice(2, 4));
        assertThrows(IndexOutOfBoundsException.class, () -> r.slice(-1, 1));
    }

    @Test
    void aResponseHoldsOneNonEmptyVectorPerInputAndJoinsBatchesInOrder() {
        EmbeddingResponse a = new EmbeddingResponse(List.of(new float[] {1, 2}), "m", Usage.of(3, 0, 3));
        EmbeddingResponse b = new EmbeddingResponse(List.of(new float[] {3, 4}, new float[] {5, 6}), "m2", Usage.of(4, 0, 4));
        EmbeddingResponse joined = EmbeddingResponse.join(List.of(a, b));
        assertEquals(3, joined.size());
        assertEquals(2, joined.dimensions());
        assertArrayEquals(new float[] {5, 6}, joined.vector(2));
        assertEquals("m", joined.model());
        assertEquals(Usage.of(7, 0, 7), joined.usage());
        assertSame(a, EmbeddingResponse.join(List.of(a)));
        assertTrue(refused(() -> EmbeddingResponse.join(List.of())).contains("nothing"));
        assertTrue(refused(() -> new EmbeddingResponse(List.of(), null, Usage.ZERO)).contains("at least one"));
        assertTrue(refused(() -> new EmbeddingResponse(null, null, Usage.ZERO)).contains("at least one"));
        assertTrue(refused(() -> new EmbeddingResponse(List.of(new float[0]), null, Usage.ZERO)).contains("vector 0 is empty"));
        List<float[]> withNull = new ArrayList<>();
        withNull.add(new float[] {1});
        withNull.add(null);
        assertTrue(refused(() -> new EmbeddingResponse(withNull, null, Usage.ZERO)).contains("vector 1 is missing"));
        assertThrows(NullPointerException.class, () -> new EmbeddingResponse(List.of(new float[] {1}), null, null));
        assertThrows(UnsupportedOperationException.class, () -> a.vectors().add(new float[] {1}));
    }

    @Test
    void responsesAreEqualByTheirFloatsModelAndUsageAndPrintTheirShapeOnly() {
        EmbeddingResponse a = new EmbeddingResponse(List.of(new float[] {1, 2}), "m", Usage.of(1, 0, 1));
        EmbeddingResponse same = new EmbeddingResponse(List.of(new float[] {1, 2}), "m", Usage.of(1, 0, 1));
        assertEquals(a, same);
        assertEquals(a, a);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, new EmbeddingResponse(List.of(new float[] {1, 3}), "m", Usage.of(1, 0, 1)));
        assertNotEquals(a, new EmbeddingResponse(List.of(new float[] {1, 2}), "n", Usage.of(1, 0, 1)));
        assertNotEquals(a, new EmbeddingResponse(List.of(new float[] {1, 2}), "m", Usage.of(2, 0, 2)));
        assertNotEquals(a, new EmbeddingResponse(List.of(new float[] {1, 2}, new float[] {1, 2}), "m", Usage.of(1, 0, 1)));
        assertNotEquals(a.hashCode(), new EmbeddingResponse(List.of(new float[] {1, 3}), "m", Usage.of(1, 0, 1)).hashCode());
        assertNotEquals(a, "a");
        assertEquals("EmbeddingResponse{1 vectors of 2, model=m, usage=" + Usage.of(1, 0, 1) + "}", a.toString());
    }

    @Test
    void limitsArePositiveAndBoundTokensByUtf8Bytes() {
        assertTrue(refused(() -> new EmbeddingLimits(0, 1, 1)).contains("maxInputs=0"));
        assertTrue(refused(() -> new EmbeddingLimits(1, 0, 1)).contains("maxTokens=0"));
        assertTrue(refused(() -> new EmbeddingLimits(1, 1, 0)).contains("concurrency=0"));
        assertEquals(new EmbeddingLimits(2048, 300_000, 8), new EmbeddingLimits(2048, 300_000, 4).withConcurrency(8));
        assertEquals(1, EmbeddingLimits.NONE.concurrency());
        assertEquals(5, EmbeddingLimits.tokenBound(EmbeddingInput.text("hello")));
        assertEquals(6, EmbeddingLimits.tokenBound(EmbeddingInput.text("日本")));
        assertEquals(3, EmbeddingLimits.tokenBound(EmbeddingInput.text("aé")));
    }

    @Test
    void aBatchFailureNamesItsRangeAndKeepsItsCausesFacts() {
        RateLimitException cause = new RateLimitException("slow down", "openai", 429, "rate_limit", Duration.ofSeconds(2), null);
        EmbeddingBatchException e = new EmbeddingBatchException(1, 3, 2048, 4096, cause);
        assertEquals("embedding batch 2 of 3 (inputs 2048..4095) failed: slow down", e.getMessage());
        assertEquals(2048, e.fromIndex());
        assertEquals(4096, e.toIndex());
        assertSame(cause, e.getCause());
        assertEquals(cause.providerId(), e.providerId());
        assertEquals(cause.httpStatus(), e.httpStatus());
        assertEquals(cause.errorType(), e.errorType());
        assertEquals(cause.retryAfter(), e.retryAfter());
        assertTrue(e.isRetryable());
        assertFalse(new EmbeddingBatchException(0, 2, 0, 1, new InvalidRequestException("bad", "x", 400, null, null)).isRetryable());
    }

    @Test
    void aTokenCountIsNonNegativeAndSaysHowItWasMade() {
        assertTrue(new TokenCount(3, TokenCount.Kind.ESTIMATE, "rule").isEstimate());
        assertFalse(new TokenCount(0, TokenCount.Kind.SERVER, "count_tokens").isEstimate());
        assertFalse(new TokenCount(0, TokenCount.Kind.TOKENIZER, "o200k_base").isEstimate());
        assertTrue(refused(() -> new TokenCount(-1, TokenCount.Kind.SERVER, "x")).contains("-1"));
        assertTrue(refused(() -> new TokenCount(1, null, "x")).contains("kind"));
        assertTrue(refused(() -> new TokenCount(1, TokenCount.Kind.SERVER, null)).contains("method"));
        assertTrue(refused(() -> new TokenCount(1, TokenCount.Kind.SERVER, " ")).contains("method"));
    }

    @Test
    void aModelHasAnIdPositiveLimitsAnOriginAndADateOnlyFromTheTable() {
        ModelInfo m = ModelInfo.ofId("gpt-5");
        assertEquals(ModelInfo.Origin.UNKNOWN, m.origin());
        assertNull(m.contextWindow());
        assertEquals(Set.of(), m.features());
        ModelInfo t = m.withLimits(272_000, 128_000, ModelInfo.Origin.BUILT_IN, LocalDate.of(2026, 12, 7));
        assertEquals(272_000, t.contextWindow());
        assertEquals(128_000, t.maxOutputTokens());
        assertEquals(LocalDate.of(2026, 12, 7), t.asOf());
        assertTrue(refused(() -> ModelInfo.ofId(" ")).contains("id"));
        assertTrue(refused(() -> ModelInfo.ofId(null)).contains("id"));
        assertTrue(refused(() -> m.withLimits(0, null, ModelInfo.Origin.SERVER, null)).contains("window=0"));
        assertTrue(refused(() -> m.withLimits(1, 0, ModelInfo.Origin.SERVER, null)).contains("maxOutput=0"));
        assertTrue(refused(() -> m.withLimits(1, 1, null, null)).contains("origin"));
        assertTrue(refused(() -> m.withLimits(1, 1, ModelInfo.Origin.SERVER, LocalDate.EPOCH)).contains("built-in"));
        ModelInfo f = new ModelInfo("x", "X", 1, null, Set.of(Capabilities.Feature.IMAGES), ModelInfo.Origin.SERVER, null);
        assertEquals(Set.of(Capabilities.Feature.IMAGES), f.features());
        assertEquals(Set.of(), new ModelInfo("x", null, null, null, null, ModelInfo.Origin.SERVER, null).features());
    }

    @Test
    void aProviderWithoutACatalogueSaysSoAndCountsByTheEstimate() {
        LlmProvider bare = new LlmProvider() {
            @Override
            public String id() {
                return "bare";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ChatStream stream(ChatRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, bare::models);
        assertEquals(Capabilities.Feature.MODEL_CATALOGUE, e.feature());
        assertTrue(e.getMessage().contains("bare has no model catalogue"));
        assertSame(TokenCounter.estimate(), bare.tokenCounter());
    }
}
