package dev.alfred.llm.openai;

import dev.alfred.llm.ChatRequest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenAI's settings the port does not model: sent as set, in a fixed order, and checked. */
class OpenAiOptionsTest {

    @Test
    void everySetOptionBecomesItsBodyFieldAndUnsetOnesAreLeftOut() {
        OpenAiOptions o = OpenAiOptions.builder().reasoningEffort("LOW").verbosity("High").seed(42).safetyIdentifier("u-1")
                .serviceTier("flex").promptCacheKey("k").build();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("reasoning_effort", "low");
        expected.put("verbosity", "high");
        expected.put("seed", 42L);
        expected.put("safety_identifier", "u-1");
        expected.put("service_tier", "flex");
        expected.put("prompt_cache_key", "k");
        assertEquals(expected, OpenAiOptions.EXTRAS.bodyFields(ChatRequest.builder().user("a").options(o).build()));
        assertEquals(Map.of(), OpenAiOptions.EXTRAS.bodyFields(ChatRequest.of("a")));
        assertEquals(Map.of(), OpenAiOptions.DEFAULT.bodyFields());
        assertEquals("openai", o.providerId());
    }

    @Test
    void blankSettingsAndALongSafetyIdentifierAreRefusedByName() {
        for (String[] bad : new String[][] {{"reasoningEffort", null}, {"verbosity", null}, {"safetyIdentifier", null},
                {"serviceTier", null}, {"promptCacheKey", null}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                OpenAiOptions.Builder b = OpenAiOptions.builder();
                switch (bad[0]) {
                    case "reasoningEffort" -> b.reasoningEffort(" ");
                    case "verbosity" -> b.verbosity("");
                    case "safetyIdentifier" -> b.safetyIdentifier(" ");
                    case "serviceTier" -> b.serviceTier("\t");
                    default -> b.promptCacheKey(" ");
                }
                b.build();
            });
            assertEquals(bad[0] + " must not be blank", e.getMessage());
        }
        OpenAiOptions.builder().safetyIdentifier("x".repeat(64)).build();
        IllegalArgumentException longId = assertThrows(IllegalArgumentException.class,
                () -> OpenAiOptions.builder().safetyIdentifier("x".repeat(65)).build());
        assertTrue(longId.getMessage().contains("at most 64 characters, was 65"), longId.getMessage());
        assertThrows(NullPointerException.class, () -> OpenAiOptions.builder().promptCacheKey(null));
    }
}
