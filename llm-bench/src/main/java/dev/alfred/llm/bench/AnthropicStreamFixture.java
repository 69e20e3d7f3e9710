package dev.alfred.llm.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The pre-rendered Messages-API stream the Anthropic scenarios read, with the same text as
 * {@link KimiStreamFixture}: {@code message_start}, one text block of N {@code text_delta} events with a
 * {@code ping} after its start, {@code message_delta} with the cumulative usage, {@code message_stop}.
 */
public final class AnthropicStreamFixture {

    private AnthropicStreamFixture() {
    }

    private static byte[] event(String name, String json) {
        return ("event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @return {@code message_start}, the text block's start and a ping */
    public static byte[] headEvents() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-bench\",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":90,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":64,\"output_tokens\":1}}}"));
        out.writeBytes(event("content_block_start",
                "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"));
        out.writeBytes(event("ping", "{\"type\": \"ping\"}"));
        return out.toByteArray();
    }

    /**
     * A text delta.
     *
     * @param i the chunk index
     * @return its bytes
     */
    public static byte[] contentEvent(int i) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"" + KimiStreamFixture.text(i) + "\"}}");
    }

    /**
     * The block's end, {@code message_delta} with the usage, and {@code message_stop}.
     *
     * @param chunks N, for the token counts
     * @return the bytes
     */
    public static byte[] tailEvents(int chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0            }"));
        out.writeBytes(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"input_tokens\":90,\"cache_creation_input_tokens\":0,"
                + "\"cache_read_input_tokens\":64,\"output_tokens\":" + chunks + "}}"));
        out.writeBytes(event("message_stop", "{\"type\":\"message_stop\"}"));
        return out.toByteArray();
    }

    /**
     * A whole N-chunk stream body.
     *
     * @param chunks N
     * @return the bytes
     */
    public static byte[] body(int chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunks * 140);
        out.writeBytes(headEvents());
        for (int i = 0; i < chunks; i++) {
            out.writeBytes(contentEvent(i));
        }
        out.writeBytes(tailEvents(chunks));
        return out.toByteArray();
    }
}
