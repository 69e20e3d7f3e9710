package dev.alfred.llm.anthropic.internal.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Raw JSON copied out of a parser, read back, and a tool call's arguments judged. */
class RawJsonTest {

    /** Copies the value of field "v" of {"v": value, "after": 1}, and checks the parser is left on the value's end. */
    private static String copyOf(String value) {
        try (JsonParser p = RawJson.JSON.createParser(ObjectReadContext.empty(), "{\"v\":" + value + ",\"after\":1}")) {
            p.nextToken();
            p.nextName();
            String copy = RawJson.copy(p, p.nextToken());
            assertEquals("after", p.nextName(), "the parser stands after the value");
            return copy;
        }
    }

    @Test
    void aValueIsCopiedWholeAndEmptyContainersWithoutAllocating() {
        assertSame(RawJson.EMPTY_OBJECT, copyOf("{ }"));
        assertSame(RawJson.EMPTY_ARRAY, copyOf("[ ]"));
        assertEquals("{\"a\":[1,{\"b\":null}],\"c\":\"x\"}", copyOf("{\"a\": [1, {\"b\": null}], \"c\": \"x\"}"));
        assertEquals("[{\"a\":1},2,\"t\"]", copyOf("[{\"a\":1}, 2, \"t\"]"));
        assertEquals("[[]]", copyOf("[[]]"));
        assertEquals("{\"a\":{}}", copyOf("{\"a\":{}}"));
        assertEquals("\"q\\\"\"", copyOf("\"q\\\"\""));
        assertEquals("5", copyOf("5"));
        assertEquals("true", copyOf("true"));
        assertEquals("null", copyOf("null"));
    }

    @Test
    void aStringIsQuotedAsJson() {
        assertEquals("\"a\\\"b\\n\"", RawJson.quote("a\"b\n"));
    }

    @Test
    void aStringFieldIsReadFromObjectText() {
        assertEquals("cyber", RawJson.string("{\"type\":\"refusal\",\"x\":{\"category\":1},\"category\":\"cyber\"}", "category"));
        assertNull(RawJson.string("{\"category\":5}", "category"), "not a string");
        assertNull(RawJson.string("{\"other\":\"x\"}", "category"));
        assertNull(RawJson.string("[\"category\"]", "category"));
        assertNull(RawJson.string("{\"category\":", "category"), "not JSON");
        assertNull(RawJson.string(null, "category"));
    }

    @Test
    void anArraysEntriesAreEachTheirText() {
        assertEquals(List.of("{\"a\":1}", "2", "[]"), RawJson.elements("[{\"a\": 1}, 2, []]"));
        assertEquals(List.of(), RawJson.elements("[]"));
        assertEquals(List.of("{\"a\":1}"), RawJson.elements("{\"a\":1}"), "not an array: itself");
        assertEquals(List.of("[1,"), RawJson.elements("[1,"), "not JSON: itself");
    }

    @Test
    void anObjectIsOneObjectAndNothingElse() {
        assertEquals(true, RawJson.isObject(" {\"a\":{}} "));
        for (String text : new String[] {null, "", "  ", "[]", "{} 1", "{\"a\":", "\"{}\""}) {
            assertEquals(false, RawJson.isObject(text), String.valueOf(text));
        }
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "{}|OBJECT",
        " {\"a\":[1,{\"b\":null}]} |OBJECT",
        "'{\"a\":1}  \t'|OBJECT",
        "{\"city\":\"Par|CUT",
        "{\"city\":|CUT",
        "{|CUT",
        "{\"ok\":tru|CUT",
        "{\"a\":{\"b\":1}|CUT",
        "'   '|CUT",
        "'  {\"a\":1}'|OBJECT",
        "{\"city\": Paris}|INVALID",
        "{} {}|INVALID",
        "{\"a\":1}x|INVALID",
        "[]|INVALID",
        "\"{}\"|INVALID",
        "5|INVALID",
        "}|INVALID",
    })
    void argumentsAreAnObjectACutObjectOrInvalid(String text, RawJson.Shape shape) {
        assertEquals(shape, RawJson.shape(text));
    }
}
