package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.Usage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertEquals(new Usage(3, 2, 5, 1, 0), last.usage(), "top-level usage wins over the choice's");
    }

    @Test
    void anIncompleteObjectOrTrailingDataOrANonObjectIsMalformed() {
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(), "{\"choices\":[{\"delta\":"));
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(), "{\"a\":1}{\"b\":2}"));
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(), "[1,2]"));
        assertThrows(MalformedChunkException.class, () -> feed(ChunkDecoder.streaming(), "{\"a\":tru}"));
        MalformedChunkException e = assertThrows(MalformedChunkException.class,
                () -> feed(ChunkDecoder.streaming(), "{\"usage\":{\"prompt_tokens\":\"many\"}}"));
        assertTrue(e.getMessage().contains("prompt_tokens"), e.getMessage());
    }

    @Test
    void anErrorObjectIsRecognised() {
        Chunk c = feed(ChunkDecoder.streaming(), "{\"error\":{\"message\":\"Stream failed\",\"type\":\"server_error\",\"code\":500}}");
        assertTrue(c.isError());
        assertEquals("server_error", c.errorType());
        assertEquals("500", c.errorCode());
    }
}
