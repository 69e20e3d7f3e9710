package dev.alfred.llm.openai.internal.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.alfred.llm.AssistantMessage;
import dev.alfred.llm.ProviderState;
import dev.alfred.llm.ToolMessage;
import dev.alfred.llm.ChatMessage;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ContentPart;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.ToolDefinition;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The parts of the local count: tiktoken's model table, the image rule, the framing of each message kind. */
class TiktokenCounterTest {

    @Test
    void modelsMapToTheirEncodingAsTiktokenDoes() {
        for (String m : List.of("gpt-5", "gpt-5-mini", "gpt-5.2", "gpt-4.1-nano", "gpt-4o", "gpt-4o-mini-2024-07-18",
                "chatgpt-4o-latest", "gpt-4.5-preview", "o1", "o1-mini", "o3", "o3-mini", "o4-mini", "ft:gpt-4o:acme:x:1",
                "GPT-4O")) {
            assertEquals(EncodingType.O200K_BASE, TiktokenCounter.encodingOf(m), m);
        }
        for (String m : List.of("gpt-4", "gpt-4-0613", "gpt-4-turbo", "gpt-3.5-turbo", "gpt-3.5-turbo-0125", "gpt-35-turbo",
                "gpt-3.5", "text-embedding-3-small", "text-embedding-ada-002", "ft:gpt-3.5-turbo:acme::abc", "ft:gpt-4-0613:acme::x")) {
            assertEquals(EncodingType.CL100K_BASE, TiktokenCounter.encodingOf(m), m);
        }
        for (String m : List.of("gpt-oss-120b", "o4", "o2", "o10", "llama3", "gpt-3", "o1x", "gpt-4x")) {
            assertNull(TiktokenCounter.encodingOf(m), m);
        }
    }

    @Test
    void imagesFollowTheHighDetailTileRule() {
        assertEquals(765, TiktokenCounter.tiles(1024, 1024), "OpenAI's example: 4 tiles");
        assertEquals(1105, TiktokenCounter.tiles(2048, 4096), "OpenAI's example: 768x1536, 6 tiles");
        assertEquals(255, TiktokenCounter.tiles(512, 300), "small images are not scaled up: 1 tile");
        assertEquals(425, TiktokenCounter.tiles(600, 500), "2 tiles");
        assertEquals(765, TiktokenCounter.image(new ContentPart.ImageUrl(URI.create("https://x/y.png"))));
    }

    @Test
    void imageSizesAreReadFromPngGifAndJpegHeaders() {
        byte[] png = Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        assertArrayEquals(new int[] {1, 1}, ImageSize.of(png));
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 0x20, 0x03, 0x58, 0x02};
        assertArrayEquals(new int[] {800, 600}, ImageSize.of(gif));
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 4, 0, 0,
            (byte) 0xff, (byte) 0xc0, 0, 17, 8, 0x04, 0x00, 0x08, 0x00, 3, 0, 0};
        assertArrayEquals(new int[] {2048, 1024}, ImageSize.of(jpeg));
        assertEquals(1105, TiktokenCounter.image(new ContentPart.ImageBytes(jpeg, "image/jpeg")),
                "2048x1024 -> 1536x768: 3x2 tiles");
        byte[] huffmanFirst = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xc4, 0, 2,
            (byte) 0xff, (byte) 0xc2, 0, 17, 8, 0x00, 0x10, 0x00, 0x20, 3, 0, 0};
        assertArrayEquals(new int[] {32, 16}, ImageSize.of(huffmanFirst));
        assertNull(ImageSize.of(new byte[] {(byte) 0xff, (byte) 0xd8, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertNull(ImageSize.of(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}));
        assertNull(ImageSize.of(new byte[] {'G', 'I', 'F', '8', '9', 'a', 0, 0, 1, 0}));
        assertNull(ImageSize.of(new byte[] {'R', 'I', 'F', 'F'}));
        byte[] bigPng = java.util.Arrays.copyOf(png, 24);
        bigPng[16] = 0x01; bigPng[17] = 0x02; bigPng[18] = 0x03; bigPng[19] = 0x04;
        bigPng[20] = 0x00; bigPng[21] = 0x05; bigPng[22] = 0x06; bigPng[23] = 0x07;
        assertArrayEquals(new int[] {0x01020304, 0x050607}, ImageSize.of(bigPng));
        assertNull(ImageSize.of(java.util.Arrays.copyOf(png, 23)));
        assertArrayEquals(new int[] {1, 2}, ImageSize.of(new byte[] {'G', 'I', 'F', '8', '7', 'a', 1, 0, 2, 0}));
        assertNull(ImageSize.of(new byte[] {'G', 'I', 'F', '8', '7', 'a', 1, 0, 2}));
        assertArrayEquals(new int[] {2048, 1024}, ImageSize.of(java.util.Arrays.copyOf(jpeg, 17)), "up to the width");
        assertNull(ImageSize.of(java.util.Arrays.copyOf(jpeg, 16)), "the frame header is cut");
        assertNull(ImageSize.of(java.util.Arrays.copyOf(png, 20)));
        assertEquals(765, TiktokenCounter.image(new ContentPart.ImageBytes(new byte[] {1, 2, 3, 4}, "image/webp")));
    }

    @Test
    void everyMessageKindIsFramedAndCounted() {
        TiktokenCounter c = new TiktokenCounter("gpt-4o");
        long base = c.count(ChatRequest.of("hi")).tokens(); // 3 + user(1) + hi(1) + 3
        assertEquals(8, base);
        ToolCall call = new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}", ToolCall.Status.COMPLETE);
        ChatRequest loop = ChatRequest.builder().messages(List.of(ChatMessage.user("hi"),
                new AssistantMessage("", "", List.of(call), ProviderState.NONE),
                new ToolMessage("call_1", "get_weather", "sunny", false))).build();
        TokenCount n = c.count(loop);
        Encoding enc = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        long name = enc.countTokens("get_weather");
        long arguments = enc.countTokens("{\"city\":\"Paris\"}");
        long id = enc.countTokens("call_1");
        long content = enc.countTokens("sunny");
        assertEquals(TokenCount.Kind.TOKENIZER, n.kind());
        // assistant: 3 + role + (3 + name + arguments); tool: 3 + role + id + content + name + 1
        assertEquals(base + 3 + 1 + 3 + name + arguments + 3 + 1 + id + content + name + 1, n.tokens());
        assertEquals(base + 3 + 1 + enc.countTokens("ok"), c.count(ChatRequest.builder().messages(List.of(
                ChatMessage.user("hi"), ChatMessage.assistant("ok"))).build()).tokens());
        assertEquals(base + 3 + 1 + enc.countTokens("be brief"), c.count(ChatRequest.builder().messages(List.of(
                ChatMessage.system("be brief"), ChatMessage.user("hi"))).build()).tokens());
        ChatRequest image = ChatRequest.builder().messages(List.of(ChatMessage.user(ContentPart.text("hi"),
                new ContentPart.ImageUrl(URI.create("https://example.com/a.png"))))).build();
        assertEquals(base + 765, c.count(image).tokens());
    }

    @Test
    void toolSchemasFollowTheCookbookFormula() {
        assertEquals(List.of(), TiktokenCounter.properties("not json"));
        assertEquals(List.of(), TiktokenCounter.properties("[]"));
        List<String[]> p = TiktokenCounter.properties("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\","
                + "\"description\":\"A.\",\"enum\":[\"x\",\"y\"],\"default\":{\"k\":1}},\"b\":true,\"c\":{\"type\":[\"x\"]}}}");
        assertArrayEquals(new String[] {"a", "string", "A.", "x", "y"}, p.get(0));
        assertArrayEquals(new String[] {"b", "", ""}, p.get(1));
        assertArrayEquals(new String[] {"c", "", ""}, p.get(2));
        TiktokenCounter c = new TiktokenCounter("gpt-4");
        long without = c.count(ChatRequest.of("hi")).tokens();
        Encoding enc = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        ToolDefinition bare = ToolDefinition.builtin("f");
        // func_end 12 + func_init 10 + "f:"
        assertEquals(without + 12 + 10 + enc.countTokens("f:"), c.count(ChatRequest.builder().messages(List.of(ChatMessage.user("hi")))
                .tools(List.of(bare)).build()).tokens());
        ToolDefinition noProps = ToolDefinition.function("f", "Do.", JsonSchema.of("{\"type\":\"object\",\"properties\":{}}"));
        assertEquals(without + 12 + 10 + enc.countTokens("f:Do"), c.count(ChatRequest.builder().messages(List.of(ChatMessage.user("hi")))
                .tools(List.of(noProps)).build()).tokens(), "\"f:Do\" without its period");
    }
}
