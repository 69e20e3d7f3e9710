package dev.alfred.llm.openai.dialect;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.http.ToolCallIds;
import dev.alfred.llm.http.error.ErrorKind;
import dev.alfred.llm.http.error.ErrorRules;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each preset says what its server does differently; a builder starts from OpenAI and copies whole. */
class DialectTest {

    /** Options of a test server. */
    private record Opts() implements ProviderOptions {
        @Override
        public String providerId() {
            return "acme";
        }
    }

    @Test
    void presetsAreFoundByNameInAnyCaseAndAnUnknownNameListsTheKnownOnes() {
        for (Dialect d : new Dialect[] {Dialect.OPENAI, Dialect.AZURE, Dialect.DEEPSEEK, Dialect.OLLAMA, Dialect.VLLM,
                Dialect.LLAMACPP, Dialect.OPENROUTER, Dialect.GROQ, Dialect.MISTRAL, Dialect.XAI}) {
            assertSame(d, Dialect.named(" " + d.name().toUpperCase() + " "));
            assertEquals("Dialect[" + d.name() + "]", d.toString());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dialect.named("acme"));
        assertEquals("unknown OpenAI-compatible dialect 'acme'; known: azure, deepseek, groq, llamacpp, mistral, ollama,"
                + " openai, openrouter, vllm, voyage, xai", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dialect.named(null));
        assertThrows(IllegalArgumentException.class, () -> Dialect.builder(" "));
    }

    @Test
    void theBaseUrlsHostPicksThePreset() {
        assertSame(Dialect.AZURE, Dialect.forBaseUrl(URI.create("https://x.openai.azure.com/openai/v1")));
        assertSame(Dialect.AZURE, Dialect.forBaseUrl(URI.create("https://x.cognitiveservices.azure.com/v1")));
        assertSame(Dialect.AZURE, Dialect.forBaseUrl(URI.create("https://x.services.ai.azure.com/v1")));
        assertSame(Dialect.DEEPSEEK, Dialect.forBaseUrl(URI.create("https://api.deepseek.com/v1")));
        assertSame(Dialect.OLLAMA, Dialect.forBaseUrl(URI.create("http://localhost:11434/v1")));
        assertSame(Dialect.OLLAMA, Dialect.forBaseUrl(URI.create("https://ollama.com/v1")));
        assertSame(Dialect.OLLAMA, Dialect.forBaseUrl(URI.create("https://eu.ollama.com/v1")));
        assertSame(Dialect.OPENROUTER, Dialect.forBaseUrl(URI.create("https://openrouter.ai/api/v1")));
        assertSame(Dialect.OPENROUTER, Dialect.forBaseUrl(URI.create("https://eu.openrouter.ai/api/v1")));
        assertSame(Dialect.GROQ, Dialect.forBaseUrl(URI.create("https://api.groq.com/openai/v1")));
        assertSame(Dialect.MISTRAL, Dialect.forBaseUrl(URI.create("https://api.mistral.ai/v1")));
        assertSame(Dialect.XAI, Dialect.forBaseUrl(URI.create("https://api.x.ai/v1")));
        assertSame(Dialect.OPENAI, Dialect.forBaseUrl(URI.create("https://api.openai.com/v1")));
        assertSame(Dialect.OPENAI, Dialect.forBaseUrl(URI.create("http://127.0.0.1:8000/v1")), "vLLM and others: the baseline");
        assertSame(Dialect.OPENAI, Dialect.forBaseUrl(URI.create("file:/x")));
    }

    @Test
    void thePresetsSayWhatTheirServersWantAndHowTheyCount() {
        assertEquals("max_completion_tokens", Dialect.OPENAI.maxTokensField());
        assertEquals("max_tokens", Dialect.DEEPSEEK.maxTokensField());
        assertTrue(Dialect.OPENAI.streamUsage());
        assertFalse(Dialect.GROQ.streamUsage());
        assertFalse(Dialect.OPENAI.echoReasoning(), "reasoning only to servers documented to want it");
        assertTrue(Dialect.DEEPSEEK.echoReasoning());
        assertTrue(Dialect.OPENAI.toolMessageName());
        assertFalse(Dialect.MISTRAL.toolMessageName());
        assertSame(ToolCallIds.ANY, Dialect.OPENAI.toolCallIds());
        assertEquals("[a-zA-Z0-9]{9}", Dialect.MISTRAL.toolCallIds().toString());
        assertTrue(Dialect.OPENAI.completionIncludesReasoning());
        assertFalse(Dialect.XAI.completionIncludesReasoning());
        assertEquals("Authorization", Dialect.OPENAI.apiKeyHeader());
        assertEquals("Bearer ", Dialect.OPENAI.apiKeyPrefix());
        assertEquals("api-key", Dialect.AZURE.apiKeyHeader());
        assertEquals("", Dialect.AZURE.apiKeyPrefix());
        assertEquals("x-request-id", Dialect.OPENAI.requestIdHeader());
        assertFalse(Dialect.DEEPSEEK.capabilities().supports(Capabilities.Feature.JSON_SCHEMA));
        assertTrue(Dialect.OPENAI.capabilities().supports(Capabilities.Feature.JSON_SCHEMA));
        for (Dialect d : new Dialect[] {Dialect.OPENAI, Dialect.AZURE, Dialect.DEEPSEEK, Dialect.OLLAMA, Dialect.VLLM,
                Dialect.LLAMACPP, Dialect.OPENROUTER, Dialect.GROQ, Dialect.MISTRAL, Dialect.XAI}) {
            boolean strict = d == Dialect.OPENAI || d == Dialect.AZURE;
            assertEquals(strict, d.capabilities().supports(Capabilities.Feature.STRICT_SCHEMA),
                    d.name() + ": only OpenAI's and Azure's documented structured outputs hold a model to a strict schema");
        }
        assertEquals(Dialect.STANDARD_CAPABILITIES.features(),
                Dialect.OPENAI.capabilities().without(Capabilities.Feature.STRICT_SCHEMA).features());
        assertEquals(Dialect.STANDARD_CAPABILITIES.features(),
                Dialect.AZURE.capabilities().without(Capabilities.Feature.STRICT_SCHEMA).features());
        assertNull(Dialect.OPENAI.builtinToolType());
        assertNull(Dialect.OPENAI.imageFilePrefix());
        assertNull(Dialect.OPENAI.toolNamePattern());
        assertEquals(0, Dialect.OPENAI.maxTools());
        assertNull(Dialect.OPENAI.optionsType());
        assertSame(RequestExtras.NONE, Dialect.OPENAI.extras());
        assertEquals("gpt-5-mini", Dialect.OPENAI.defaultModel());
        assertNull(Dialect.VLLM.defaultModel(), "a local server's model is the user's to name");
        assertTrue(Dialect.OPENAI.refusesSampling("o3") && Dialect.OPENAI.refusesSampling("gpt-5-mini"));
        assertFalse(Dialect.OPENAI.refusesSampling("gpt-4.1"));
        assertFalse(Dialect.OLLAMA.refusesSampling("o3"), "only OpenAI's own reasoning models");
    }

    @Test
    void openAisQuotaErrorsAreQuotasEverywhereAndGroqsCapacityIsARateLimit() {
        ErrorRules openai = Dialect.OPENAI.errorRules();
        assertEquals(ErrorKind.QUOTA_EXCEEDED, openai.classify(429, "insufficient_quota", "You exceeded your current quota"));
        assertEquals(ErrorKind.QUOTA_EXCEEDED, openai.classify(429, "billing_not_active", "not active"));
        assertEquals(ErrorKind.QUOTA_EXCEEDED, openai.classify(429, "credit_balance_exhausted", "no credits"));
        assertEquals(ErrorKind.QUOTA_EXCEEDED, openai.classify(429, null, "You exceeded your current quota, please check"));
        assertNull(openai.classify(429, "requests", "Rate limit reached"));
        assertSame(openai, Dialect.AZURE.errorRules());
        ErrorRules groq = Dialect.GROQ.errorRules();
        assertEquals(ErrorKind.RATE_LIMITED, groq.classify(498, null, "capacity"));
        assertEquals(ErrorKind.RATE_LIMITED, groq.classify(503, "capacity_exceeded", "flex"));
        assertEquals(ErrorKind.QUOTA_EXCEEDED, groq.classify(429, "insufficient_quota", "x"));
        assertNull(groq.classify(429, "tokens", "Rate limit reached"));
    }

    @Test
    void aBuilderSetsEveryKnobAndToBuilderCopiesThemAll() {
        ErrorRules rules = (s, t, m) -> ErrorKind.UNAVAILABLE;
        RequestExtras extras = new RequestExtras() {
        };
        Pattern names = Pattern.compile("[a-z]+");
        Dialect d = Dialect.builder("acme").defaultModel("m").maxTokensField("max_tokens").streamUsage(false)
                .echoReasoning(true).toolMessageName(false).toolCallIds(ToolCallIds.wordCharacters())
                .completionIncludesReasoning(false).apiKeyHeader("x-key", "K ").requestIdHeader("x-id")
                .capabilities(Capabilities.TEXT_ONLY).builtinToolType("builtin").imageFilePrefix("f://")
                .toolRules(names, 7).samplingRefusedBy(m -> m.startsWith("r")).errorRules(rules).extras(Opts.class, extras)
                .build();
        for (Dialect x : new Dialect[] {d, d.toBuilder("copy").build()}) {
            assertEquals("m", x.defaultModel());
            assertEquals("max_tokens", x.maxTokensField());
            assertFalse(x.streamUsage());
            assertTrue(x.echoReasoning());
            assertFalse(x.toolMessageName());
            assertEquals("[a-zA-Z0-9_-]+", x.toolCallIds().toString());
            assertFalse(x.completionIncludesReasoning());
            assertEquals("x-key", x.apiKeyHeader());
            assertEquals("K ", x.apiKeyPrefix());
            assertEquals("x-id", x.requestIdHeader());
            assertSame(Capabilities.TEXT_ONLY, x.capabilities());
            assertEquals("builtin", x.builtinToolType());
            assertEquals("f://", x.imageFilePrefix());
            assertSame(names, x.toolNamePattern());
            assertEquals(7, x.maxTools());
            assertTrue(x.refusesSampling("r1") && !x.refusesSampling("m"));
            assertSame(rules, x.errorRules());
            assertEquals(Opts.class, x.optionsType());
            assertSame(extras, x.extras());
        }
        assertEquals("copy", d.toBuilder("copy").build().name());
        assertThrows(NullPointerException.class, () -> Dialect.builder("x").toolCallIds(null));
        assertThrows(NullPointerException.class, () -> Dialect.builder("x").errorRules(null));
        assertThrows(NullPointerException.class, () -> Dialect.builder("x").extras(Opts.class, null));
    }
}
