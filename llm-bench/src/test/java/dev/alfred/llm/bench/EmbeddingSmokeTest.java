package dev.alfred.llm.bench;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI's seconds-long smoke of the embeddings benchmark: E1 to E3 run end to end against the server process
 * at tiny sizes, every vector checked (a wrong one throws). No timing is asserted.
 */
class EmbeddingSmokeTest {

    @Test
    void everyScenarioRunsAndReadsTheRightVectors() throws Exception {
        List<LoopbackBench.Row> rows = EmbeddingBench.run(EmbeddingBench.Sizes.SMOKE);
        // ours: E1 base64 (wall, CPU, allocation) and floats (three); E2 twice (two each) plus two thread rows; E3.
        // A -Ppeers build adds three rows per peer.
        assertEquals(13, rows.stream().filter(r -> !r.scenario().contains("openai-java")
                && !r.scenario().contains("langchain4j")).count(), rows.toString());
        assertTrue(rows.stream().allMatch(r -> Double.isFinite(r.floor()) && Double.isFinite(r.ours())), rows.toString());
    }

    @Test
    void theFixtureSpeaksOpenAisShapeInBothEncodings() {
        String b64 = new String(EmbeddingFixture.body(7, 2, 3, true), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(b64.startsWith("{\n  \"object\": \"list\",\n  \"data\": [") && b64.contains("\"index\": 1,")
                && b64.contains("\"model\": \"text-embedding-3-small\""), b64);
        int at = b64.indexOf("\"embedding\": \"") + 14;
        byte[] raw = Base64.getDecoder().decode(b64.substring(at, b64.indexOf('"', at)));
        float first = Float.intBitsToFloat((raw[0] & 0xff) | (raw[1] & 0xff) << 8 | (raw[2] & 0xff) << 16 | raw[3] << 24);
        assertEquals(EmbeddingFixture.vector(7, 3)[0], first, "little-endian float32 of input 7's vector");
        String json = new String(EmbeddingFixture.body(7, 1, 3, false), java.nio.charset.StandardCharsets.US_ASCII);
        int open = json.indexOf("\"embedding\": [") + 14;
        String numbers = json.substring(open, json.indexOf(']', open)).strip();
        float[] v = EmbeddingFixture.vector(7, 3);
        String[] parts = numbers.split(",\\s*");
        for (int i = 0; i < 3; i++) {
            assertEquals(v[i], Float.parseFloat(parts[i]), "JSON number " + i + ": " + parts[i]);
        }
        assertEquals(1234, EmbeddingFixture.number(EmbeddingFixture.input(1234)));
        assertEquals(-1, EmbeddingFixture.number("a note"));
    }
}
