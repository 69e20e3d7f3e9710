package dev.alfred.llm.kimi;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.ContextWindowExceededException;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.ResponseTooLargeException;
import dev.alfred.llm.StreamInterruptedException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.UnsupportedFeatureException;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.StreamRecording;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kimi's tools, images, JSON output and options on the wire (kimi-api.md §2–§4), beyond the contract's
 * tool rules: real HTTP against the fake server, with raw event streams where the wire shape matters.
 */
class KimiToolsTest {

    private static final String KEY = "sk-kimi-tools-0a1b2c3d4e5f60718293a4b5";
    private static final JsonSchema CITY = JsonSchema.of(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "Weather in a city.", CITY);

    private FakeServer server;
    private KimiProvider kimi;

    @BeforeEach
    void start() {
        server = FakeServer.start();
        kimi = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).idleTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        kimi.close();
        server.close();
    }

    private static String events(String... chunks) {
        StringBuilder sb = new StringBuilder();
        for (String c : chunks) {
            sb.append("data: ").append(c).append("\n\n");
        }
        return sb.toString();
    }

    private static String toolDelta(String toolCallsJson) {
        return "{\"id\":\"chatcmpl-1\",\"model\":\"kimi-k3\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":"
                + toolCallsJson + "},\"finish_reason\":null}]}";
    }

    private static final String FINISH_TOOLS = "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}";

    private StreamRecording stream(String body) {
        server.enqueue(Reply.raw(200, "text/event-stream", body));
        return StreamRecording.of(kimi.stream(ChatRequest.builder().user("q").tools(WEATHER).build()));
    }

    private JsonNode sent(ChatRequest request) {
        server.enqueue(Reply.chat("ok"));
        kimi.chat(request);
        return server.takeRequest().json();
    }

    @Test
    void toolsGoOutAsFunctionsAndBuiltinsWithChoiceAndParallelSetting() {
        JsonNode body = sent(ChatRequest.builder().user("q").tools(WEATHER, ToolDefinition.builtin("$web_search"))
                .toolChoice(ToolChoice.tool("get_weather")).parallelToolCalls(true).build());
        assertEquals("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Weather in a city.\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}",
                body.path("tools").get(0).toString());
        assertEquals("{\"type\":\"builtin_function\",\"function\":{\"name\":\"$web_search\"}}", body.path("tools").get(1).toString());
        assertEquals("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}", body.path("tool_choice").toString());
        assertTrue(body.path("parallel_tool_calls").asBoolean());
        assertEquals("required", sent(ChatRequest.builder().user("q").tools(WEATHER).toolChoice(ToolChoice.REQUIRED)
                .build()).path("tool_choice").asString());
        JsonNode none = sent(ChatRequest.builder().user("q").toolChoice(ToolChoice.NONE).parallelToolCalls(false).build());
        assertFalse(none.has("tool_choice") || none.has("parallel_tool_calls") || none.has("tools"), none.toString());
    }

    @Test
    void schemasAreNormalisedForMoonshotsValidatorAndKeepTheirKeyOrder() {
        JsonSchema loose = JsonSchema.of("{\"properties\":{\"unit\":{\"enum\":[\"C\",\"F\"]},\"days\":{\"items\":{\"const\":1}},"
                + "\"where\":{\"properties\":{\"lat\":{\"type\":\"number\"}}},\"either\":{\"anyOf\":[{\"type\":\"string\"}]},"
                + "\"any\":{\"description\":\"x\"}}}");
        JsonNode body = sent(ChatRequest.builder().user("q").tools(ToolDefinition.function("f", "", loose)).build());
        assertEquals("{\"properties\":{\"unit\":{\"enum\":[\"C\",\"F\"],\"type\":\"string\"},"
                + "\"days\":{\"items\":{\"const\":1,\"type\":\"integer\"},\"type\":\"array\"},"
                + "\"where\":{\"properties\":{\"lat\":{\"type\":\"number\"}},\"type\":\"object\"},"
                + "\"either\":{\"anyOf\":[{\"type\":\"string\"}]},\"any\":{\"description\":\"x\"}},\"type\":\"object\"}",
                body.path("tools").get(0).path("function").path("parameters").toString());
    }

    @Test
    void aParametersSchemaThatIsNotAnObjectIsRefusedBeforeSending() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> kimi.chat(ChatRequest.builder()
                .user("q").tools(ToolDefinition.function("f", "", JsonSchema.of("{\"type\":\"string\"}"))).build()));
        assertEquals("kimi: tool 'f': the root of a tool's parameters schema must be of type object, was string",
                e.getMessage());
        assertEquals(0, server.requestCount());
    }

    @Test
    void toolNamesThatBreakKimisRuleAndTooManyToolsAreRefusedBeforeSending() {
        for (String bad : List.of("get weather", "1st", "x".repeat(65), "naïve")) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> kimi.stream(ChatRequest.builder()
                    .user("q").tools(ToolDefinition.function(bad, "", CITY)).build()));
            assertTrue(e.getMessage().startsWith("kimi: tool name '" + bad + "' breaks Kimi's rule"), e.getMessage());
        }
        server.enqueue(Reply.chat("ok"));
        kimi.chat(ChatRequest.builder().user("q").tools(ToolDefinition.function("_a-b_" + "x".repeat(59), "", CITY)).build());
        server.takeRequest();
        List<ToolDefinition> many = new ArrayList<>();
        for (int i = 0; i < 129; i++) {
            many.add(ToolDefinition.function("t" + i, "", CITY));
        }
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> kimi.chat(ChatRequest.builder().user("q").tools(many).build()));
        assertEquals("kimi: Kimi accepts at most 128 tools, the request has 129", e.getMessage());
        assertEquals(1, server.requestCount(), "only the request with the valid name went out");
    }

    @Test
    void anImageUrlIsRefusedSayingKimiDoesNotFetchUrls() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> kimi.chat(ChatRequest.builder()
                .user(ContentPart.text("what?"), ContentPart.imageUrl(URI.create("https://example.com/cat.png"))).build()));
        assertTrue(e.getMessage().contains("image by URL, which kimi does not fetch"), e.getMessage());
        assertEquals(0, server.requestCount());
    }

    @Test
    void imagesGoOutAsBase64DataUrlsOrFileIds() {
        JsonNode body = sent(ChatRequest.builder().user(ContentPart.text("Compare"), ContentPart.image(new byte[] {1, 2, 3},
                "image/png"), ContentPart.imageFile("file-abc"), ContentPart.imageFile("ms://file-def")).build());
        assertEquals("[{\"type\":\"text\",\"text\":\"Compare\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AQID\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"ms://file-abc\"}},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"ms://file-def\"}}]",
                body.path("messages").get(0).path("content").toString());
    }

    @Test
    void aReplayedToolTurnEchoesReasoningEvenWhenEmptyAndOmitsEmptyContent() {
        ToolCall call = new ToolCall("get_weather_0", "get_weather", "{\"city\":\"Paris\"}", ToolCall.Status.COMPLETE);
        ChatRequest r = ChatRequest.builder().user("q").tools(WEATHER)
                .message(new AssistantMessage("", "", List.of(call), ProviderState.NONE))
                .message(ChatMessage.toolResult(call, "18C")).build();
        JsonNode messages = sent(r).path("messages");
        assertEquals("{\"role\":\"assistant\",\"reasoning_content\":\"\",\"tool_calls\":[{\"id\":\"get_weather_0\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}",
                messages.get(1).toString());
        assertEquals("{\"role\":\"tool\",\"tool_call_id\":\"get_weather_0\",\"name\":\"get_weather\",\"content\":\"18C\"}",
                messages.get(2).toString());
        assertFalse(sent(ChatRequest.builder().user("q").assistant("plain").user("q2").build()).path("messages").get(1)
                .has("reasoning_content"), "no reasoning to echo on a plain turn");
    }

    @Test
    void responseFormatsGoOutAsKimiNamesThem() {
        assertEquals("{\"type\":\"json_object\"}", sent(ChatRequest.builder().user("q")
                .responseFormat(ResponseFormat.JSON_OBJECT).build()).path("response_format").toString());
        assertEquals("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"place\",\"strict\":true,\"schema\":"
                + "{\"properties\":{\"city\":{\"type\":\"string\"}},\"type\":\"object\"}}}",
                sent(ChatRequest.builder().user("q").responseFormat(ResponseFormat.jsonSchema("place",
                        JsonSchema.of("{\"properties\":{\"city\":{\"type\":\"string\"}}}"), true)).build())
                        .path("response_format").toString());
    }

    @Test
    void kimiOptionsSetThinkingAndPartialModeAndOtherProvidersOptionsAreWarnedAbout() {
        JsonNode body = sent(ChatRequest.builder().user("q").assistant("Once upon").options(KimiOptions.thinking(false)
                .withPartial(true)).build());
        assertEquals("{\"type\":\"disabled\"}", body.path("thinking").toString());
        assertTrue(body.path("messages").get(1).path("partial").asBoolean());
        assertFalse(body.path("messages").get(0).has("partial"));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> kimi.chat(ChatRequest.builder()
                .user("q").options(KimiOptions.partialMode()).build()));
        assertTrue(e.getMessage().contains("partial mode needs the last message to be the assistant's"), e.getMessage());

        record Other() implements ProviderOptions {
            @Override
            public String providerId() {
                return "other";
            }
        }
        server.enqueue(Reply.chat("ok"));
        ChatResponse r = kimi.chat(ChatRequest.builder().user("q").options(new Other()).build());
        assertEquals(List.of("options Other for provider 'other' were ignored by kimi"), r.warnings());
        server.enqueue(Reply.stream("ok"));
        assertEquals(r.warnings(), StreamRecording.of(kimi.stream(ChatRequest.builder().user("q").options(new Other())
                .build())).assertCompleted().warnings());
    }

    @Test
    void kimisOwnToolCallStreamIsReadWithItsIdsAndRawFinishReason() {
        // As Kimi's tool-use guide shows it: a first delta with index, id, type and name, then fragments by index.
        StreamRecording rec = stream(events(
                "{\"id\":\"chatcmpl-7\",\"model\":\"kimi-k3\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}",
                toolDelta("[{\"index\":0,\"id\":\"get_weather_0\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]"),
                toolDelta("[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\": \"}}]"),
                toolDelta("[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]"),
                FINISH_TOOLS, "[DONE]"));
        ChatResponse r = rec.assertCompleted();
        assertEquals(List.of(new ToolCall("get_weather_0", "get_weather", "{\"city\": \"Paris\"}", ToolCall.Status.COMPLETE)),
                r.toolCalls());
        assertEquals("chatcmpl-7", r.id());
        assertEquals("tool_calls", r.rawFinishReason());
        assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
        assertEquals(4, rec.deltas().size(), "start, two fragments (the empty one dropped), end: " + rec.deltas());
    }

    @Test
    void indexlessDeltasWithIdsStartNewCallsAndWithoutIdsContinueTheLatest() {
        ChatResponse r = stream(events(
                toolDelta("[{\"id\":\"add:0\",\"type\":\"function\",\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":\"}}]"),
                toolDelta("[{\"function\":{\"arguments\":\"1}\"}}]"),
                toolDelta("[{\"id\":\"add:1\",\"type\":\"function\",\"function\":{\"name\":\"add\",\"arguments\":\"{\\\"a\\\":2}\"}}]"),
                toolDelta("[{\"index\":\"x\",\"function\":{\"arguments\":\"\"}}]"),
                FINISH_TOOLS, "[DONE]")).assertCompleted();
        assertEquals(List.of(new ToolCall("add:0", "add", "{\"a\":1}", ToolCall.Status.COMPLETE),
                new ToolCall("add:1", "add", "{\"a\":2}", ToolCall.Status.COMPLETE)), r.toolCalls());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void aFragmentForAnIndexNeverStartedIsFoldedIntoTheLatestCallAndSaidSo() {
        ChatResponse r = stream(events(
                toolDelta("[{\"index\":0,\"id\":\"c0\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]"),
                toolDelta("[{\"index\":3,\"function\":{\"arguments\":\"1}\"}}]"),
                FINISH_TOOLS, "[DONE]")).assertCompleted();
        assertEquals(List.of(new ToolCall("c0", "f", "{\"a\":1}", ToolCall.Status.COMPLETE)), r.toolCalls());
        assertEquals(List.of("arguments for tool call 3, which never started, folded into call 0 (f)"), r.warnings());
    }

    @Test
    void aCallWithoutIdGetsOneAndAWarning() {
        ChatResponse r = stream(events(toolDelta("[{\"index\":2,\"function\":{\"name\":\"now\",\"arguments\":\"{}\"}}]"),
                FINISH_TOOLS, "[DONE]")).assertCompleted();
        assertEquals(List.of(new ToolCall("call_2", "now", "{}", ToolCall.Status.COMPLETE)), r.toolCalls());
        assertEquals(List.of("tool call 2 (now) came without an id; it was given call_2"), r.warnings());
    }

    @Test
    void moreThan128CallsOrArgumentsPastTheBoundFailTyped() {
        StringBuilder calls = new StringBuilder("[");
        for (int i = 0; i < 129; i++) {
            calls.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"id\":\"c").append(i)
                    .append("\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}");
        }
        StreamRecording tooMany = stream(events(toolDelta(calls + "]"), FINISH_TOOLS, "[DONE]"));
        StreamInterruptedException e = tooMany.assertFailed(StreamInterruptedException.class);
        assertInstanceOf(ResponseTooLargeException.class, e.getCause());
        assertEquals("kimi: the answer has more than 128 tool calls (the provider's maxToolCalls setting)", e.getCause().getMessage());
        assertEquals(128, e.partialResponse().toolCalls().size());

        kimi.close();
        kimi = KimiProvider.builder().apiKey(KEY).baseUrl(server.baseUri()).maxToolArgumentChars(10).build();
        StreamRecording tooLong = stream(events(toolDelta("[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":\"}}]"),
                toolDelta("[{\"index\":0,\"function\":{\"arguments\":\"\\\"123456\\\"}\"}}]"), FINISH_TOOLS, "[DONE]"));
        ResponseTooLargeException big = assertInstanceOf(ResponseTooLargeException.class,
                tooLong.assertFailed(StreamInterruptedException.class).getCause());
        assertEquals("kimi: the arguments of tool call 0 (f) exceed 10 characters (the provider's maxToolArgumentChars setting)", big.getMessage());
    }

    @Test
    void theBoundsAreSettingsOfTheDiscoveredProvider() {
        kimi.close();
        kimi = (KimiProvider) new KimiProviderFactory().create(dev.alfred.llm.config.ProviderConfig.builder()
                .secret("KIMI_API_KEY", KEY).set("KIMI_BASE_URL", server.baseUri().toString())
                .set("KIMI_MAX_TOOL_CALLS", "1").set("kimi.max-tool-argument-chars", "100").build());
        StreamRecording two = stream(events(toolDelta("[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}},"
                + "{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]"), FINISH_TOOLS, "[DONE]"));
        assertEquals("kimi: the answer has more than 1 tool calls (the provider's maxToolCalls setting)",
                two.assertFailed(StreamInterruptedException.class).getCause().getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KimiProviderFactory().create(dev.alfred.llm.config.ProviderConfig
                .builder().secret("KIMI_API_KEY", KEY).set("KIMI_MAX_TOOL_CALLS", "0").build()));
    }

    @Test
    void aNonStreamedAnswerWithToolCallsAndEmptyContentIsRead() {
        server.enqueue(Reply.raw(200, "application/json", "{\"id\":\"chatcmpl-9\",\"model\":\"kimi-k3\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"reasoning_content\":\"r\",\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"get_weather_0\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\": \\\"Paris\\\"}\"}},"
                + "{\"index\":1,\"id\":\"ping_0\",\"type\":\"function\",\"function\":{\"name\":\"ping\",\"arguments\":{\"n\":1}}}]},"
                + "\"finish_reason\":\"tool_calls\"}]}"));
        ChatResponse r = kimi.chat(ChatRequest.builder().user("q").tools(WEATHER).build());
        assertEquals(List.of(new ToolCall("get_weather_0", "get_weather", "{\"city\": \"Paris\"}", ToolCall.Status.COMPLETE),
                new ToolCall("ping_0", "ping", "{\"n\":1}", ToolCall.Status.COMPLETE)), r.toolCalls());
        assertEquals("", r.content());
        assertEquals("r", r.reasoning());
        assertEquals("chatcmpl-9", r.id());
        assertEquals(ChatMessage.of(r), new AssistantMessage("", "r", r.toolCalls(), ProviderState.NONE));
    }

    @Test
    void toolCallPartsComeAfterTheTextOfTheSameChunk() {
        StreamRecording rec = stream(events(
                "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Checking.\",\"tool_calls\":[{\"index\":0,\"id\":\"c\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}", FINISH_TOOLS, "[DONE]"));
        rec.assertCompleted();
        assertEquals(List.of(ChatDelta.text("Checking."), new ChatDelta.ToolCallStart(0, "c", "f"),
                new ChatDelta.ToolCallArguments(0, "{}"),
                new ChatDelta.ToolCallEnd(0, new ToolCall("c", "f", "{}", ToolCall.Status.COMPLETE))), rec.deltas());
    }

    @Test
    void contextLengthErrorsAreTyped() {
        server.enqueue(Reply.error(400, "invalid_request_error", "Invalid request: Your request exceeded model token limit: 262144"));
        ContextWindowExceededException e = assertThrows(ContextWindowExceededException.class, () -> kimi.chat(ChatRequest.of("q")));
        assertEquals(400, e.httpStatus().orElse(0));
        server.enqueue(Reply.error(400, "invalid_request_error", "Input token length too long"));
        assertThrows(ContextWindowExceededException.class, () -> kimi.chat(ChatRequest.of("q")));
        server.enqueue(Reply.error(400, "invalid_request_error", "invalid temperature: only 1 is allowed for this model"));
        InvalidRequestException other = assertThrows(InvalidRequestException.class, () -> kimi.chat(ChatRequest.of("q")));
        assertFalse(other instanceof ContextWindowExceededException);
    }
}
