package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.InvalidRequestException;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.ProviderOptions;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ResponseFormat;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolChoice;
import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.http.ToolCallIds;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.openai.dialect.RequestExtras;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What goes on the wire for each part of a request, per dialect: the bytes, compared whole. */
class RequestEncoderTest {

    private static final ToolCall CALL = new ToolCall("functions.get_weather:0", "get_weather", "{\"city\":\"Paris\"}",
            ToolCall.Status.COMPLETE);
    private static final ToolDefinition WEATHER = ToolDefinition.function("get_weather", "The weather",
            new JsonSchema("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"));

    private final List<String> warnings = new ArrayList<>();

    private String encode(Dialect d, ChatRequest r, boolean stream) {
        return new String(new RequestEncoder("p", d).encode(r, "m-default", stream, warnings), StandardCharsets.UTF_8);
    }

    private static ChatRequest toolTurn(String providerId) {
        AssistantMessage answer = new AssistantMessage("", "need it", List.of(CALL),
                new ProviderState(providerId, Map.of(ChunkDecoder.REASONING_DETAILS_KEY, "[{\"type\":\"reasoning.text\"}]",
                        ChunkDecoder.EXTRA_CONTENT_KEY + CALL.id(), "{\"google\":{\"thought_signature\":\"s\"}}")));
        return ChatRequest.builder().system("Be brief").user("Weather?").message(answer)
                .message(ChatMessage.toolResult(CALL, "{\"c\":21}")).tools(WEATHER).build();
    }

    @Test
    void theOpenAiBaselineSendsNoReasoningKeepsIdsAndNamesToolMessages() {
        assertEquals("{\"model\":\"m-default\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief\"},"
                + "{\"role\":\"user\",\"content\":\"Weather?\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":"
                + "\"functions.get_weather:0\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                + "\"{\\\"city\\\":\\\"Paris\\\"}\"},\"extra_content\":{\"google\":{\"thought_signature\":\"s\"}}}],"
                + "\"reasoning_details\":[{\"type\":\"reasoning.text\"}]},{\"role\":\"tool\",\"tool_call_id\":"
                + "\"functions.get_weather:0\",\"name\":\"get_weather\",\"content\":\"{\\\"c\\\":21}\"}],\"tools\":[{\"type\":"
                + "\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"The weather\",\"parameters\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]}",
                encode(Dialect.OPENAI, toolTurn("p"), false));
    }

    @Test
    void stateOfAnotherProviderIsNotSentBack() {
        String body = encode(Dialect.OPENAI, toolTurn("other"), false);
        assertTrue(!body.contains("reasoning_details") && !body.contains("extra_content"), body);
    }

    @Test
    void deepSeekGetsItsReasoningBackAndGroqNoNameMistralItsOwnIds() {
        assertTrue(encode(Dialect.DEEPSEEK, toolTurn("p"), false).contains(
                "{\"role\":\"assistant\",\"reasoning_content\":\"need it\",\"tool_calls\""), "DeepSeek echoes reasoning");
        String groq = encode(Dialect.GROQ, toolTurn("p"), false);
        assertTrue(!groq.contains("reasoning_content") && !groq.contains("\"name\":\"get_weather\",\"content\""), groq);
        String mistral = encode(Dialect.MISTRAL, toolTurn("p"), false);
        String id = ToolCallIds.alphanumeric(9).map(CALL.id());
        assertTrue(mistral.contains("\"tool_calls\":[{\"id\":\"" + id + "\"") && mistral.contains("\"tool_call_id\":\"" + id + "\""),
                mistral);
        Dialect thinking = Dialect.builder("t").echoReasoning(true).build();
        AssistantMessage plain = new AssistantMessage("Hi", "", List.of(), ProviderState.NONE);
        assertEquals("{\"model\":\"m-default\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\","
                + "\"content\":\"Hi\"}]}", encode(thinking, ChatRequest.builder().user("a").message(plain).build(), false),
                "no reasoning to echo on a turn without calls and without reasoning");
        AssistantMessage thought = new AssistantMessage("Hi", "hmm", List.of(), ProviderState.NONE);
        assertTrue(encode(thinking, ChatRequest.builder().user("a").message(thought).build(), false)
                .contains("\"content\":\"Hi\",\"reasoning_content\":\"hmm\""));
        AssistantMessage textAndCall = new AssistantMessage("Let me look.", "", List.of(CALL), ProviderState.NONE);
        String both = encode(thinking, ChatRequest.builder().user("a").message(textAndCall)
                .message(ChatMessage.toolResult(CALL, "x")).build(), false);
        assertTrue(both.contains("\"content\":\"Let me look.\",\"reasoning_content\":\"\",\"tool_calls\""), both);
    }

    @Test
    void settingsGoUnderTheDialectsNamesAndOnlyWhenSet() {
        ChatRequest r = ChatRequest.builder().user("a").model("gpt-4.1").maxTokens(9).temperature(0.5).topP(0.9)
                .stop(List.of("END", "STOP")).build();
        assertEquals("{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],"
                + "\"max_completion_tokens\":9,\"temperature\":0.5,\"top_p\":0.9,\"stop\":[\"END\",\"STOP\"],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}", encode(Dialect.OPENAI, r, true));
        assertEquals("{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"max_tokens\":9,"
                + "\"temperature\":0.5,\"top_p\":0.9,\"stop\":[\"END\",\"STOP\"],\"stream\":true}",
                encode(Dialect.GROQ, r, true), "Groq: max_tokens, no stream_options");
        assertTrue(warnings.isEmpty());
        String o3 = encode(Dialect.OPENAI, r.toBuilder().model("o3").build(), false);
        assertTrue(!o3.contains("temperature") && !o3.contains("top_p"), o3);
        assertEquals(List.of("temperature and top_p were not sent: o3 accepts only their defaults"), warnings);
        warnings.clear();
        encode(Dialect.OPENAI, ChatRequest.builder().user("a").model("o3").topP(0.5).build(), false);
        assertEquals(1, warnings.size(), "top_p alone is refused too");
        warnings.clear();
        encode(Dialect.OPENAI, ChatRequest.builder().user("a").model("o3").build(), false);
        assertTrue(warnings.isEmpty(), "nothing set, nothing to warn about");
    }

    @Test
    void imagesGoAsDataUrlsFileIdsOrUrls() {
        ChatRequest r = ChatRequest.builder().message(ChatMessage.user(new ContentPart.Text("what?"),
                new ContentPart.ImageBytes(new byte[] {1, 2}, "image/png"), new ContentPart.ImageFile("file-1"),
                new ContentPart.ImageFile("ms://file-2"), new ContentPart.ImageUrl(URI.create("data:image/gif;base64,R0")))).build();
        String kimiLike = encode(Dialect.builder("k").imageFilePrefix("ms://").build(), r, false);
        assertEquals("{\"model\":\"m-default\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                + "\"what?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AQI=\"}},{\"type\":"
                + "\"image_url\",\"image_url\":{\"url\":\"ms://file-1\"}},{\"type\":\"image_url\",\"image_url\":{\"url\":"
                + "\"ms://file-2\"}},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/gif;base64,R0\"}}]}]}", kimiLike);
        assertTrue(encode(Dialect.OPENAI, r, false).contains("{\"url\":\"file-1\"}"), "no prefix where the server has none");
    }

    @Test
    void toolChoicesBuiltinsStrictToolsAndParallelCalls() {
        ToolDefinition strict = new ToolDefinition(ToolDefinition.Type.FUNCTION, "f", "", new JsonSchema("{\"type\":"
                + "\"object\",\"properties\":{}}"), true);
        ToolDefinition search = ToolDefinition.builtin("$web_search");
        ChatRequest.Builder b = ChatRequest.builder().user("a").tools(strict, search).parallelToolCalls(false);
        Dialect kimiLike = Dialect.builder("k").builtinToolType("builtin_function").build();
        assertEquals("{\"model\":\"m-default\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"tools\":[{\"type\":"
                + "\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"properties\":{}},"
                + "\"strict\":true}},{\"type\":\"builtin_function\",\"function\":{\"name\":\"$web_search\"}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},\"parallel_tool_calls\":false}",
                encode(kimiLike, b.toolChoice(ToolChoice.tool("f")).build(), false));
        assertTrue(encode(Dialect.OPENAI, b.toolChoice(ToolChoice.AUTO).build(), false).contains("\"tool_choice\":\"auto\""));
        assertTrue(encode(Dialect.OPENAI, b.toolChoice(ToolChoice.NONE).build(), false).contains("\"tool_choice\":\"none\""));
        assertTrue(encode(Dialect.OPENAI, b.toolChoice(ToolChoice.REQUIRED).build(), false)
                .contains("\"tool_choice\":\"required\""));
        assertTrue(encode(Dialect.OPENAI, b.build(), false).contains("{\"type\":\"builtin_function\""),
                "a builtin on a server without a builtin type goes as builtin_function");
        String bare = encode(Dialect.OPENAI, ChatRequest.builder().user("a").parallelToolCalls(true).build(), false);
        assertTrue(!bare.contains("parallel_tool_calls") && !bare.contains("tools"), "without tools nothing of them: " + bare);
        AssistantMessage builtinCall = new AssistantMessage("", "", List.of(new ToolCall("c1", "$web_search", "{}",
                ToolCall.Status.COMPLETE)), ProviderState.NONE);
        assertTrue(encode(kimiLike, ChatRequest.builder().user("a").message(builtinCall).tools(search).build(), false)
                .contains("{\"id\":\"c1\",\"type\":\"builtin_function\""), "a builtin call is replayed as one");
    }

    @Test
    void responseFormatsAreSentAsAskedAndTextIsTheDefault() {
        JsonSchema schema = new JsonSchema("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}");
        assertTrue(encode(Dialect.OPENAI, ChatRequest.builder().user("a").responseFormat(ResponseFormat.JSON_OBJECT).build(),
                false).endsWith(",\"response_format\":{\"type\":\"json_object\"}}"));
        assertTrue(encode(Dialect.OPENAI, ChatRequest.builder().user("a").responseFormat(ResponseFormat.jsonSchema("answer",
                schema, true)).build(), false).endsWith(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":"
                + "\"answer\",\"strict\":true,\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}}}}}}"));
        assertTrue(!encode(Dialect.OPENAI, ChatRequest.builder().user("a").responseFormat(ResponseFormat.TEXT).build(), false)
                .contains("response_format"));
    }

    @Test
    void theServersRulesAreCheckedBeforeAnythingIsWritten() {
        Dialect ruled = Dialect.builder("acme").toolRules(Pattern.compile("[a-z]+"), 1).build();
        InvalidRequestException name = assertThrows(InvalidRequestException.class, () -> encode(ruled,
                ChatRequest.builder().user("a").tools(ToolDefinition.function("Bad_Name", "", WEATHER.parameters())).build(),
                false));
        assertEquals("p: tool name 'Bad_Name' breaks Acme's rule: [a-z]+", name.getMessage());
        InvalidRequestException many = assertThrows(InvalidRequestException.class, () -> encode(ruled,
                ChatRequest.builder().user("a").tools(ToolDefinition.function("a", "", WEATHER.parameters()),
                        ToolDefinition.function("b", "", WEATHER.parameters())).build(), false));
        assertEquals("p: Acme accepts at most 1 tools, the request has 2", many.getMessage());
        encode(ruled, ChatRequest.builder().user("a").tools(ToolDefinition.builtin("$Builtin_ok")).build(), false);
        JsonSchema deep = new JsonSchema("{\"type\":\"object\",\"properties\":{\"a\":".repeat(70) + "{}" + "}}".repeat(70));
        InvalidRequestException schema = assertThrows(InvalidRequestException.class, () -> encode(Dialect.OPENAI,
                ChatRequest.builder().user("a").tools(ToolDefinition.function("f", "", deep)).build(), false));
        assertTrue(schema.getMessage().startsWith("p: tool 'f': "), schema.getMessage());
        InvalidRequestException format = assertThrows(InvalidRequestException.class, () -> encode(Dialect.OPENAI,
                ChatRequest.builder().user("a").responseFormat(ResponseFormat.jsonSchema("x", deep, false)).build(),
                false));
        assertTrue(format.getMessage().startsWith("p: response format 'x': "), format.getMessage());
    }

    /** Options of a test server, read by its extras. */
    private record Opts(Map<String, Object> fields) implements ProviderOptions {
        @Override
        public String providerId() {
            return "acme";
        }
    }

    @Test
    void aDialectsExtraFieldsAreWrittenWithEveryKindOfValue() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("s", "x");
        fields.put("b", true);
        fields.put("i", 3);
        fields.put("l", 4L);
        fields.put("sh", (short) 5);
        fields.put("by", (byte) 6);
        fields.put("d", 1.5);
        fields.put("n", null);
        fields.put("m", Map.of("k", List.of(1, "two")));
        RequestExtras extras = new RequestExtras() {
            @Override
            public Map<String, Object> bodyFields(ChatRequest request) {
                return request.options(Opts.class).map(Opts::fields).orElse(Map.of());
            }

            @Override
            public Map<String, Object> lastMessageFields(ChatRequest request) {
                return Map.of("partial", true);
            }

            @Override
            public void validate(ChatRequest request) {
                if (request.messages().size() > 2) {
                    throw new InvalidRequestException("too long", "acme", -1, null, null);
                }
            }
        };
        Dialect acme = Dialect.builder("acme").extras(Opts.class, extras).build();
        assertEquals("{\"model\":\"m-default\",\"messages\":[{\"role\":\"user\",\"content\":\"a\",\"partial\":true}],"
                + "\"s\":\"x\",\"b\":true,\"i\":3,\"l\":4,\"sh\":5,\"by\":6,\"d\":1.5,\"n\":null,\"m\":{\"k\":[1,\"two\"]}}",
                encode(acme, ChatRequest.builder().user("a").options(new Opts(fields)).build(), false));
        assertThrows(InvalidRequestException.class, () -> encode(acme, ChatRequest.builder().user("a").assistant("b").user("c")
                .build(), false), "the dialect's own check runs first");
        assertThrows(IllegalArgumentException.class, () -> encode(acme, ChatRequest.builder().user("a")
                .options(new Opts(Map.of("bad", new Object()))).build(), false));
    }
}
