package dev.alfred.llm.openai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.TokenCounter;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.openai.dialect.Dialect;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Local token counts against the figures OpenAI's cookbook published ("How to count tokens with tiktoken",
 * openai/openai-cookbook@c81359cd), which matched the API: 129 tokens with gpt-4 and 124 with gpt-4o for its
 * example messages, 101 with gpt-4o for its tool example.
 */
class TokenCounterTest {

    private static final String KEY = "sk-count-test-0123456789abcdefghij";

    /** The cookbook's example messages; four carry a {@code name}, which the port's messages do not. */
    private static final List<ChatMessage> COOKBOOK = List.of(
            ChatMessage.system("You are a helpful, pattern-following assistant that translates corporate jargon into plain English."),
            ChatMessage.system("New synergies will help drive top-line growth."),
            ChatMessage.system("Things working well together will increase revenue."),
            ChatMessage.system("Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."),
            ChatMessage.system("Let's talk later when we're less busy about how to do better."),
            ChatMessage.user("This late pivot means we don't have time to boil the ocean for the client deliverable."));
    private static final List<String> NAMES = List.of("example_user", "example_assistant", "example_user", "example_assistant");

    private static TokenCounter counter(Dialect dialect, String model) {
        return OpenAiProvider.builder().apiKey(KEY).dialect(dialect).model(model).build().tokenCounter();
    }

    /** What the cookbook's names added: each name's tokens and 1 (tokens_per_name). */
    private static long names(EncodingType type) {
        Encoding enc = Encodings.newLazyEncodingRegistry().getEncoding(type);
        return NAMES.stream().mapToLong(n -> enc.countTokens(n) + 1).sum();
    }

    @Test
    void theCookbookMessagesCountAsTheApiCountedThem() {
        ChatRequest request = ChatRequest.builder().messages(COOKBOOK).build();
        TokenCount gpt4 = counter(Dialect.OPENAI, "gpt-4").count(request);
        assertEquals(129, gpt4.tokens() + names(EncodingType.CL100K_BASE));
        assertEquals(TokenCount.Kind.TOKENIZER, gpt4.kind());
        assertTrue(gpt4.method().contains("cl100k_base"), gpt4.method());
        TokenCount gpt4o = counter(Dialect.OPENAI, "gpt-4o").count(request);
        assertEquals(124, gpt4o.tokens() + names(EncodingType.O200K_BASE));
        assertTrue(gpt4o.method().contains("o200k_base"), gpt4o.method());
        // a request's own model wins over the provider's
        assertEquals(gpt4o, counter(Dialect.OPENAI, "gpt-4").count(request.toBuilder().model("gpt-4o-mini").build()));
    }

    @Test
    void theCookbookToolExampleCountsAsTheApiCountedIt() {
        ToolDefinition weather = ToolDefinition.function("get_current_weather", "Get the current weather in a given location",
                JsonSchema.of("{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\",\"description\":"
                        + "\"The city and state, e.g. San Francisco, CA\"},\"unit\":{\"type\":\"string\",\"description\":"
                        + "\"The unit of temperature to return\",\"enum\":[\"celsius\",\"fahrenheit\"]}},"
                        + "\"required\":[\"location\"]}"));
        ChatRequest request = ChatRequest.builder().messages(List.of(
                ChatMessage.system("You are a helpful assistant that can answer to questions about the weather."),
                ChatMessage.user("What's the weather like in San Francisco?"))).tools(List.of(weather)).build();
        assertEquals(101, counter(Dialect.AZURE, "gpt-4o").count(request).tokens());
    }

    @Test
    void otherServersAndUnknownModelsGetTheEstimate() {
        ChatRequest request = ChatRequest.of("hello there");
        assertSame(TokenCounter.estimate(), counter(Dialect.GROQ, "llama-3.3-70b-versatile"));
        TokenCount unknown = counter(Dialect.OPENAI, "gpt-oss-120b").count(request);
        assertEquals(TokenCount.Kind.ESTIMATE, unknown.kind());
        assertEquals(TokenCounter.estimate().count(request), unknown);
    }

    /** A rough throughput figure for the report; not a timed test (run by hand). */
    public static void main(String[] args) {
        StringBuilder sb = new StringBuilder();
        String[] words = ("the quick brown fox jumps over the lazy dog while memory snippets of a remembering bot "
                + "are assembled under a context budget, numbers 12345 and punctuation; ok!").split(" ");
        java.util.Random r = new java.util.Random(1);
        while (sb.length() < 4_000_000) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(10) == 0 ? ".\n" : " ");
        }
        ChatRequest request = ChatRequest.of(sb.toString());
        TokenCounter c = counter(Dialect.OPENAI, args.length > 0 ? args[0] : "gpt-4o");
        long tokens = 0;
        for (int i = 0; i < 3; i++) {
            tokens = c.count(request).tokens(); // warm-up
        }
        int runs = 10;
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            tokens = c.count(request).tokens();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d tokens per count, %.2f M tokens/s%n", tokens, tokens * runs / s / 1e6);
    }
}
