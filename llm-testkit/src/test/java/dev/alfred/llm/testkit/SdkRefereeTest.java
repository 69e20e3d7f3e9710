package dev.alfred.llm.testkit;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Usage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official SDKs as referees of the fake server: openai-java reads {@link WireDialect#openAi()} and
 * anthropic-java reads {@link WireDialect#anthropic()}, both with strict response validation
 * ({@code responseValidation(true)}: a missing required field or a wrong type fails the call), and must
 * parse every scripted reply — whole answers, streams, tool calls, refusals, thinking, errors and error
 * events — without error and see in it what the script says: the text, the tool calls, the usage, the
 * finish, the request id. The SDKs never retry ({@code maxRetries(0)}), so each call is one exchange; each
 * test has its own server and client, so a reply one test left unread cannot reach another.
 */
class SdkRefereeTest {

    private static final Usage USAGE = new Usage(12, 8, 20, 4, 0, 3);

    /** openai-java against the fake's OpenAI dialect. */
    @Nested
    class OpenAiJava {
        private FakeServer server;
        private OpenAIClient client;

        @BeforeEach
        void start() {
            server = FakeServer.start(WireDialect.openAi());
            client = OpenAIOkHttpClient.builder().apiKey("sk-referee-0123456789abcdef").baseUrl(server.baseUri().toString())
                    .maxRetries(0).responseValidation(true).timeout(Duration.ofSeconds(20)).build();
        }

        @AfterEach
        void stop() {
            client.close();
            server.close();
        }

        private ChatCompletionCreateParams params(boolean usage) {
            ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder().model("gpt-4o").addUserMessage("hi");
            if (usage) {
                b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
            }
            return b.build();
        }

        private ChatCompletion streamed(ChatCompletionCreateParams params) {
            ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
            try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
                s.stream().forEach(acc::accumulate);
            }
            return acc.chatCompletion();
        }

        private void assertUsage(ChatCompletion c) {
            com.openai.models.completions.CompletionUsage u = c.usage().orElseThrow();
            assertEquals(List.of(12L, 8L, 20L), List.of(u.promptTokens(), u.completionTokens(), u.totalTokens()));
            assertEquals(4L, u.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow());
            assertEquals(3L, u.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow());
        }

        @Test
        void aWholeAnswerWithItsUsageAndRequestId() {
            server.enqueue(Reply.chat(ScriptedStream.ofText("Hello", ", world").withModel("gpt-4o-2024-08-06")
                    .withUsage(USAGE, ScriptedStream.UsagePlacement.SERVER_DEFAULT)));
            HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params(false));
            ChatCompletion c = raw.parse();
            c.validate();
            assertEquals("Hello, world", c.choices().get(0).message().content().orElseThrow());
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
            assertEquals("gpt-4o-2024-08-06", c.model());
            assertUsage(c);
            assertTrue(raw.headers().values("x-request-id").get(0).startsWith("req_"), "OpenAI names each exchange");
        }

        @Test
        void aStreamWithUsageWhenAskedFor() {
            server.enqueue(Reply.stream(ScriptedStream.ofText("The ", "quick ", "fox 🙂").withModel("gpt-5-2025-08-07")
                    .withUsage(USAGE, ScriptedStream.UsagePlacement.SERVER_DEFAULT)));
            ChatCompletion c = streamed(params(true));
            assertEquals("The quick fox 🙂", c.choices().get(0).message().content().orElseThrow());
            assertEquals(ChatCompletion.Choice.FinishReason.STOP, c.choices().get(0).finishReason());
            assertUsage(c);
        }

        private static final List<ChatDelta> TWO_CALLS = List.of(new ChatDelta.ToolCallStart(0, "call_a1", "get_weather"),
                new ChatDelta.ToolCallArguments(0, "{\"city\":"), new ChatDelta.ToolCallStart(1, "call_b2", "get_time"),
                new ChatDelta.ToolCallArguments(0, "\"Paris\"}"), new ChatDelta.ToolCallArguments(1, "{\"city\":\"Oslo\"}"));

        private static String calls(ChatCompletionMessage m) {
            return m.toolCalls().orElseThrow().stream().map(t -> {
                ChatCompletionMessageFunctionToolCall f = t.asFunction();
                return f.id() + " " + f.function().name() + " " + f.function().arguments();
            }).collect(Collectors.joining("; "));
        }

        @Test
        void toolCallsWholeAndStreamed() {
            ScriptedStream s = ScriptedStream.of(TWO_CALLS).withFinishReason("tool_calls")
                    .withUsage(USAGE, ScriptedStream.UsagePlacement.SERVER_DEFAULT);
            server.enqueue(Reply.chat(s)).enqueue(Reply.stream(s));
            String expected = "call_a1 get_weather {\"city\":\"Paris\"}; call_b2 get_time {\"city\":\"Oslo\"}";
            ChatCompletion whole = client.chat().completions().create(params(false));
            whole.validate();
            assertEquals(expected, calls(whole.choices().get(0).message()));
            assertTrue(whole.choices().get(0).message().content().isEmpty(), "a tool-call-only answer has no content");
            assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, whole.choices().get(0).finishReason());
            ChatCompletion streamed = streamed(params(true));
            assertEquals(expected, calls(streamed.choices().get(0).message()));
            assertUsage(streamed);
        }

        @Test
        void aRefusalWholeAndStreamed() {
            ScriptedStream s = ScriptedStream.ofRefusal("I'm sorry, ", "I can't help with that.");
            server.enqueue(Reply.chat(s)).enqueue(Reply.stream(s));
            ChatCompletionMessage whole = client.chat().completions().create(params(false)).choices().get(0).message();
            assertEquals("I'm sorry, I can't help with that.", whole.refusal().orElseThrow());
            assertTrue(whole.content().isEmpty());
            assertEquals("I'm sorry, I can't help with that.", streamed(params(true)).choices().get(0).message().refusal().orElseThrow());
        }

        @Test
        void errorsAsTheSdkTypesThem() {
            WireDialect d = server.dialect();
            server.enqueue(Reply.error(429, d.errorTypeFor(429), "Rate limit reached for gpt-4o").withHeader("Retry-After", "2"));
            OpenAIServiceException limited = assertThrows(com.openai.errors.RateLimitException.class,
                    () -> client.chat().completions().create(params(false)));
            assertEquals(429, limited.statusCode());
            assertEquals("requests", limited.type().orElseThrow());
            assertTrue(limited.headers().values("x-request-id").get(0).startsWith("req_"));
            server.enqueue(Reply.error(400, d.errorTypeFor(400), "Unsupported value"));
            assertEquals("invalid_request_error", assertThrows(com.openai.errors.BadRequestException.class,
                    () -> client.chat().completions().create(params(false))).type().orElseThrow());
        }

        @Test
        void anErrorInsideAStreamFailsIt() {
            WireDialect d = server.dialect();
            server.enqueue(Reply.stream(ScriptedStream.ofText("part").withRawEvent(d.errorEvent("server_error", "Stream failed"))));
            RuntimeException e = assertThrows(RuntimeException.class, () -> streamed(params(true)));
            assertTrue(String.valueOf(e.getMessage()).contains("Stream failed") || e instanceof com.openai.errors.SseException,
                    e.toString());
        }
    }

    /** anthropic-java against the fake's Anthropic dialect. */
    @Nested
    class AnthropicJava {
        private FakeServer server;
        private AnthropicClient client;

        @BeforeEach
        void start() {
            server = FakeServer.start(WireDialect.anthropic());
            client = AnthropicOkHttpClient.builder().apiKey("sk-ant-referee-0123456789abcdef").baseUrl(server.baseUri().toString())
                    .maxRetries(0).responseValidation(true).timeout(Duration.ofSeconds(20)).build();
        }

        @AfterEach
        void stop() {
            client.close();
            server.close();
        }

        private static final MessageCreateParams PARAMS = MessageCreateParams.builder().model("claude-sonnet-4-20250514")
                .maxTokens(256).addUserMessage("hi").build();

        private Message streamed() {
            MessageAccumulator acc = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(PARAMS)) {
                s.stream().forEach(acc::accumulate);
            }
            return acc.message();
        }

        private static String text(Message m) {
            return m.content().stream().flatMap(b -> b.text().stream()).map(t -> t.text()).collect(Collectors.joining());
        }

        private static String calls(Message m) {
            List<String> out = new ArrayList<>();
            for (ContentBlock b : m.content()) {
                b.toolUse().ifPresent(t -> out.add(t.id() + " " + t.name() + " " + t._input()));
            }
            return String.join("; ", out);
        }

        private static void assertUsage(Message m) {
            com.anthropic.models.messages.Usage u = m.usage();
            assertEquals(List.of(8L, 8L, 4L), List.of(u.inputTokens(), u.outputTokens(), u.cacheReadInputTokens().orElseThrow()));
        }

        @Test
        void aWholeMessageAndAStreamWithTheirUsage() {
            ScriptedStream s = ScriptedStream.ofText("Hello", ", world").withModel("claude-sonnet-4-20250514")
                    .withUsage(USAGE, ScriptedStream.UsagePlacement.SERVER_DEFAULT);
            server.enqueue(Reply.chat(s)).enqueue(Reply.stream(s));
            Message whole = client.messages().create(PARAMS);
            whole.validate();
            assertEquals("Hello, world", text(whole));
            assertEquals(StopReason.END_TURN, whole.stopReason().orElseThrow());
            assertUsage(whole);
            Message streamed = streamed();
            assertEquals("Hello, world", text(streamed));
            assertEquals(StopReason.END_TURN, streamed.stopReason().orElseThrow());
            assertUsage(streamed);
        }

        @Test
        void aScriptWithoutUsageStillCarriesTheUsageAnthropicAlwaysSends() {
            ScriptedStream s = ScriptedStream.ofText("ok").withUsage(null, ScriptedStream.UsagePlacement.NONE);
            server.enqueue(Reply.chat(s)).enqueue(Reply.stream(s));
            assertEquals(0L, client.messages().create(PARAMS).usage().inputTokens());
            assertEquals("ok", text(streamed()));
        }

        @Test
        void toolUseWholeAndStreamed() {
            ScriptedStream s = ScriptedStream.of(List.of(ChatDelta.text("Checking."),
                    new ChatDelta.ToolCallStart(0, "toolu_01A", "get_weather"), new ChatDelta.ToolCallArguments(0, "{\"city\":"),
                    new ChatDelta.ToolCallArguments(0, "\"Paris\"}"), new ChatDelta.ToolCallStart(1, "toolu_01B", "get_time"),
                    new ChatDelta.ToolCallArguments(1, "{\"city\":\"Oslo\"}"))).withFinishReason("tool_calls")
                    .withUsage(USAGE, ScriptedStream.UsagePlacement.SERVER_DEFAULT);
            server.enqueue(Reply.chat(s)).enqueue(Reply.stream(s));
            String expected = "toolu_01A get_weather {city=Paris}; toolu_01B get_time {city=Oslo}";
            Message whole = client.messages().create(PARAMS);
            assertEquals(expected, calls(whole).replace("\"", "").replace(":", "="));
            assertEquals(StopReason.TOOL_USE, whole.stopReason().orElseThrow());
            Message streamed = streamed();
            assertEquals(expected, calls(streamed).replace("\"", "").replace(":", "="));
            assertEquals("Checking.", text(streamed));
            assertUsage(streamed);
        }

        @Test
        void thinkingWithItsSignature() {
            server.enqueue(Reply.stream(ScriptedStream.of(List.of(ChatDelta.reasoning("Let me "), ChatDelta.reasoning("think."),
                    ChatDelta.text("42")))));
            Message m = streamed();
            com.anthropic.models.messages.ThinkingBlock t = m.content().get(0).thinking().orElseThrow();
            assertEquals("Let me think.", t.thinking());
            assertFalse(t.signature().isEmpty());
            assertEquals("42", text(m));
        }

        @Test
        void anErrorNamesItsRequestInTheHeaderAndTheBody() {
            server.enqueue(Reply.error(529, "overloaded_error", "Overloaded"));
            AnthropicServiceException e = assertThrows(AnthropicServiceException.class, () -> client.messages().create(PARAMS));
            assertEquals(529, e.statusCode());
            String id = e.headers().values("request-id").get(0);
            assertTrue(id.startsWith("req_"), id);
            assertEquals(id, e.requestId().orElseThrow(), "the body's request_id is the header's");
            assertEquals("Overloaded", e.apiMessage().orElseThrow());
            server.enqueue(Reply.error(429, "rate_limit_error", "slow down"));
            assertThrows(com.anthropic.errors.RateLimitException.class, () -> client.messages().create(PARAMS));
        }

        @Test
        void anErrorEventEndsTheStream() {
            WireDialect d = server.dialect();
            server.enqueue(Reply.stream(ScriptedStream.ofText("a", "b", "c").cutAfter(1)
                    .withRawEventAt(1, d.errorEvent("overloaded_error", "Overloaded"))));
            RuntimeException e = assertThrows(RuntimeException.class, this::streamed);
            assertTrue(String.valueOf(e.getMessage()).contains("Overloaded"), e.toString());
        }
    }
}
