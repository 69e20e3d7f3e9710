package dev.alfred.llm.anthropic;

import dev.alfred.llm.AuthenticationException;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ProviderUnavailableException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.Usage;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.RecordedRequest;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.StreamRecording;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Anthropic provider sends and reads, over real HTTP, event by event. */
class AnthropicProviderTest {

    private static final String KEY = "sk-ant-test-0123456789abcdefghij";
    private static final ChatRequest HELLO = ChatRequest.builder().system("Be brief.").user("hello").build();
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "The weather.",
            JsonSchema.of("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));
    private static final String START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
            + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,"
            + "\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":5,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}";
    private static final String STOP = "event: message_stop\ndata: {\"type\":\"message_stop\"}";

    private final FakeServer server = FakeServer.start(WireDialect.anthropic());

    @AfterEach
    void stop() {
        server.close();
    }

    private AnthropicProvider provider() {
        return AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).build();
    }

    private static Reply sse(String... events) {
        StringBuilder body = new StringBuilder();
        for (String e : events) {
            body.append(e).append("\n\n");
        }
        return Reply.raw(200, "text/event-stream", body.toString());
    }

    private static String event(String json) {
        String type = json.substring(json.indexOf("\"type\":\"") + 8);
        return "event: " + type.substring(0, type.indexOf('"')) + "\ndata: " + json;
    }

    private static String messageDelta(String stopReason, int output) {
        return event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason + "\",\"stop_sequence\":null},"
                + "\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":5,\"output_tokens\":" + output + "}}");
    }

    @Test
    void theRequestCarriesTheHeadersTheSystemFieldAndADefaultMaxTokens() {
        server.enqueue(Reply.chat("hi")).enqueue(Reply.chat("hi"));
        try (AnthropicProvider p = provider()) {
            assertEquals("hi", p.chat(HELLO).content());
        }
        try (AnthropicProvider p = AnthropicProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).bearerAuth(true)
                .beta("interleaved-thinking-2025-05-14").beta("files-api-2025-04-14").maxTokens(900).build()) {
            p.chat(HELLO);
        }
        RecordedRequest first = server.takeRequest();
        assertEquals("/v1/messages", first.path());
        assertEquals(Optional.of(KEY), first.header("x-api-key"));
        assertEquals(Optional.of("2023-06-01"), first.header("anthropic-version"));
        assertEquals(Optional.empty(), first.header("anthropic-beta"));
        assertEquals("Be brief.", first.json().path("system").asString());
        assertEquals(AnthropicProvider.DEFAULT_MAX_TOKENS, first.json().path("max_tokens").asInt());
        assertEquals("user", first.json().path("messages").get(0).path("role").asString());
        RecordedRequest second = server.takeRequest();
        assertEquals(Optional.of("Bearer " + KEY), second.header("authorization"));
        assertEquals(Optional.empty(), second.header("x-api-key"));
        assertEquals(Optional.of("interleaved-thinking-2025-05-14,files-api-2025-04-14"), second.header("anthropic-beta"));
        assertEquals(900, second.json().path("max_tokens").asInt());
    }

    @Test
    void toolResultsGoFirstInOneUserTurnAndTheToolChoiceCarriesTheParallelSetting() {
        server.enqueue(Reply.chat("ok"));
        ToolCall a = new ToolCall("toolu_a", "get_weather", "{\"city\":\"Oslo\"}", ToolCall.Status.COMPLETE);
        ToolCall b = new ToolCall("toolu_b", "get_weather", "", ToolCall.Status.COMPLETE);
        ChatRequest req = ChatRequest.builder().user("both?").tools(WEATHER).toolChoice(ToolChoice.REQUIRED)
                .parallelToolCalls(false)
                .message(new dev.alfred.llm.AssistantMessage("Checking.", "", List.of(a, b), dev.alfred.llm.ProviderState.NONE))
                .message(ChatMessage.toolResult(a, "cold")).user("and?").message(ChatMessage.toolResult(b, "warm"))
                .responseFormat(ResponseFormat.jsonSchema("w", JsonSchema.of("{\"type\":\"object\"}"), true)).build();
        try (AnthropicProvider p = provider()) {
            p.chat(req);
        }
        JsonNode body = server.takeRequest().json();
        assertEquals("{\"type\":\"any\",\"disable_parallel_tool_use\":true}", body.path("tool_choice").toString());
        JsonNode assistant = body.path("messages").get(1);
        assertEquals("[{\"type\":\"text\",\"text\":\"Checking.\"},{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Oslo\"}},{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"get_weather\",\"input\":{}}]",
                assistant.path("content").toString(), "empty arguments go as {}");
        JsonNode turn = body.path("messages").get(2);
        assertEquals(3, body.path("messages").size(), "the results and the text are one user turn");
        assertEquals(List.of("tool_result", "tool_result", "text"), List.of(turn.path("content").get(0).path("type").asString(),
                turn.path("content").get(1).path("type").asString(), turn.path("content").get(2).path("type").asString()));
        assertEquals("toolu_b", turn.path("content").get(1).path("tool_use_id").asString());
        assertEquals("{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}}", body.path("output_config").toString());
    }

    @Test
    void whatTheApiWouldRefuseIsRefusedBeforeSending() {
        try (AnthropicProvider p = provider()) {
            InvalidRequestException hot = assertThrows(InvalidRequestException.class,
                    () -> p.chat(HELLO.toBuilder().temperature(1.5).build()));
            assertTrue(hot.getMessage().contains("temperature must be between 0 and 1"), hot.getMessage());
            ChatRequest forced = ChatRequest.builder().user("x").tools(WEATHER).toolChoice(ToolChoice.tool("get_weather"))
                    .options(AnthropicOptions.thinking(2000)).build();
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> p.chat(forced));
            assertTrue(e.getMessage().contains("manual thinking"), e.getMessage());
            InvalidRequestException budget = assertThrows(InvalidRequestException.class,
                    () -> p.chat(HELLO.toBuilder().maxTokens(1500).options(AnthropicOptions.thinking(2000)).build()));
            assertTrue(budget.getMessage().contains("must be below maxTokens"), budget.getMessage());
        }
        assertEquals(0, server.requestCount());
        assertThrows(IllegalArgumentException.class, () -> AnthropicOptions.thinking(1000));
    }

    @Test
    void thinkingWithItsSignatureAndRedactedThinkingGoBackUnmodifiedInTheirOrder() {
        server.enqueue(sse(START,
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
                "event: ping\ndata: {\"type\": \"ping\"}",
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Need \"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"data.\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"EqQB+/=\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":0            }"),
                event("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":1}"),
                event("{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\","
                        + "\"name\":\"get_weather\",\"input\":{},\"caller\":{\"type\":\"direct\"}}}"),
                event("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Flor\"}}"),
                "event: future_event\ndata: {\"type\":\"future_event\",\"whatever\":[1,2]}",
                event("{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"ence\\\"}\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":2}"),
                messageDelta("tool_use", 88), STOP));
        server.enqueue(Reply.chat("Sunny."));
        try (AnthropicProvider p = provider()) {
            ChatRequest ask = ChatRequest.builder().user("Weather in Florence?").tools(WEATHER)
                    .options(AnthropicOptions.thinking(2048)).build();
            StreamRecording rec = StreamRecording.of(p.stream(ask));
            ChatResponse r = rec.assertCompleted();
            assertEquals("Need data.", r.reasoning());
            assertEquals(List.of(new ToolCall("toolu_1", "get_weather", "{\"city\": \"Florence\"}", ToolCall.Status.COMPLETE)),
                    r.toolCalls());
            assertEquals(new Usage(25, 88, 113, 5, 0, 0), r.usage(), "message_delta's usage replaces message_start's");
            assertEquals("msg_1", r.id());
            assertEquals("claude-x", r.model());
            p.chat(ask.toBuilder().message(ChatMessage.of(r)).message(ChatMessage.toolResult(r.toolCalls().get(0), "sun")).build());
        }
        JsonNode first = server.takeRequest().json();
        assertEquals("{\"type\":\"enabled\",\"budget_tokens\":2048}", first.path("thinking").toString());
        assertEquals(AnthropicProvider.DEFAULT_MAX_TOKENS, first.path("max_tokens").asInt());
        String replayed = server.takeRequest().body();
        assertTrue(replayed.contains("{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"Need data.\","
                + "\"signature\":\"EqQB+/=\"},{\"type\":\"redacted_thinking\",\"data\":\"EmwKAhgBEgy\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\": \"Florence\"},"
                + "\"caller\":{\"type\":\"direct\"}}]}"),
                "the blocks byte for byte, in their order: " + replayed);
    }

    @Test
    void anOverloadedErrorEventIsARetryableRateLimitKeepingThePartialText() {
        server.enqueue(sse(START,
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}"),
                "event: error\ndata: {\"type\":\"error\",\"error\":{\"details\":null,\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}        }"));
        try (AnthropicProvider p = provider()) {
            StreamInterruptedException e = StreamRecording.of(p.stream(HELLO)).assertFailed(StreamInterruptedException.class);
            assertEquals("Par", e.partialContent());
            RateLimitException cause = assertInstanceOf(RateLimitException.class, e.getCause());
            assertTrue(cause.isRetryable());
            assertEquals(Optional.of("overloaded_error"), cause.errorType());
        }
    }

    @Test
    void aStreamWithoutMessageStopIsTruncatedAndACallWhoseBlockNeverStoppedIsNeverComplete() {
        server.enqueue(sse(START,
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"Hi\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":0}"), messageDelta("end_turn", 3)));
        server.enqueue(sse(START,
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"get_weather\",\"input\":{}}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"),
                messageDelta("tool_use", 3), STOP));
        try (AnthropicProvider p = provider()) {
            StreamInterruptedException e = StreamRecording.of(p.stream(HELLO)).assertFailed(StreamInterruptedException.class);
            assertEquals("Hi", e.partialContent());
            assertTrue(e.getCause().getMessage().contains("before message_stop"), e.getCause().getMessage());
            StreamRecording rec = StreamRecording.of(p.stream(ChatRequest.builder().user("x").tools(WEATHER).build()));
            assertEquals(ToolCall.Status.TRUNCATED, rec.assertCompleted().toolCalls().get(0).status());
            assertTrue(rec.deltas().contains(new ChatDelta.ToolCallEnd(0, new ToolCall("t1", "get_weather", "{}",
                    ToolCall.Status.TRUNCATED))), rec.deltas().toString());
        }
    }

    @Test
    void aDeltaForABlockThatNeverStartedIsAMalformedStream() {
        server.enqueue(sse(START,
                event("{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}"),
                messageDelta("end_turn", 1), STOP));
        try (AnthropicProvider p = provider()) {
            LlmException e = StreamRecording.of(p.stream(HELLO)).failure();
            assertInstanceOf(dev.alfred.llm.MalformedResponseException.class, e);
            assertTrue(e.getMessage().contains("block 3, which never started"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource({
        "400, invalid_request_error, InvalidRequestException, false",
        "401, authentication_error, AuthenticationException, false",
        "402, billing_error, QuotaExceededException, false",
        "403, permission_error, AuthenticationException, false",
        "404, not_found_error, InvalidRequestException, false",
        "413, request_too_large, InvalidRequestException, false",
        "429, rate_limit_error, RateLimitException, true",
        "500, api_error, ProviderUnavailableException, true",
        "504, timeout_error, ProviderUnavailableException, true",
        "529, overloaded_error, RateLimitException, true",
    })
    void eachStatusMapsAndNamesTheRequestId(int status, String type, String expected, boolean retryable) {
        server.setDefault(Reply.error(status, type, "why " + status).withHeader("request-id", "req_01abc"));
        try (AnthropicProvider p = provider()) {
            for (boolean stream : new boolean[] {false, true}) {
                LlmException e = stream ? StreamRecording.of(p.stream(HELLO)).failure()
                        : assertThrows(LlmException.class, () -> p.chat(HELLO));
                assertEquals(expected, e.getClass().getSimpleName());
                assertEquals(retryable, e.isRetryable());
                assertEquals(Optional.of("req_01abc"), e.traceId());
                assertTrue(e.getMessage().endsWith("why " + status + " (request-id req_01abc)"), e.getMessage());
            }
        }
    }

    @Test
    void theBodysRequestIdStandsInWhenNoHeaderCarriesOne() {
        server.setDefault(Reply.error(401, "authentication_error", "invalid x-api-key"));
        try (AnthropicProvider p = provider()) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> p.chat(HELLO));
            assertEquals(Optional.of("req_fake0001"), e.traceId());
            assertFalse(e.getMessage().contains(KEY.substring(0, 8)));
        }
        assertInstanceOf(QuotaExceededException.class, assertThrows(LlmException.class, () -> {
            server.setDefault(Reply.error(402, "billing_error", "pay"));
            try (AnthropicProvider p = provider()) {
                p.chat(HELLO);
            }
        }));
    }

    @Test
    void theEventNameStandsInForAMissingTypeAndUsageFromMessageStartAloneCounts() {
        server.enqueue(sse(START,
                "event: content_block_start\ndata: {\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"Hi\"}}",
                "event: message_delta\ndata: {\"delta\":{\"stop_reason\":\"max_tokens\"}}",
                "event: message_stop\ndata: {}"));
        try (AnthropicProvider p = provider()) {
            ChatResponse r = StreamRecording.of(p.stream(HELLO)).assertCompleted();
            assertEquals("Hi", r.content());
            assertEquals(dev.alfred.llm.FinishReason.LENGTH, r.finishReason());
            assertEquals("max_tokens", r.rawFinishReason());
            assertEquals(new Usage(25, 1, 26, 5, 0, 0), r.usage());
        }
    }

    @Test
    void anErrorEventThatIsNotJsonAndAJsonErrorInsteadOfAStreamAreTypedErrors() {
        server.enqueue(sse(START, "event: error\ndata: upstream exploded"));
        server.enqueue(Reply.raw(200, "application/json", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}"));
        server.enqueue(sse(START, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"));
        try (AnthropicProvider p = provider()) {
            LlmException notJson = StreamRecording.of(p.stream(HELLO)).failure();
            assertInstanceOf(ProviderUnavailableException.class, notJson);
            assertTrue(notJson.getMessage().contains("upstream exploded"), notJson.getMessage());
            assertInstanceOf(RateLimitException.class, StreamRecording.of(p.stream(HELLO)).failure());
            LlmException cut = StreamRecording.of(p.stream(HELLO)).failure();
            assertTrue(cut.getMessage().contains("malformed event 'content_block_start'"), cut.getMessage());
        }
    }
}
