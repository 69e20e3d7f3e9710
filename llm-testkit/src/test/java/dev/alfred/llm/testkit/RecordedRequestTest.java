package dev.alfred.llm.testkit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordedRequestTest {

    private static final String KEY = "sk-recorded-0123456789abcdef0123";

    @Test
    void toStringMasksCredentialHeadersButKeepsTheRest() {
        RecordedRequest r = new RecordedRequest("POST", "/v1/chat/completions", Map.of(
                "authorization", List.of("Bearer " + KEY),
                "x-api-key", List.of(KEY),
                "content-type", List.of("application/json")), "{\"model\":\"m\"}");
        String s = r.toString();
        KeyLeaks.assertNone(KEY, "RecordedRequest.toString", s);
        assertTrue(s.contains("authorization=[Bearer ****]") && s.contains("x-api-key=[****]"), s);
        assertTrue(s.contains("content-type=[application/json]") && s.contains("{\"model\":\"m\"}"), s);
    }
}
