package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.http.ToolCallIds;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Messages API body a request becomes, and what is refused before sending. */
class RequestEncoderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "The weather.",
            JsonSchema.of("{\"type\":\"object\"}"));
    private final RequestEncoder encoder = new RequestEncoder("anthropic");
    private final List<String> warnings = new ArrayList<>();

    private JsonNode encode(ChatRequest r) {
        return encode(r, null, 0, null);
    }

    private JsonNode encode(ChatRequest r, String thinking, int budget, String effort) {
        return JSON.readTree(new String(encoder.encode(r, "claude-default", 4096, false, thinking, budget, effort, warnings),
                StandardCharsets.UTF_8));
    }

    private static ToolCall call(String id, String args) {
        return new ToolCall(id, "get_weather", args, ToolCall.Status.COMPLETE);
    }

    @Test
    void aPlainRequestCarriesModelMaxTokensSystemAndOneUserTurnAndNothingUnset() {
        JsonNode b = encode(ChatRequest.builder().system("Be brief.").system("And kind.").user("hi").build());
        assertEquals("{\"model\":\"claude-default\",\"max_tokens\":4096,\"system\":\"Be brief.\\n\\nAnd kind.\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", b.toString());
        JsonNode all = JSON.readTree(new String(encoder.encode(ChatRequest.builder().user("hi").model("claude-x").maxTokens(77)
                .temperature(1.0).topP(0.5).stop(List.of("END", "STOP")).responseFormat(ResponseFormat.jsonSchema("w",
                        JsonSchema.of("{\"type\":\"object\"}"), true)).build(), "m", 4096, true, "adaptive", 0, "high", warnings),
                StandardCharsets.UTF_8));
        assertEquals("{\"model\":\"claude-x\",\"max_tokens\":77,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"temperature\":1.0,\"top_p\":0.5,\"stop_sequences\":[\"END\",\"STOP\"],\"thinking\":{\"type\":\"adaptive\"},"
                + "\"output_config\":{\"effort\":\"high\",\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}},"
                + "\"stream\":true}", all.toString());
        assertEquals("{\"effort\":\"low\"}", encode(ChatRequest.of("x"), null, 0, "low").path("output_config").toString());
        assertTrue(encode(ChatRequest.builder().user("x").responseFormat(ResponseFormat.JSON_OBJECT).build())
                .path("output_config").isMissingNode(), "only a schema answer has a format");
        assertEquals(List.of(), warnings);
    }

    @Test
    void manualThinkingCarriesItsBudgetAndTheDefaultLimitMakesRoomPastIt() {
        JsonNode b = encode(ChatRequest.of("x"), "enabled", 4096, null);
        assertEquals("{\"type\":\"enabled\",\"budget_tokens\":4096}", b.path("thinking").toString());
        assertEquals(8192, b.path("max_tokens").asInt(), "a budget at the default limit gets the default on top");
        assertEquals(4096, encode(ChatRequest.of("x"), "enabled", 4095, null).path("max_tokens").asInt());
        assertEquals("{\"type\":\"disabled\"}", encode(ChatRequest.of("x"), "disabled", 0, null).path("thinking").toString());
    }

    @Test
    void whatTheApiWouldRefuseIsRefusedBeforeSendingNamingWhy() {
        InvalidRequestException hot = assertThrows(InvalidRequestException.class,
                () -> encode(ChatRequest.builder().user("x").temperature(1.01).build()));
        assertEquals("anthropic: temperature must be between 0 and 1 for the Messages API, was 1.01", hot.getMessage());
        for (ToolChoice forced : new ToolChoice[] {ToolChoice.REQUIRED, ToolChoice.tool("get_weather")}) {
            ChatRequest r = ChatRequest.builder().user("x").tools(WEATHER).toolChoice(forced).build();
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> encode(r, "enabled", 2000, null));
            assertTrue(e.getMessage().contains("cannot be combined with manual thinking"), e.getMessage());
            encode(r, "adaptive", 0, null);
        }
        for (ToolChoice free : new ToolChoice[] {ToolChoice.AUTO, ToolChoice.NONE}) {
            encode(ChatRequest.builder().user("x").tools(WEATHER).toolChoice(free).build(), "enabled", 2000, null);
        }
        InvalidRequestException budget = assertThrows(InvalidRequestException.class,
                () -> encode(ChatRequest.builder().user("x").maxTokens(2000).build(), "enabled", 2000, null));
        assertEquals("anthropic: the thinking budget (2000) must be below maxTokens (2000)", budget.getMessage());
        encode(ChatRequest.builder().user("x").maxTokens(2001).build(), "enabled", 2000, null);
        assertEquals(java.util.OptionalInt.empty(), budget.httpStatus());
    }

    @Test
    void toolsTheirChoiceAndTheParallelSetting() {
        JsonNode b = encode(ChatRequest.builder().user("x").tools(WEATHER.withStrict(true),
                ToolDefinition.function("t", "", JsonSchema.of("{\"type\":\"object\"}"))).build());
        assertEquals("[{\"name\":\"get_weather\",\"description\":\"The weather.\",\"input_schema\":{\"type\":\"object\"},"
                + "\"strict\":true},{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}]", b.path("tools").toString());
        assertTrue(b.path("tool_choice").isMissingNode());
        assertEquals("{\"type\":\"auto\",\"disable_parallel_tool_use\":false}", encode(ChatRequest.builder().user("x").tools(WEATHER)
                .parallelToolCalls(true).build()).path("tool_choice").toString());
        assertEquals("{\"type\":\"none\"}", encode(ChatRequest.builder().user("x").tools(WEATHER).toolChoice(ToolChoice.NONE)
                .parallelToolCalls(false).build()).path("tool_choice").toString(), "none takes no parallel setting");
        assertEquals("{\"type\":\"tool\",\"name\":\"get_weather\"}", encode(ChatRequest.builder().user("x").tools(WEATHER)
                .toolChoice(ToolChoice.tool("get_weather")).build()).path("tool_choice").toString());
        assertEquals("{\"type\":\"any\",\"disable_parallel_tool_use\":true}", encode(ChatRequest.builder().user("x").tools(WEATHER)
                .toolChoice(ToolChoice.REQUIRED).parallelToolCalls(false).build()).path("tool_choice").toString());
        assertEquals("{\"type\":\"auto\"}", encode(ChatRequest.builder().user("x").tools(WEATHER).toolChoice(ToolChoice.AUTO)
                .build()).path("tool_choice").toString());
    }

    @Test
    void aBuiltinWebSearchIsAnthropicsWebSearchAndAVersionedServerToolGoesAsItsType() {
        JsonNode b = encode(ChatRequest.builder().user("x").tools(ToolDefinition.builtin("web_search"),
                ToolDefinition.builtin("web_fetch_20250910"), ToolDefinition.builtin("code_execution_20250825"),
                ToolDefinition.builtin("web_search_20260209"), WEATHER).build());
        assertEquals("[{\"type\":\"web_search_20250305\",\"name\":\"web_search\"},{\"type\":\"web_fetch_20250910\",\"name\":\"web_fetch\"},"
                + "{\"type\":\"code_execution_20250825\",\"name\":\"code_execution\"},{\"type\":\"web_search_20260209\",\"name\":"
                + "\"web_search\"},{\"name\":\"get_weather\",\"description\":\"The weather.\",\"input_schema\":{\"type\":\"object\"}}]",
                b.path("tools").toString());
        for (String name : new String[] {"$web_search", "web_fetch", "bash_20250124", "web_search_2025030", "xweb_search_20250305"}) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> encode(ChatRequest.builder().user("x").tools(ToolDefinition.builtin(name)).build()), name);
            assertTrue(e.getMessage().startsWith("anthropic: no builtin tool '" + name + "': Anthropic's server tools are asked"
                    + " for as web_search"), e.getMessage());
        }
    }

    @Test
    void toolResultsGoFirstInOneUserTurnAndImagesInTheirForms() {
        ToolCall a = call("toolu_a", "{\"city\":\"Oslo\"}");
        ToolCall b = call("toolu_b", "");
        JsonNode body = encode(ChatRequest.builder().user("both?").tools(WEATHER)
                .message(new AssistantMessage("Checking.", "", List.of(a, b), ProviderState.NONE))
                .message(ChatMessage.toolResult(a, "cold")).user(ContentPart.text("and?"),
                        ContentPart.image(new byte[] {1, 2}, "image/png"), ContentPart.imageUrl(URI.create("https://x/i.png")),
                        ContentPart.imageUrl(URI.create("data:image/gif;base64,R0lG")), new ContentPart.ImageFile("file_1"))
                .message(ChatMessage.toolError(b, "boom")).build());
        assertEquals("[{\"type\":\"text\",\"text\":\"Checking.\"},{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Oslo\"}},{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"get_weather\",\"input\":{}}]",
                body.path("messages").get(1).path("content").toString());
        assertEquals("[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_a\",\"content\":\"cold\"},{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_b\",\"content\":\"boom\",\"is_error\":true},{\"type\":\"text\",\"text\":\"and?\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AQI=\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/i.png\"}},{\"type\":\"image\",\"source\":"
                + "{\"type\":\"base64\",\"media_type\":\"image/gif\",\"data\":\"R0lG\"}},{\"type\":\"image\",\"source\":{\"type\":\"file\","
                + "\"file_id\":\"file_1\"}}]", body.path("messages").get(2).path("content").toString());
        assertEquals(3, body.path("messages").size());
        assertEquals("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}]",
                encode(ChatRequest.builder().user("a").user("b").build()).path("messages").toString(), "users join");
        assertEquals("{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"data:image/png,raw\"}}", encode(ChatRequest.builder()
                .user(ContentPart.imageUrl(URI.create("data:image/png,raw"))).build()).path("messages").get(0).path("content")
                .get(0).toString(), "a data URL that is not base64 goes as a URL");
        assertEquals(List.of(), warnings);
    }

    @Test
    void anAssistantMessageWithTextOnlyGoesAsAStringAndOneWithoutContentIsLeftOutWithAWarning() {
        JsonNode b = encode(ChatRequest.builder().user("a").assistant("A").user("b")
                .message(new AssistantMessage("", "unsigned thoughts", List.of(), ProviderState.NONE)).user("c")
                .message(new AssistantMessage("", "", List.of(), new ProviderState("anthropic", Map.of("content", "[]"))))
                .message(ChatMessage.assistant("")).build());
        assertEquals("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"A\"},{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"b\"},{\"type\":\"text\",\"text\":\"c\"}]}]", b.path("messages").toString(),
                "the user turns around a left-out message join");
        assertEquals(List.of("the empty assistant message at position 4 was left out: the Messages API refuses a message without"
                        + " content", "the empty assistant message at position 6 was left out: the Messages API refuses a message"
                        + " without content", "the empty assistant message at position 7 was left out: the Messages API refuses a"
                        + " message without content"), warnings);
        warnings.clear();
        encode(ChatRequest.builder().system("s").user("a").message(new AssistantMessage("", "", List.of(),
                new ProviderState("other", Map.of("content", "[{\"type\":\"text\",\"text\":\"x\"}]")))).build());
        assertEquals(1, warnings.size(), "another provider's state is not this one's content");
        assertTrue(warnings.get(0).contains("position 3"), warnings.get(0));
    }

    @Test
    void idsAnotherProviderMadeAreMappedTheSameForACallAndItsResultAndThisProvidersGoBackAsTheyCame() {
        String kimi = "functions.get_weather:0";
        ToolCall k = call(kimi, "{}");
        String mapped = ToolCallIds.wordCharacters().map(kimi);
        JsonNode b = encode(ChatRequest.builder().user("x").tools(WEATHER)
                .message(new AssistantMessage("", "", List.of(k), ProviderState.NONE)).message(ChatMessage.toolResult(k, "r"))
                .build());
        assertEquals(mapped, b.path("messages").get(1).path("content").get(0).path("id").asString());
        assertEquals(mapped, b.path("messages").get(2).path("content").get(0).path("tool_use_id").asString());
        JsonNode other = encode(ChatRequest.builder().user("x").tools(WEATHER)
                .message(new AssistantMessage("", "", List.of(k), new ProviderState("kimi", Map.of("content", "x"))))
                .message(ChatMessage.toolResult(k, "r")).build());
        assertEquals(mapped, other.path("messages").get(1).path("content").get(0).path("id").asString());
        ProviderState own = new ProviderState("anthropic", Map.of("content", "[{\"type\":\"tool_use\",\"id\":\"" + kimi
                + "\",\"name\":\"get_weather\"}]"));
        JsonNode back = encode(ChatRequest.builder().user("x").tools(WEATHER)
                .message(new AssistantMessage("", "", List.of(k), own)).message(ChatMessage.toolResult(k, "r")).build());
        assertEquals(kimi, back.path("messages").get(1).path("content").get(0).path("id").asString(),
                "an id this provider's server made goes back as it made it");
        assertEquals(kimi, back.path("messages").get(2).path("content").get(0).path("tool_use_id").asString());
        ToolCall plain = call("toolu_01", "{}");
        assertEquals("toolu_01", encode(ChatRequest.builder().user("x").tools(WEATHER)
                .message(new AssistantMessage("", "", List.of(plain), ProviderState.NONE))
                .message(ChatMessage.toolResult(plain, "r")).build()).path("messages").get(2).path("content").get(0)
                .path("tool_use_id").asString());
    }

    @Test
    void anAnswersBlocksGoBackAsReceivedInOrderEachToolUseWithTheMessagesArguments() {
        String blocks = "[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"EqQB+/=\"},"
                + "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"sf\"}},"
                + "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[{\"type\":\"web_search_result\","
                + "\"url\":\"u\",\"title\":\"T\",\"encrypted_content\":\"EqgB\",\"page_age\":null}]},"
                + "{\"type\":\"text\",\"text\":\"66F\",\"citations\":[{\"type\":\"web_search_result_location\",\"cited_text\":\"66\","
                + "\"url\":\"u\",\"title\":\"T\",\"encrypted_index\":\"Eo8B\"}]},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"old_name\",\"caller\":{\"type\":\"direct\"}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"lost\"},"
                + "{\"type\":\"compaction\",\"content\":\"x\"}]";
        ToolCall c = new ToolCall("toolu_1", "get_weather", "{\"city\":\"SF\"}", ToolCall.Status.COMPLETE);
        JsonNode b = encode(ChatRequest.builder().user("x").tools(WEATHER)
                .message(new AssistantMessage("66F", "t", List.of(c), new ProviderState("anthropic", Map.of("content", blocks))))
                .message(ChatMessage.toolResult(c, "r")).build());
        assertEquals("[{\"type\":\"thinking\",\"thinking\":\"t\",\"signature\":\"EqQB+/=\"},"
                + "{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{\"query\":\"sf\"}},"
                + "{\"type\":\"web_search_tool_result\",\"tool_use_id\":\"srvtoolu_1\",\"content\":[{\"type\":\"web_search_result\","
                + "\"url\":\"u\",\"title\":\"T\",\"encrypted_content\":\"EqgB\",\"page_age\":null}]},"
                + "{\"type\":\"text\",\"text\":\"66F\",\"citations\":[{\"type\":\"web_search_result_location\",\"cited_text\":\"66\","
                + "\"url\":\"u\",\"title\":\"T\",\"encrypted_index\":\"Eo8B\"}]},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"SF\"},\"caller\":"
                + "{\"type\":\"direct\"}},{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"lost\",\"input\":{}},"
                + "{\"type\":\"compaction\",\"content\":\"x\"}]", b.path("messages").get(1).path("content").toString());
        assertEquals(List.of(), warnings);
    }

    @Test
    void argumentsThatAreNotAnObjectGoAsAnEmptyObjectWithAWarning() {
        ToolCall bad = new ToolCall("toolu_1", "get_weather", "{\"city\":", ToolCall.Status.TRUNCATED);
        ToolCall blank = new ToolCall("toolu_2", "get_weather", "  ", ToolCall.Status.COMPLETE);
        JsonNode b = encode(ChatRequest.builder().user("x").tools(WEATHER)
                .message(new AssistantMessage("", "", List.of(bad, blank), ProviderState.NONE)).build());
        assertEquals("{}", b.path("messages").get(1).path("content").get(0).path("input").toString());
        assertEquals("{}", b.path("messages").get(1).path("content").get(1).path("input").toString());
        assertEquals(List.of("the arguments of tool call toolu_1 (get_weather) are not a JSON object and were sent as {}: the API"
                + " takes only an object"), warnings, "blank arguments are no arguments");
    }

    @Test
    void stateThatIsNotABlockArrayIsRefused() {
        for (String state : new String[] {"{}", "[{\"type\":", "x"}) {
            ChatRequest r = ChatRequest.builder().user("x")
                    .message(new AssistantMessage("a", "", List.of(), new ProviderState("anthropic", Map.of("content", state))))
                    .build();
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> encode(r), state);
            assertTrue(e.getMessage().startsWith("anthropic: the assistant message's provider state is not a block array"),
                    e.getMessage());
        }
        for (String id : new String[] {"5", "\"\"", "null"}) {
            ChatRequest r = ChatRequest.builder().user("x").message(new AssistantMessage("a", "", List.of(),
                    new ProviderState("anthropic", Map.of("content", "[{\"type\":\"tool_use\",\"id\":" + id + "}]")))).build();
            assertEquals("anthropic: the assistant message's provider state has a tool_use block without an id",
                    assertThrows(InvalidRequestException.class, () -> encode(r)).getMessage());
        }
        JsonNode named = encode(ChatRequest.builder().user("x").message(new AssistantMessage("a", "", List.of(),
                new ProviderState("anthropic", Map.of("content", "[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":7}]")))).build());
        assertEquals("{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"\",\"input\":{}}",
                named.path("messages").get(1).path("content").get(0).toString());
    }
}
