package dev.alfred.llm.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", " {} ", "{\"a\":1}", "{\"a\":[1,2.5,-3e+2,true,false,null,\"x\\u00e9\\n\"],\"b\":{}}",
            "{\"a\":{\"b\":{\"c\":[[],[{}]]}}}", "\n\t{\"k\" : \"v\" }\r\n", "{\"a\":0.0,\"b\":-0,\"c\":1E9}"})
    void validObjectsAreObjects(String json) {
        assertTrue(JsonText.isObject(json), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "[]", "1", "\"x\"", "{", "{\"a\":1", "{\"a\":1,}", "{\"a\"}", "{a:1}",
            "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":tru}", "{\"a\":\"x}", "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12G4\"}", "{\"a\":\"\u0001\"}", "{}{}", "{} x", "{\"a\":[1,]}", "{\"a\":[1 2]}",
            "{\"a\":1]", "{\"a\":[}", "{\"city\": \"Par", "{,}", "{\"a\":-}", "{\"a\":\"\\u12\"}",
            // cut at every kind of place, so that no check reads past the end
            "{", "{\"", "{\"a", "{\"a\"", "{\"a\":", "{\"a\":\"\\", "{\"a\":\"\\u00e", "{\"a\":tr", "{\"a\":nul",
            "{\"a\":-", "{\"a\":1.", "{\"a\":1e", "{\"a\":1e+", "{\"a\":1,", "{\"a\":[", "{\"a\":[1", "{\"a\":[1,",
            "{\"a\":\"x\"", "{\"a\":{}", "{\"a\":[]"})
    void anythingElseIsNot(String json) {
        assertFalse(JsonText.isObject(json), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "9", "-9.9", "-0", "10", "-12.5e-3", "1E+2", "true", "false", "null", "\"\"", "\" \"",
            "\"a b\"", "\"\\u0041\\\"\"", "[]",
            "[[]]", "{}", " [1, -2.0e1, \"x\", null] "})
    void everyKindOfValueIsValid(String json) {
        assertTrue(JsonText.isValid(json), json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-", "1.", "1e", "01", "tru", "nul", "fals", "\"", "\"\\", "[", "[1", "[1,", "]", "1 2", "+1",
            "\"\\u004\"", "\"\\u\""})
    void everyCutOrWrongValueIsNot(String json) {
        assertFalse(JsonText.isValid(json), json);
    }

    @Test
    void aValueNeedNotBeAnObjectForIsValid() {
        assertTrue(JsonText.isValid("[1, {\"a\": null}]"));
        assertTrue(JsonText.isValid("\"x\""));
        assertFalse(JsonText.isObject("[1]"));
    }

    @Test
    void hostileNestingNeitherOverflowsTheStackNorPasses() {
        String deep = "{\"a\":" + "[".repeat(1_000_000);
        assertFalse(JsonText.isObject(deep));
        String closed = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertTrue(JsonText.isObject(closed));
    }

    @Test
    void snippetsAreBounded() {
        assertEquals("abc", JsonText.snippet("abc"));
        assertEquals("y".repeat(80), JsonText.snippet("y".repeat(80)));
        String s = JsonText.snippet("x".repeat(100));
        assertTrue(s.startsWith("x".repeat(80) + "… (20 more"), s);
    }
}
