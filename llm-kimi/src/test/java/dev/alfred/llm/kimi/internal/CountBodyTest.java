package dev.alfred.llm.kimi.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimate's body is the chat body's model and messages, nothing else; a chat body without them is refused. */
class CountBodyTest {

    private static String count(String chat) {
        return new String(CountBody.fromChatBody(chat.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheModelAndTheMessagesAreKeptAsWritten() {
        assertEquals("{\"model\":\"kimi-k2.5\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}",
                count("{\"model\":\"kimi-k2.5\",\"temperature\":0.6,\"tools\":[{\"type\":\"function\"}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],\"max_tokens\":5}"));
    }

    @Test
    void aChatBodyWithoutBothFieldsOrNotAnObjectIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> count("[]")).getMessage().contains("JSON object"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> count("{\"model\":\"m\"}")).getMessage()
                .contains("model and messages"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> count("{\"messages\":[]}")).getMessage()
                .contains("model and messages"));
    }
}
