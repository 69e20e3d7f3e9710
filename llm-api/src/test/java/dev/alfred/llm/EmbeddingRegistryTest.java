package dev.alfred.llm;

import dev.alfred.llm.config.ProviderConfig;
import dev.alfred.llm.config.ProviderRegistry;
import dev.alfred.llm.observe.EmbeddingCall;
import dev.alfred.llm.observe.EmbeddingListener;
import dev.alfred.llm.observe.LlmListener;
import dev.alfred.llm.spi.LlmProviderDecorator;
import dev.alfred.llm.spi.LlmProviderFactory;
import dev.alfred.llm.spi.ModelTable;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Embedding providers found by id with the decorators and listeners of chat; the model table. */
class EmbeddingRegistryTest {

    /** An embedding provider whose id shows the decorators around it. */
    record Named(String id, EmbeddingProvider inner, AtomicBoolean closed) implements EmbeddingProvider {
        @Override
        public EmbeddingResponse embed(EmbeddingRequest request) {
            return new EmbeddingResponse(List.of(new float[] {1}), id, Usage.ZERO);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static final class Factory implements LlmProviderFactory {
        final AtomicBoolean closed = new AtomicBoolean();
        boolean returnNull;

        @Override
        public String id() {
            return "vec";
        }

        @Override
        public LlmProvider create(ProviderConfig config) {
            throw new UnsupportedOperationException("chat");
        }

        @Override
        public EmbeddingProvider createEmbeddings(ProviderConfig config) {
            return returnNull ? null : new Named("vec", null, closed);
        }
    }

    private static final class Plain implements LlmProviderFactory {
        @Override
        public String id() {
            return "plain";
        }

        @Override
        public LlmProvider create(ProviderConfig config) {
            throw new UnsupportedOperationException("chat");
        }
    }

    private static LlmProviderDecorator decorator(String tag, RuntimeException failure) {
        return new LlmProviderDecorator() {
            @Override
            public String id() {
                return tag;
            }

            @Override
            public LlmProvider decorate(LlmProvider provider, ProviderConfig config) {
                return provider;
            }

            @Override
            public EmbeddingProvider decorate(EmbeddingProvider provider, ProviderConfig config) {
                if (failure != null) {
                    throw failure;
                }
                return new Named(tag + "(" + provider.id() + ")", provider, new AtomicBoolean());
            }
        };
    }

    @Test
    void anEmbeddingProviderIsFoundByIdAndWrappedInTheDecoratorsAndListeners() {
        List<String> heard = new ArrayList<>();
        LlmListener listener = new LlmListener() {
            @Override
            public EmbeddingListener onEmbeddingStart(EmbeddingCall call) {
                heard.add(call.providerId());
                return EmbeddingListener.NONE;
            }
        };
        ProviderRegistry registry = ProviderRegistry.of(List.of(new Factory()), List.of(decorator("a", null), decorator("b", null)),
                List.of(listener));
        EmbeddingProvider p = registry.createEmbeddings("vec", ProviderConfig.empty());
        assertEquals("b(a(vec))", p.id());
        assertEquals("b(a(vec))", p.embed("x").model());
        assertEquals(List.of("b(a(vec))"), heard);
        assertEquals("vec", ProviderRegistry.of(new Factory()).createEmbeddings("vec", ProviderConfig.empty()).id());
        assertThrows(NullPointerException.class, () -> registry.createEmbeddings("vec", null));
        assertThrows(ProviderNotFoundException.class, () -> registry.createEmbeddings("nope", ProviderConfig.empty()));
    }

    @Test
    void aProviderWithoutEmbeddingsSaysSoAndAFactoryReturningNothingIsAnError() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> ProviderRegistry.of(new Plain()).createEmbeddings("plain", ProviderConfig.empty()));
        assertEquals(Capabilities.Feature.EMBEDDINGS, e.feature());
        assertEquals("plain has no embeddings", e.getMessage());
        Factory f = new Factory();
        f.returnNull = true;
        assertTrue(assertThrows(LlmException.class, () -> ProviderRegistry.of(f).createEmbeddings("vec", ProviderConfig.empty()))
                .getMessage().contains("returned no embedding provider"));
    }

    @Test
    void aDecoratorThatFailsClosesWhatWasMadeAndOneThatReturnsNothingIsNamed() {
        Factory f = new Factory();
        IllegalArgumentException bad = new IllegalArgumentException("retry.max-attempts");
        assertSame(bad, assertThrows(IllegalArgumentException.class, () -> ProviderRegistry.of(List.of(f),
                List.of(decorator("x", bad))).createEmbeddings("vec", ProviderConfig.empty())));
        assertTrue(f.closed.get());
        LlmProviderDecorator nothing = new LlmProviderDecorator() {
            @Override
            public String id() {
                return "nothing";
            }

            @Override
            public LlmProvider decorate(LlmProvider provider, ProviderConfig config) {
                return provider;
            }

            @Override
            public EmbeddingProvider decorate(EmbeddingProvider provider, ProviderConfig config) {
                return null;
            }
        };
        assertTrue(assertThrows(NullPointerException.class, () -> ProviderRegistry.of(List.of(new Factory()), List.of(nothing))
                .createEmbeddings("vec", ProviderConfig.empty())).getMessage().contains("'nothing' returned null"));
        LlmProviderDecorator chatOnly = new LlmProviderDecorator() {
            @Override
            public String id() {
                return "chat-only";
            }

            @Override
            public LlmProvider decorate(LlmProvider provider, ProviderConfig config) {
                return provider;
            }
        };
        assertEquals("vec", ProviderRegistry.of(List.of(new Factory()), List.of(chatOnly)).createEmbeddings("vec",
                ProviderConfig.empty()).id());
    }

    @Test
    void theModelTableFillsWhatTheServerDidNotSayAndConfigurationOverridesEverything() {
        LocalDate day = LocalDate.of(2026, 12, 8);
        ModelTable table = ModelTable.builtIn(day, new Object[] {"gpt-5", 272_000, 128_000}, new Object[] {"small", 8192, null});
        assertEquals(day, table.asOf().orElseThrow());
        ModelInfo gpt5 = table.complete(ModelInfo.ofId("gpt-5"));
        assertEquals(272_000, gpt5.contextWindow());
        assertEquals(ModelInfo.Origin.BUILT_IN, gpt5.origin());
        assertEquals(day, gpt5.asOf());
        ModelInfo reported = ModelInfo.ofId("gpt-5").withLimits(400_000, null, ModelInfo.Origin.SERVER, null);
        assertSame(reported, table.complete(reported));
        assertSame(reported.id(), table.complete(ModelInfo.ofId("gpt-5")).id());
        ModelInfo unknown = ModelInfo.ofId("other");
        assertSame(unknown, table.complete(unknown));
        assertNull(table.find("small").orElseThrow().maxOutputTokens());

        ModelTable configured = table.withConfig(ProviderConfig.of(Map.of("openai.context.windows",
                " gpt-5 = 400000/100000 , mine=32768")), "openai.");
        ModelInfo over = configured.complete(reported);
        assertEquals(400_000, over.contextWindow());
        assertEquals(100_000, over.maxOutputTokens());
        assertEquals(ModelInfo.Origin.CONFIGURED, over.origin());
        assertNull(over.asOf());
        assertEquals(32768, configured.find("mine").orElseThrow().contextWindow());
        assertEquals(List.of("gpt-5", "mine", "small"), configured.entries().stream().map(ModelInfo::id).toList());
        assertEquals(ModelInfo.Origin.BUILT_IN, configured.find("small").orElseThrow().origin());
        assertTrue(configured.find("none").isEmpty());
        assertSame(table, table.withConfig(ProviderConfig.empty(), "openai."));
        assertSame(table, table.withConfig(ProviderConfig.of(Map.of("openai.context.windows", " ")), "openai."));
        assertEquals(List.of(), ModelTable.EMPTY.entries());
        assertTrue(ModelTable.EMPTY.asOf().isEmpty());
    }

    @Test
    void aMalformedTableOrSettingIsRefusedNamingWhatIsWrong() {
        LocalDate day = LocalDate.of(2026, 12, 8);
        for (String bad : List.of("gpt-5", "=1", "gpt-5=x", "gpt-5=1/2/3", "gpt-5=1/x", "gpt-5=0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelTable.EMPTY.withConfig(
                    ProviderConfig.of(Map.of("openai.context.windows", bad)), "openai."));
            assertTrue(e.getMessage().contains("openai.context.windows") || e.getMessage().contains("positive"), bad + ": " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ModelTable.builtIn(day, new Object[] {"a", 1}));
        assertThrows(IllegalArgumentException.class, () -> ModelTable.builtIn(day, new Object[] {1, 1, null}));
        assertThrows(IllegalArgumentException.class, () -> ModelTable.builtIn(day, new Object[] {"a", "1", null}));
        assertThrows(IllegalArgumentException.class, () -> ModelTable.builtIn(day, new Object[] {"a", 1, "2"}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelTable.builtIn(day, new Object[] {"a", 1, null},
                new Object[] {"a", 2, null})).getMessage().contains("twice"));
        assertThrows(NullPointerException.class, () -> ModelTable.builtIn(null));
    }

    @Test
    void discoveryFindsEmbeddingsByIdAndTheDefaultsOfTheInterfaceHold() {
        try (EmbeddingProvider echo = LlmProviders.createEmbeddings("echo", ProviderConfig.empty())) {
            assertEquals("echo", echo.id());
            assertEquals(5f, echo.embed("hello", "hi").vector(0)[0]);
            assertEquals(2f, echo.embed("hello", "hi").vector(1)[0]);
            assertSame(ProviderEndpoint.UNKNOWN, echo.endpoint());
            assertSame(EmbeddingLimits.NONE, echo.limits());
            assertSame(EmbeddingLimits.NONE, echo.limits(EmbeddingRequest.ofTexts("x")));
            assertEquals(false, echo.retries());
            List<String> heard = new ArrayList<>();
            EmbeddingProvider listened = echo.withListeners(new LlmListener() {
                @Override
                public EmbeddingListener onEmbeddingStart(EmbeddingCall call) {
                    heard.add(call.callId());
                    return EmbeddingListener.NONE;
                }
            });
            listened.embed("x");
            assertEquals(1, heard.size());
        }
    }

    @Test
    void theBudgetsEdgesAreExact() {
        TokenCounter tenPerMessage = r -> new TokenCount(10L * r.messages().size(), TokenCount.Kind.TOKENIZER, "ten");
        ChatRequest two = ChatRequest.builder().user("a").assistant("b").user("c").maxTokens(10).build();
        assertEquals(0, ContextBudget.builder(40).build().fit(two, tenPerMessage).droppedTurns(), "30 tokens fit a budget of 30");
        assertEquals(1, ContextBudget.builder(39).build().fit(two, tenPerMessage).droppedTurns());
        // memory at exactly its share: budget 40, share 0.25 = 10, the memory message is 10
        BudgetedRequest exact = ContextBudget.builder(50).build().fit(ChatRequest.builder().user("q").maxTokens(10).build(),
                List.of("m"), tenPerMessage);
        assertEquals(List.of("m"), exact.keptMemory());
        BudgetedRequest over = ContextBudget.builder(49).build().fit(ChatRequest.builder().user("q").maxTokens(10).build(),
                List.of("m"), tenPerMessage);
        assertEquals(List.of("m"), over.droppedMemory());
        BudgetedRequest systemOnly = ContextBudget.builder(100).memoryShare(0).build().fit(
                ChatRequest.builder().system("s").maxTokens(10).build(), List.of("m"), tenPerMessage);
        assertEquals(1, systemOnly.request().messages().size());
        assertEquals(2, EmbeddingLimits.tokenBound(EmbeddingInput.text("\u0080")));
        assertEquals(4, EmbeddingLimits.tokenBound(EmbeddingInput.text("a\u0080b")));
    }
}
