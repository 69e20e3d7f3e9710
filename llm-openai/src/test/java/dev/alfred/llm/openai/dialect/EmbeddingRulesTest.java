package dev.alfred.llm.openai.dialect;

import dev.alfred.llm.EmbeddingLimits;
import dev.alfred.llm.spi.ModelTable;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each dialect knows about embeddings, and the rules' own checks. */
class EmbeddingRulesTest {

    @Test
    void theBuilderSetsEverything() {
        EmbeddingRules r = EmbeddingRules.builder().refusal(null).path("v2/embed").defaultModel("m").base64(false)
                .dimensionsField("dims").inputTypeField("kind").limits(10, 500).maxTokensByModel(Map.of("big", 900L))
                .build();
        assertEquals(new EmbeddingRules(null, "v2/embed", "m", false, "dims", "kind", 10, 500, Map.of("big", 900L)), r);
        assertTrue(r.supported());
        assertEquals(new EmbeddingLimits(10, 900, 2), r.limits("big", 2));
        assertEquals(new EmbeddingLimits(10, 500, 3), r.limits("small", 3));
        assertEquals(new EmbeddingLimits(10, 500, 1), r.limits(null, 1));
        assertEquals(new EmbeddingRules(null, "embeddings", null, true, "dimensions", null, Integer.MAX_VALUE,
                Long.MAX_VALUE, null), EmbeddingRules.UNLIMITED);
        EmbeddingRules none = EmbeddingRules.none("use X");
        assertFalse(none.supported());
        assertEquals("use X", none.refusal());
    }

    @Test
    void invalidRulesAreRefusedNamingTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.none(null)).getMessage()
                .contains("what to use instead"));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.none(" "));
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.builder().path(" ").build());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.builder().path(null).build());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.builder().limits(0, 1).build());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.builder().limits(1, 0).build());
        EmbeddingRules.builder().limits(1, 1).build();
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.builder().dimensionsField("").build());
        assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.builder().inputTypeField("").build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EmbeddingRules.builder()
                .maxTokensByModel(Map.of("m", 0L)).build()).getMessage().contains("m"));
        EmbeddingRules.builder().maxTokensByModel(Map.of("m", 1L)).build();
    }

    @Test
    void eachPresetSaysWhatItsServerDoes() {
        assertEquals(new EmbeddingLimits(2048, 300_000, 4), Dialect.OPENAI.embeddings().limits(null, 4));
        assertEquals("text-embedding-3-small", Dialect.OPENAI.embeddings().defaultModel());
        assertEquals(new EmbeddingLimits(2048, 300_000, 4), Dialect.AZURE.embeddings().limits("x", 4));
        assertFalse(Dialect.VLLM.embeddings().base64());
        assertNull(Dialect.LLAMACPP.embeddings().dimensionsField());
        assertEquals("input_type", Dialect.OPENROUTER.embeddings().inputTypeField());
        assertEquals("output_dimension", Dialect.MISTRAL.embeddings().dimensionsField());
        assertEquals("mistral-embed", Dialect.MISTRAL.embeddings().defaultModel());
        assertTrue(Dialect.OLLAMA.embeddings().supported());
        for (Dialect d : new Dialect[] {Dialect.DEEPSEEK, Dialect.GROQ, Dialect.XAI}) {
            assertFalse(d.embeddings().supported(), d.name());
        }
        assertSame(Dialect.VOYAGE, Dialect.named("Voyage"));
        assertSame(Dialect.VOYAGE, Dialect.forBaseUrl(java.net.URI.create("https://api.voyageai.com/v1")));
        assertNull(Dialect.VOYAGE.modelsPath());
        assertTrue(Dialect.VOYAGE.chatRefusal().contains("embeddings-only"));
        assertTrue(Dialect.VOYAGE.capabilities().features().isEmpty());
        assertTrue(Dialect.OPENAI.openAiModels() && Dialect.AZURE.openAiModels());
        assertFalse(Dialect.OLLAMA.openAiModels());
        assertEquals("models", Dialect.GROQ.modelsPath());
        assertEquals(LocalDate.of(2026, 12, 7), Dialect.OPENAI.modelTable().asOf().orElseThrow());
        assertEquals(272_000, Dialect.AZURE.modelTable().find("gpt-5").orElseThrow().contextWindow());
        assertSame(ModelTable.EMPTY, Dialect.GROQ.modelTable());
    }

    @Test
    void aCustomDialectCarriesItsOwnKnowledgeAndToBuilderCopiesIt() {
        ModelTable table = ModelTable.builtIn(LocalDate.of(2026, 1, 1), new Object[] {"m", 1000, null});
        EmbeddingRules rules = EmbeddingRules.none("no");
        Dialect d = Dialect.builder("acme").embeddings(rules).chatRefusal("no chat").openAiModels(true).modelsPath("list")
                .modelTable(table).build();
        for (Dialect x : new Dialect[] {d, d.toBuilder("copy").build()}) {
            assertSame(rules, x.embeddings());
            assertEquals("no chat", x.chatRefusal());
            assertTrue(x.openAiModels());
            assertEquals("list", x.modelsPath());
            assertSame(table, x.modelTable());
        }
        Dialect plain = Dialect.builder("plain").build();
        assertSame(EmbeddingRules.UNLIMITED, plain.embeddings());
        assertNull(plain.chatRefusal());
        assertFalse(plain.openAiModels());
        assertThrows(NullPointerException.class, () -> Dialect.builder("x").embeddings(null));
        assertThrows(NullPointerException.class, () -> Dialect.builder("x").modelTable(null));
    }
}
