package dev.alfred.llm.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI's seconds-long smoke of the loopback benchmark: every scenario runs end to end against the server
 * process and every text is checked (a wrong text throws). No timing is asserted.
 */
class LoopbackSmokeTest {

    @Test
    void everyScenarioRunsAndReadsTheRightTexts() throws Exception {
        List<LoopbackBench.Row> rows = LoopbackBench.run(LoopbackBench.Sizes.SMOKE);
        // alfred-llm's rows against the floor; a -Ppeers build adds rows named "… · <peer>".
        assertEquals(18, rows.stream().filter(r -> !r.scenario().contains(" · ")).count(), rows.toString());
        // The OpenAI provider on the same stream and the Anthropic one on its own, in S1 to S3.
        assertEquals(10, rows.stream().filter(r -> r.scenario().endsWith(" · alfred-llm openai")).count(), rows.toString());
        assertEquals(10, rows.stream().filter(r -> r.scenario().endsWith(" · alfred-llm anthropic")).count(), rows.toString());
        // The values are measurements (heap growth may even be slightly negative): finite is all that is asked.
        assertTrue(rows.stream().allMatch(r -> Double.isFinite(r.floor()) && Double.isFinite(r.ours())), rows.toString());
    }

    @Test
    void theToolFixtureInterleavesTwoCallsWhoseArgumentsAreJson() {
        String body = new String(ToolStreamFixture.body(8, 2), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(body.contains("\"index\":0,\"id\":\"get_weather_0\"") && body.contains("\"index\":1,\"id\":\"get_weather_1\""),
                body);
        assertTrue(body.indexOf("{\"index\":1,\"function\":{\"arguments\":\"{") > body.indexOf("{\"index\":0,\"function\""),
                "fragments alternate between the calls");
        assertEquals("{\"s\":\"abcdabcd\"}\n{\"s\":\"abcdabcd\"}", ToolStreamFixture.answer(8, 2));
        assertTrue(body.contains("\"finish_reason\":\"tool_calls\"") && body.endsWith("data: [DONE]\n\n"), body);
    }

    @Test
    void theFixtureIsAKimiStreamWithUsageInTheChoiceAndDone() {
        String body = new String(KimiStreamFixture.body(3), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(body.startsWith("data: {") && body.endsWith("data: [DONE]\n\n"), body);
        assertTrue(body.contains("\"finish_reason\":\"stop\",\"usage\":{"), body);
        assertEquals(KimiStreamFixture.text(0) + KimiStreamFixture.text(1) + KimiStreamFixture.text(2),
                KimiStreamFixture.answer(3));
    }
}
