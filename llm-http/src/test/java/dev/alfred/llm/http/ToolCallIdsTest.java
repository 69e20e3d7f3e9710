package dev.alfred.llm.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ids another provider made become ids this server accepts, the same every time; accepted ids stay. */
class ToolCallIdsTest {

    @Test
    void anthropicsRuleKeepsWordIdsAndMapsOthersDeterministically() {
        ToolCallIds rule = ToolCallIds.wordCharacters();
        assertEquals("toolu_01A-b", rule.map("toolu_01A-b"));
        String kimi = rule.map("functions.get_weather:0");
        assertEquals("functions_get_weather_0_79ac1aaa", kimi, "the first four bytes of the id's SHA-256, in hex");
        assertEquals("zed_1_61268d5b", rule.map("zed:1"));
        assertEquals("____0270d764", rule.map("é:ü"), "letters beyond ASCII are replaced too");
        assertEquals(kimi, rule.map("functions.get_weather:0"), "a call and its result stay paired");
        assertNotEquals(rule.map("functions.get_weather:0"), rule.map("functions:get_weather.0"),
                "ids differing only in disallowed characters stay apart");
        assertTrue(rule.accepts(rule.map("é:ü")));
        assertTrue(rule.map("").matches("_[0-9a-f]{8}"), "an empty id becomes a valid one");
        assertEquals("[a-zA-Z0-9_-]+", rule.toString());
    }

    @Test
    void mistralsRuleIsExactlyNineLettersAndDigits() {
        ToolCallIds rule = ToolCallIds.alphanumeric(9);
        assertEquals("Ab3dE5gH9", rule.map("Ab3dE5gH9"));
        String mapped = rule.map("call_abc123");
        assertTrue(mapped.matches("[a-zA-Z0-9]{9}"), mapped);
        assertEquals(mapped, rule.map("call_abc123"));
        assertNotEquals(mapped, rule.map("call_abc124"));
        assertFalse(rule.accepts("Ab3dE5gH"), "eight is not nine");
        assertEquals("length must be within 1..32, was 0",
                assertThrows(IllegalArgumentException.class, () -> ToolCallIds.alphanumeric(0)).getMessage());
        assertEquals(1, ToolCallIds.alphanumeric(1).map("x_y").length());
        assertThrows(IllegalArgumentException.class, () -> ToolCallIds.alphanumeric(33));
        assertEquals(32, ToolCallIds.alphanumeric(32).map("x").length());
    }

    @Test
    void anyIdGoesAsItIsWhereTheServerHasNoRule() {
        assertEquals("functions.f:0", ToolCallIds.ANY.map("functions.f:0"));
        assertEquals("any", ToolCallIds.ANY.toString());
        assertThrows(NullPointerException.class, () -> ToolCallIds.ANY.map(null));
    }
}
