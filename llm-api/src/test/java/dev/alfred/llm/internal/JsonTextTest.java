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
            "{\"a\":1]", "{\"a\":[}", "{\"city\": \"Par", "{,}", "{\"a\":-}", "{\"a\":\"\\u12\"}"})
    void anythingElseIsNot(String json) {
        assertFalse(JsonText.isObject(json), json);
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
        String s = JsonText.snippet("x".repeat(100));
        assertTrue(s.startsWith("x".repeat(80) + "… (20 more"), s);
    }
}
