package dev.alfred.llm;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caller's value types: the edges of their checks, their defaults, and what they say of themselves. */
class ValueTypesTest {

    private static final JsonSchema OBJECT = JsonSchema.of("{\"type\":\"object\"}");

    private static String refused(org.junit.jupiter.api.function.Executable make) {
        return assertThrows(IllegalArgumentException.class, make).getMessage();
    }

    @Test
    void topPIsAboveZeroAndAtMostOne() {
        assertEquals(1.0, ChatRequest.builder().user("hi").topP(1.0).build().topP());
        assertEquals(0.01, ChatRequest.builder().user("hi").topP(0.01).build().topP());
        assertTrue(refused(() -> ChatRequest.builder().user("hi").topP(0.0).build()).contains("topP"));
        assertTrue(refused(() -> ChatRequest.builder().user("hi").topP(1.01).build()).contains("topP"));
    }

    @Test
    void aRequestWithoutSettingsHasNoneAndTheBuilderTakesListsAndReplacesOptionsOfOneType() {
        ChatRequest r = new ChatRequest(List.of(ChatMessage.user("hi")), null, null, null, null, null, null, null, null,
                null, null, null);
        assertSame(RequestSettings.NONE, r.settings());
        RequestSettings mine = RequestSettings.builder().header("X-A", "1").build();
        assertSame(mine, new ChatRequest(List.of(ChatMessage.user("hi")), null, null, null, null, null, null, null, null,
                null, null, mine).settings());
        ToolDefinition tool = ToolDefinition.function("f", "d", OBJECT);
        ProviderOptions first = () -> "a";
        ProviderOptions second = () -> "b";
        ChatRequest built = ChatRequest.builder().messages(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi")))
                .tools(List.of(tool)).settings(mine).settings(null).options(first).options(second).build();
        assertEquals(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi")), built.messages());
        assertEquals(List.of(tool), built.tools());
        assertSame(RequestSettings.NONE, built.settings(), "null resets the settings");
        assertSame(mine, ChatRequest.builder().user("hi").settings(mine).build().settings());
        assertEquals(List.of(first, second), built.options(), "options of two types are both kept");
        ProviderOptions again = () -> "c";
        assertEquals(1, ChatRequest.builder().user("hi").options(first).options(first).build().options().size());
        assertNotEquals(first.getClass(), again.getClass());
    }

    @Test
    void aUserMessageNamesItsNullPart() {
        assertEquals("user message parts[1] must not be null",
                refused(() -> new UserMessage(Arrays.asList(ContentPart.text("a"), null))));
        assertEquals(Role.USER, ChatMessage.user("hi").role());
        assertEquals(Role.SYSTEM, ChatMessage.system("s").role());
        assertEquals(Role.ASSISTANT, ChatMessage.assistant("a").role());
    }

    @Test
    void onlyAJsonSchemaFormatTakesANameASchemaOrStrict() {
        String only = "only a JSON_SCHEMA response format takes a name, schema or strict";
        assertEquals(only, refused(() -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, "n", null, false)));
        assertEquals(only, refused(() -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, OBJECT, false)));
        assertEquals(only, refused(() -> new ResponseFormat(ResponseFormat.Type.TEXT, null, null, true)));
        new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, null, false);
    }

    @Test
    void aSchemaIsAJsonObject() {
        assertEquals("{\"type\":\"object\"}", JsonSchema.of("{\"type\":\"object\"}").json());
        assertEquals("a JSON schema must be a JSON object, was: null", refused(() -> JsonSchema.of(null)));
        assertTrue(refused(() -> JsonSchema.of("[1]")).endsWith("[1]"));
    }

    @Test
    void imagesAreEqualByContentAndFilesNeedAnId() {
        ContentPart.ImageBytes a = ContentPart.image(new byte[] {1, 2}, "image/png");
        assertEquals(a, ContentPart.image(new byte[] {1, 2}, "image/png"));
        assertEquals(a.hashCode(), ContentPart.image(new byte[] {1, 2}, "image/png").hashCode());
        assertNotEquals(a.hashCode(), ContentPart.image(new byte[] {1, 3}, "image/png").hashCode());
        assertNotEquals(a.hashCode(), ContentPart.image(new byte[] {1, 2}, "image/jpeg").hashCode());
        assertEquals("file-1", ContentPart.imageFile("file-1").fileId());
        assertThrows(IllegalArgumentException.class, () -> ContentPart.imageFile(" "));
        assertThrows(IllegalArgumentException.class, () -> ContentPart.imageFile(null));
    }

    @Test
    void aToolDefinitionCanBeMadeStrictLater() {
        ToolDefinition loose = ToolDefinition.function("f", "d", OBJECT);
        ToolDefinition strict = loose.withStrict(true);
        assertTrue(strict.strict());
        assertEquals(loose, strict.withStrict(false));
    }

    @Test
    void toolCallsSayWhetherTheyCompletedWithoutShowingTheirArguments() {
        ToolCall done = new ToolCall("c1", "f", "{\"secret\":1}", ToolCall.Status.COMPLETE);
        assertTrue(done.isComplete());
        assertFalse(new ToolCall("c1", "f", "{\"sec", ToolCall.Status.TRUNCATED).isComplete());
        assertEquals("ToolCall[c1 f COMPLETE, 12 chars of arguments]", done.toString());
        ResponseAccumulator acc = new ResponseAccumulator();
        acc.accept(new ChatDelta.ToolCallStart(0, "c1", "f"));
        acc.accept(new ChatDelta.ToolCallArguments(0, "{}"));
        assertTrue(acc.response().hasToolCalls());
        assertFalse(ChatResponse.of("x").hasToolCalls());
    }

    @Test
    void everyPartNamesItsKind() {
        assertEquals(ChatDelta.Kind.TEXT, ChatDelta.text("x").kind());
        assertEquals(ChatDelta.Kind.TOOL_CALL_START, new ChatDelta.ToolCallStart(0, "c", "f").kind());
        assertEquals(ChatDelta.Kind.TOOL_CALL_ARGUMENTS, new ChatDelta.ToolCallArguments(0, "{").kind());
    }

    @Test
    void providerStateSaysWhetherItHoldsAnything() {
        assertTrue(ProviderState.NONE.isEmpty());
        assertEquals("ProviderState[none]", ProviderState.NONE.toString());
        ProviderState s = new ProviderState("kimi", java.util.Map.of("cache", "secret-value"));
        assertFalse(s.isEmpty());
        assertEquals("ProviderState[kimi, keys=[cache]]", s.toString(), "keys only, never values");
    }

    @Test
    void exceptionsKeepWhatTheyWereGiven() {
        LlmException e = new LlmException("m", "p", 500, "t", true, null, "trace-1", null);
        assertEquals("trace-1", e.traceId().orElseThrow());
        assertTrue(new LlmException("m", null).traceId().isEmpty());
        ProviderNotFoundException missing = new ProviderNotFoundException("x", Set.of("kimi", "openai"));
        assertEquals(Set.of("kimi", "openai"), Set.copyOf(missing.availableIds()));
    }

    @Test
    void aProviderThatSaysNothingOfItselfIsTextOnlyAtAnUnknownEndpoint() {
        LlmProvider bare = new LlmProvider() {
            @Override
            public String id() {
                return "bare";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                return ChatResponse.of("x");
            }

            @Override
            public ChatStream stream(ChatRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        assertSame(Capabilities.TEXT_ONLY, bare.capabilities());
        assertSame(ProviderEndpoint.UNKNOWN, bare.endpoint());
    }

    @Test
    void aToolResultNeedsTools() {
        ResponseAccumulator asked = new ResponseAccumulator();
        asked.accept(new ChatDelta.ToolCallStart(0, "c1", "f"));
        asked.accept(new ChatDelta.ToolCallArguments(0, "{}"));
        ChatResponse call = asked.response();
        ChatRequest withResult = ChatRequest.builder().user("hi").message(ChatMessage.of(call))
                .message(ChatMessage.toolResult(call.toolCalls().get(0), "42")).build();
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> Capabilities.TEXT_ONLY.check(withResult, "p"));
        assertEquals("p does not support TOOLS: the request has function tools or tool results", e.getMessage());
    }
}
