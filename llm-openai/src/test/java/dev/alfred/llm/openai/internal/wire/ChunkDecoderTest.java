package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.Usage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream decoder: one non-blocking parser fed event after event. */
class ChunkDecoderTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Chunk feed(ChunkDecoder.Streaming d, String json) {
        byte[] bytes = b(json);
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 7);
        return d.decode(padded, bytes.length);
    }

    @Test
    void aStringAStreamRepeatsIsKeptAsTheSameJsonEveryTimeAndEveryOtherValueAsItsOwn() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        String[] values = {"fp_a", "fp_a", "a\\\"b\\u00e9", "fp_b", "fp_c", "fp_d", "fp_e", "fp_a", "fp_b", "", "fp_"};
        String[] json = {"\"fp_a\"", "\"fp_a\"", "\"a\\\"b\u00e9\"", "\"fp_b\"", "\"fp_c\"", "\"fp_d\"", "\"fp_e\"",
            "\"fp_a\"", "\"fp_b\"", "\"\"", "\"fp_\""};
        String first = null;
        for (int i = 0; i < values.length; i++) {
            Chunk c = feed(d, "{\"system_fingerprint\":\"" + values[i] + "\",\"x\":\"" + values[i] + "\"}");
            assertEquals(2, c.extraCount(), values[i]);
            assertEquals("system_fingerprint", c.extraPath(0));
            assertEquals(json[i], c.extraJson(0), values[i]);
            assertEquals(json[i], c.extraJson(1), values[i]);
            if (i == 0) {
                first = c.extraJson(0);
            }
            if (i == 1) {
                assertSame(first, c.extraJson(0), "a repeated value is not written again");
            }
        }
    }

    @Test
    void eventsAreDecodedOneAfterAnotherWithTheModelReadOnce() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        Chunk first = feed(d, "{\"model\":\"kimi-k3\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\"}}]}");
        assertEquals("kimi-k3", first.model());
        assertEquals("hm", first.reasoning());
        Chunk second = feed(d, "{\"model\":\"kimi-k3\",\"choices\":[{\"delta\":{\"content\":\"Hi 🙂\"}}]}");
        assertNull(second.model(), "the model is read once per stream");
        assertNull(second.reasoning(), "the reused chunk was cleared");
        assertEquals("Hi 🙂", second.content());
        Chunk last = feed(d, "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\",\"usage\":{\"prompt_tokens\":3,"
                + "\"completion_tokens\":2,\"total_tokens\":5}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
                + "\"total_tokens\":5,\"cached_tokens\":1}}");
        assertEquals("stop", last.finishReason());
        assertEquals(new Usage(3, 2, 5, 1, 0, 0), last.usage(), "top-level usage wins over the choice's");
    }

    @Test
    void anIncompleteObjectOrTrailingDataOrANonObjectIsMalformed() {
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(), "{\"choices\":[{\"delta\":"));
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(), "{\"a\":1}{\"b\":2}"));
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(), "[1,2]"));
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(), "{\"a\":tru}"));
        MalformedChunkException e = assertThrows(MalformedChunkException.class,
                () -> feed(ChunkDecoder.streaming(), "{\"choices\":[{\"delta\":{\"content\":7}}]}"));
        assertTrue(e.getMessage().contains("content"), e.getMessage());
    }

    @Test
    void onlyChoiceZeroCountsWhereverItsIndexSits() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        assertNull(feed(d, "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"ignored\"},\"finish_reason\":\"stop\"}]}").content());
        Chunk late = feed(d, "{\"choices\":[{\"delta\":{\"content\":\"one\",\"reasoning_content\":\"r1\"},"
                + "\"finish_reason\":\"length\",\"index\":1},{\"delta\":{\"content\":\"zero\"},\"index\":0}]}");
        assertEquals("zero", late.content(), "an index after the delta still decides");
        assertNull(late.reasoning(), "what choice 1 carried is taken back");
        assertNull(late.finishReason(), "choice 1's finish reason is taken back");
        assertEquals("lo", feed(d, "{\"choices\":[7,\"x\",null,{\"delta\":{\"content\":\"lo\"}}]}").content(),
                "entries that are not objects are skipped; the first object without an index is choice 0");
        assertEquals("first", feed(d, "{\"choices\":[{\"delta\":{\"content\":\"first\"}},{\"delta\":{\"content\":\"second\"}}]}")
                .content(), "of two choices without index only the first counts");
        assertEquals("a", feed(d, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},{\"index\":0,\"delta\":{\"content\":\"b\"}}]}")
                .content(), "a second choice 0 does not overwrite the first");
        assertNull(feed(d, "{\"choices\":[{\"index\":\"0\",\"delta\":{\"content\":\"s\"}}]}").content(),
                "an index that is not a number is not 0");
        assertNull(feed(d, "{\"choices\":[{\"index\":123456789012345678901234567890,\"delta\":{\"content\":\"s\"}}]}")
                .content(), "an index beyond long is not 0");
        assertEquals(new Usage(1, 1, 2, 0, 0, 0), feed(d, "{\"choices\":[{\"index\":1,\"usage\":{\"prompt_tokens\":9}},"
                + "{\"index\":0,\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}]}").usage(),
                "only choice 0's usage counts");
    }

    @Test
    void usageIsBestEffortAndNeverFailsTheChunk() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        assertEquals(new Usage(3, 2, 5, 0, 0, 0), feed(d, "{\"usage\":{\"prompt_tokens\":3.0,\"completion_tokens\":2.9,"
                + "\"total_tokens\":5}}").usage(), "fractions are rounded down");
        assertEquals(new Usage(0, 2, 2, 0, 0, 0), feed(d, "{\"usage\":{\"prompt_tokens\":123456789012345678901234567890,"
                + "\"completion_tokens\":2}}").usage(), "a count beyond long is dropped; the total is then the sum");
        assertEquals(new Usage(0, 4, 4, 0, 0, 0), feed(d, "{\"usage\":{\"prompt_tokens\":\"many\",\"completion_tokens\":4,"
                + "\"total_tokens\":{\"a\":1}}}").usage(), "a string or an object is dropped");
        assertEquals(new Usage(0, 0, 0, 0, 0, 0), feed(d, "{\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":-1e3}}").usage(),
                "negative counts are zero");
        assertEquals(new Usage(Long.MAX_VALUE, 1, Long.MAX_VALUE, 0, 0, 0), feed(d, "{\"usage\":{\"prompt_tokens\":1e300,"
                + "\"completion_tokens\":1}}").usage(), "a huge fraction saturates, and so does the sum");
        assertEquals(new Usage(10, 5, 15, 4, 0, 0), feed(d, "{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":4}}}").usage(), "no total_tokens: the sum");
    }

    @Test
    void anIndexThatIsAnObjectIsSkippedWholeAndIsNotZero() {
        Chunk c = feed(ChunkDecoder.streaming(), "{\"choices\":[{\"index\":{\"delta\":{\"content\":\"in\"}},"
                + "\"delta\":{\"content\":\"out\"}}],\"model\":\"m\"}");
        assertNull(c.content(), "not choice 0");
        assertEquals("m", c.model(), "the rest of the chunk is still read");
    }

    @Test
    void nullsStayNullAndExplicitCountsWin() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        Chunk c = feed(d, "{\"model\":null,\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"reasoning_content\":null},"
                + "\"finish_reason\":null}]}");
        assertNull(c.content());
        assertNull(c.reasoning());
        assertNull(c.finishReason());
        assertNull(c.model());
        assertEquals(new Usage(3, 2, 0, 0, 0, 0), feed(d, "{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
                + "\"total_tokens\":0,\"cached_tokens\":0,\"prompt_tokens_details\":{\"cached_tokens\":2}}}").usage(),
                "an explicit total and a top-level cached count of 0 are taken as sent");
        assertEquals(new Usage(3, 2, 5, 2, 0, 1), feed(d, "{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
                + "\"total_tokens\":5,\"cached_tokens\":null,\"prompt_tokens_details\":{\"cached_tokens\":2},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":1}}}").usage(), "nested counts when top-level is null");
        assertEquals(new Usage(4, 2, 6, 9, 0, 7), feed(d, "{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,"
                + "\"total_tokens\":6,\"cached_tokens\":9,\"completion_tokens_details\":{\"reasoning_tokens\":7}}}").usage(),
                "counts as sent, never clamped (xAI reports more reasoning than completion, and cache above prompt)");
    }

    @Test
    void anErrorThatIsNotAnObjectIsStillAnError() {
        Chunk text = feed(ChunkDecoder.streaming(), "{\"error\":\"boom\"}");
        assertTrue(text.isError());
        assertEquals("boom", text.errorMessage());
        Chunk array = feed(ChunkDecoder.streaming(), "{\"error\":[1,2],\"model\":\"m\"}");
        assertTrue(array.isError());
        assertNull(array.errorMessage());
        assertEquals("m", array.model(), "the array was skipped whole");
        assertTrue(!feed(ChunkDecoder.streaming(), "{\"error\":null}").isError(), "error: null is no error");
        Chunk fine = feed(ChunkDecoder.streaming(), "{\"error\":false,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"}}]}");
        assertTrue(!fine.isError(), "error: false is no error, as ErrorBody reads it");
        assertTrue(feed(ChunkDecoder.streaming(), "{\"error\":true}").isError(), "error: true is one");
    }

    @Test
    void anErrorObjectIsRecognised() {
        Chunk c = feed(ChunkDecoder.streaming(), "{\"error\":{\"message\":\"Stream failed\",\"type\":\"server_error\",\"code\":500}}");
        assertTrue(c.isError());
        assertEquals("server_error", c.errorType());
        assertEquals("500", c.errorCode());
    }

    private static String tools(Chunk c) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.toolCount(); i++) {
            Chunk.ToolFragment f = c.tool(i);
            sb.append('[').append(f.index()).append(' ').append(f.id()).append(' ').append(f.name()).append(' ')
                    .append(f.arguments()).append(']');
        }
        return sb.toString();
    }

    @Test
    void toolCallEntriesOfChoiceZeroAreReadWithTheirIndexIdNameAndArguments() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        Chunk c = feed(d, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":["
                + "{\"index\":0,\"id\":\"get_weather_0\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}},"
                + "{\"index\":1,\"function\":{\"arguments\":\"{\\\"a\\\"\"}},"
                + "{\"function\":{\"arguments\":\"x\"}},{\"index\":-3,\"id\":\"n\"},{\"index\":\"7\",\"id\":\"s\"}]}}]}");
        assertEquals("[0 get_weather_0 get_weather ][1 null null {\"a\"][-1 null null x][-1 n null null][-1 s null null]",
                tools(c));
        assertEquals("chatcmpl-1", c.id());
        Chunk next = feed(d, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}");
        assertEquals(0, next.toolCount(), "the reused chunk was cleared");
        assertNull(next.id(), "the id is read once per stream");
    }

    @Test
    void toolCallsOfAnotherChoiceAreTakenBackAndArgumentObjectsBecomeText() {
        Chunk c = feed(ChunkDecoder.streaming(), "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"z\"}]},"
                + "\"index\":1},{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"o\",\"function\":"
                + "{\"name\":\"f\",\"arguments\":{\"n\":[1,{\"b\":true}]}}}]}}]}");
        assertEquals("[0 o f {\"n\":[1,{\"b\":true}]}]", tools(c));
    }

    @Test
    void aToolCallsEntryThatIsNotAnObjectIsMalformed() {
        MalformedChunkException e = assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(),
                "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[\"x\"]}}]}"));
        assertEquals("a tool_calls entry is not an object", e.getMessage());
    }

    @Test
    void reasoningContentWinsOverReasoningAndEitherIsRead() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        assertEquals("vllm", feed(d, "{\"choices\":[{\"delta\":{\"reasoning\":\"vllm\"}}]}").reasoning());
        assertEquals("kimi", feed(d, "{\"choices\":[{\"delta\":{\"reasoning\":\"or\",\"reasoning_content\":\"kimi\"}}]}").reasoning());
        assertEquals("or", feed(d, "{\"choices\":[{\"delta\":{\"reasoning_content\":null,\"reasoning\":\"or\"}}]}").reasoning());
        assertNull(feed(d, "{\"choices\":[{\"delta\":{\"reasoning\":{\"summary\":[]}}}]}").reasoning(), "an object is skipped");
    }

    @Test
    void mistralsTypedContentPartsAreTextAndThinking() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        Chunk c = feed(d, "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\","
                + "\"text\":\"a\"},7,{\"type\":\"text\",\"text\":\"b\",\"x\":1}]},\"plain \",{\"type\":\"text\",\"text\":\"t\"},"
                + "{\"type\":\"text\",\"text\":\"u\"},3,{\"type\":\"image\"}]}}]}");
        assertEquals("ab", c.reasoning());
        assertEquals("plain tu", c.content());
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(),
                "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"text\":\"a\"}"));
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(),
                "{\"choices\":[{\"delta\":{\"content\":[\"a\""));
    }

    @Test
    void reasoningDetailsEntriesAreJoinedAcrossOneChunkAndEmptyOnesAddNothing() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        assertEquals("{\"a\":1},{\"b\":[2]},{\"c\":3}", feed(d, "{\"choices\":[{\"delta\":{\"reasoning_details\":[{\"a\":1},"
                + "{\"b\":[2]}],\"reasoning_details\":[],\"reasoning_details\":[{\"c\":3}]}}]}").reasoningDetails());
        assertNull(feed(d, "{\"choices\":[{\"delta\":{\"reasoning_details\":[]}}]}").reasoningDetails());
        assertNull(feed(d, "{\"choices\":[{\"delta\":{\"reasoning_details\":\"no\"}}]}").reasoningDetails());
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(),
                "{\"choices\":[{\"delta\":{\"reasoning_details\":[{\"a\":1}"));
    }

    @Test
    void azuresEmptyIdAndModelDoNotHideTheRealOnes() {
        ChunkDecoder.Streaming d = ChunkDecoder.streaming();
        Chunk first = feed(d, "{\"choices\":[],\"id\":\"\",\"model\":\"\"}");
        assertEquals("", first.model());
        Chunk second = feed(d, "{\"id\":\"c-1\",\"model\":\"gpt-4o\",\"choices\":[]}");
        assertEquals("gpt-4o", second.model());
        assertEquals("c-1", second.id());
        Chunk third = feed(d, "{\"id\":\"c-2\",\"model\":\"other\",\"choices\":[]}");
        assertNull(third.model(), "known once it was not empty");
        assertNull(third.id());
    }

    @Test
    void deepSeeksCacheHitsAndAToolCallsExtraContentAreRead() {
        Chunk c = feed(ChunkDecoder.streaming(), "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"x\","
                + "\"extra_content\":{\"google\":{\"s\":\"1\"}}},{\"index\":1,\"extra_content\":\"no\"}]}}],"
                + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"prompt_cache_hit_tokens\":7}}");
        assertEquals("{\"google\":{\"s\":\"1\"}}", c.tool(0).extraContent());
        assertNull(c.tool(1).extraContent());
        assertEquals(7, c.usage().cachedTokens());
    }

    @Test
    void aTotalBeyondLongOrNotFiniteIsRecomputedAndAnErrorKeepsAllItsFields() {
        Chunk huge = feed(ChunkDecoder.streaming(), "{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,"
                + "\"total_tokens\":99999999999999999999999}}");
        assertEquals(6, huge.usage().totalTokens());
        Chunk infinite = feed(ChunkDecoder.streaming(), "{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2.9,"
                + "\"total_tokens\":1e400}}");
        assertEquals(new Usage(4, 2, 6, 0, 0, 0), infinite.usage());
        Chunk error = feed(ChunkDecoder.streaming(), "{\"error\":{\"message\":\"m\",\"type\":\"t\",\"code\":429}}");
        assertTrue(error.isError());
        assertEquals(java.util.List.of("m", "t", "429"), java.util.List.of(error.errorMessage(), error.errorType(), error.errorCode()));
    }

    @Test
    void aToolCallIndexThatIsNotANumberIsNoIndexAndItsValueIsSkipped() {
        Chunk c = feed(ChunkDecoder.streaming(), "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":[1,{\"a\":2}],"
                + "\"id\":\"x\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}}]}");
        assertEquals(1, c.toolCount());
        assertEquals(Chunk.ToolFragment.NO_INDEX, c.tool(0).index());
        assertEquals("x", c.tool(0).id());
        assertEquals("f", c.tool(0).name());
    }

    private static java.util.Map<String, String> extras(Chunk c) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < c.extraCount(); i++) {
            m.put(c.extraPath(i), c.extraJson(i));
        }
        return m;
    }

    @Test
    void everyUnmodelledNonNullFieldIsKeptUnderItsPathAndNothingElse() {
        String json = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"created\":1,\"obfuscation\":\"xyz\","
                + "\"system_fingerprint\":\"fp_1\",\"service_tier\":null,\"provider\":{\"name\":\"x\"},"
                + "\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"queue_time\":0.1}},"
                + "\"choices\":[{\"index\":0,\"logprobs\":{\"content\":[]},\"native_finish_reason\":\"STOP\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi\",\"refusal\":null,\"audio\":{\"id\":\"a\"},"
                + "\"reasoning\":{\"odd\":true},\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"index\":0,"
                + "\"cache\":1,\"function\":{\"name\":\"f\",\"arguments\":\"{}\",\"strict\":true}}]},"
                + "\"finish_reason\":\"stop\"},{\"index\":1,\"message\":{\"content\":\"second\"}}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"cost\":0.001,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":1,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":1,\"accepted_prediction_tokens\":0}}}";
        byte[] b = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Chunk c = new ChunkDecoder().decode(b, 0, b.length);
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("system_fingerprint", "\"fp_1\"");
        expected.put("provider", "{\"name\":\"x\"}");
        expected.put("x_groq.id", "\"req_1\"");
        expected.put("x_groq.usage.queue_time", "0.1");
        expected.put("choices[0].logprobs", "{\"content\":[]}");
        expected.put("choices[0].native_finish_reason", "\"STOP\"");
        expected.put("choices[0].message.audio", "{\"id\":\"a\"}");
        expected.put("choices[0].message.reasoning", "{\"odd\":true}");
        expected.put("choices[0].message.tool_calls[].cache", "1");
        expected.put("choices[0].message.tool_calls[].function.strict", "true");
        expected.put("choices[1]", "{\"index\":1,\"message\":{\"content\":\"second\"}}");
        expected.put("usage.cost", "0.001");
        expected.put("usage.prompt_tokens_details.audio_tokens", "0");
        expected.put("usage.completion_tokens_details.accepted_prediction_tokens", "0");
        assertEquals(expected, extras(c));
        assertEquals("Hi", c.content());
        assertEquals(new Usage(5, 2, 7, 1, 0, 1), c.usage(), "the top-level usage wins over x_groq's");
        assertEquals("t1", c.tool(0).id());
    }

    @Test
    void groqsUsageIsReadWhenItIsTheOnlyOneAndAChoiceTakenBackLeavesNothingBehind() {
        byte[] b = ("{\"x_groq\":{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}},\"choices\":[{\"delta\":"
                + "{\"content\":\"a\"},\"index\":0}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Usage.of(3, 4, 7), new ChunkDecoder().decode(b, 0, b.length).usage());
        byte[] late = ("{\"choices\":[{\"delta\":{\"content\":\"x\",\"odd\":1},\"index\":2}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Chunk c = new ChunkDecoder().decode(late, 0, late.length);
        assertNull(c.content(), "a choice that turns out not to be the first is taken back");
        assertEquals(java.util.Map.of("choices[0]", "\"a choice other than the first, not kept\""), extras(c));
        byte[] odd = "{\"usage\":7,\"choices\":{\"x\":1},\"x_groq\":[1]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(java.util.Map.of("usage", "7", "choices", "{\"x\":1}", "x_groq", "[1]"),
                extras(new ChunkDecoder().decode(odd, 0, odd.length)), "a known name with an odd value is kept as it came");
    }

    @Test
    void refusalsAndAnnotationsAreRead() {
        byte[] b = ("{\"choices\":[{\"index\":0,\"message\":{\"content\":null,\"refusal\":\"I can't\","
                + "\"annotations\":[{\"type\":\"url_citation\",\"url_citation\":{\"url\":\"https://s\",\"title\":\"S\","
                + "\"content\":\"quote\",\"start_index\":1,\"end_index\":4}},{\"type\":\"file\",\"file\":{\"url\":7,"
                + "\"start_index\":\"x\",\"end_index\":null,\"other\":1}},{\"note\":\"untyped\"}]}}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Chunk c = new ChunkDecoder().decode(b, 0, b.length);
        assertEquals("I can't", c.refusal());
        assertEquals(3, c.annotationCount());
        assertEquals(new Chunk.Annotation("url_citation", "https://s", "S", "quote", 1, 4, "{\"type\":\"url_citation\","
                + "\"url_citation\":{\"url\":\"https://s\",\"title\":\"S\",\"content\":\"quote\",\"start_index\":1,"
                + "\"end_index\":4}}"), c.annotation(0));
        assertEquals(new Chunk.Annotation("file", null, null, null, -1, -1,
                "{\"type\":\"file\",\"file\":{\"url\":7,\"start_index\":\"x\",\"end_index\":null,\"other\":1}}"),
                c.annotation(1));
        assertEquals("annotation", c.annotation(2).type(), "an annotation without a type is still kept");
        byte[] notArray = "{\"choices\":[{\"index\":0,\"delta\":{\"annotations\":{\"a\":1}}}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(java.util.Map.of("choices[0].delta.annotations", "{\"a\":1}"),
                extras(new ChunkDecoder().decode(notArray, 0, notArray.length)));
        byte[] bad = "{\"choices\":[{\"index\":0,\"delta\":{\"annotations\":[3]}}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThrows(MalformedChunkException.class, () -> new ChunkDecoder().decode(bad, 0, bad.length));
    }

    @Test
    void tokensWrittenToTheCacheAreReadFromThePromptDetails() {
        byte[] b = ("{\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":1,\"prompt_tokens_details\":"
                + "{\"cached_tokens\":4,\"cache_write_tokens\":6}}}").getBytes(StandardCharsets.UTF_8);
        assertEquals(new Usage(10, 1, 11, 4, 6, 0), new ChunkDecoder().decode(b, 0, b.length).usage());
    }

    @Test
    void knownNamesWithValuesOfAnotherShapeAreKeptUnderTheirPathsAndTheRestStillRead() {
        byte[] b = ("{\"choices\":[\"pre\",{\"index\":0,\"delta\":{\"reasoning_details\":\"rd\",\"tool_calls\":7,"
                + "\"content\":\"c\"},\"usage\":3},{\"index\":1,\"delta\":\"d\"},5,{\"index\":2}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"prompt_tokens_details\":[4],"
                + "\"completion_tokens_details\":\"none\"}}").getBytes(StandardCharsets.UTF_8);
        Chunk c = new ChunkDecoder().decode(b, 0, b.length);
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("choices[0]", "\"pre\"");
        expected.put("choices[0].delta.reasoning_details", "\"rd\"");
        expected.put("choices[0].delta.tool_calls", "7");
        expected.put("choices[0].usage", "3");
        expected.put("choices[2]", "{\"index\":1,\"delta\":\"d\"}");
        expected.put("choices[3]", "5");
        expected.put("choices[4]", "{\"index\":2}");
        expected.put("usage.prompt_tokens_details", "[4]");
        expected.put("usage.completion_tokens_details", "\"none\"");
        assertEquals(expected, extras(c), "every entry after choice 0 is named by its own position");
        assertEquals("c", c.content(), "the odd values were consumed whole: what follows them is still read");
        assertEquals(new Usage(1, 1, 2, 0, 0, 0), c.usage());
    }

    @Test
    void aChoiceDeltaUsageOrFunctionOfAnotherShapeIsKept() {
        Chunk c = feed(ChunkDecoder.streaming(), "{\"choices\":[{\"index\":0,\"delta\":[1,{\"content\":\"no\"}],"
                + "\"usage\":{\"odd\":true},\"finish_reason\":\"stop\"}]}");
        assertEquals(java.util.Map.of("choices[0].delta", "[1,{\"content\":\"no\"}]", "choices[0].usage.odd", "true"),
                extras(c));
        assertNull(c.content(), "a delta that is not an object carries no content");
        assertEquals("stop", c.finishReason());
        Chunk usage = feed(ChunkDecoder.streaming(), "{\"choices\":[{\"index\":0,\"usage\":[2],\"delta\":{\"content\":\"u\"}}]}");
        assertEquals(java.util.Map.of("choices[0].usage", "[2]"), extras(usage));
        assertEquals("u", usage.content());
        assertNull(usage.usage());
        Chunk function = feed(ChunkDecoder.streaming(), "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"c1\",\"function\":[\"f\"]}],\"content\":\"after\"}}]}");
        assertEquals(java.util.Map.of("choices[0].delta.tool_calls[].function", "[\"f\"]"), extras(function));
        assertEquals("[0 c1 null null]", tools(function));
        assertEquals("after", function.content());
    }

    @Test
    void anIdOrErrorFieldThatIsNoScalarIsAbsentNotEmpty() {
        byte[] b = ("{\"id\":{\"x\":1},\"error\":{\"message\":{\"m\":1},\"type\":[\"t\"],\"code\":null},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":[1],\"function\":"
                + "{\"name\":\"f\"}}]}}]}").getBytes(StandardCharsets.UTF_8);
        Chunk c = new ChunkDecoder().decode(b, 0, b.length);
        assertNull(c.id());
        assertTrue(c.isError());
        assertNull(c.errorMessage());
        assertNull(c.errorType());
        assertNull(c.errorCode());
        assertNull(c.tool(0).id());
        assertEquals("f", c.tool(0).name());
        Chunk numbers = feed(ChunkDecoder.streaming(), "{\"id\":17,\"error\":{\"message\":true,\"code\":1.5}}");
        assertEquals("17", numbers.id(), "a scalar of another type is read as its text");
        assertEquals("true", numbers.errorMessage());
        assertEquals("1.5", numbers.errorCode());
    }
}
