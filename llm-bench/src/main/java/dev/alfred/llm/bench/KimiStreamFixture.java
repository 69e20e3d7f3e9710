package dev.alfred.llm.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The pre-rendered Kimi-style stream the benchmarks read: a role chunk, N content chunks with
 * non-ASCII text and emoji, a final chunk with usage in {@code choices[0].usage}, and {@code [DONE]}.
 */
public final class KimiStreamFixture {

    private static final String[] WORDS = {"Grüße ", "aus ", "東京 ", "🙂 ", "naïve ", "café ", "Ωmega ", "data "};

    private KimiStreamFixture() {
    }

    /**
     * The text of content chunk i.
     *
     * @param i the chunk index
     * @return its text
     */
    public static String text(int i) {
        return WORDS[i % WORDS.length] + (i % 100) + " ";
    }

    /**
     * The whole answer of an N-chunk stream.
     *
     * @param chunks N
     * @return the concatenated text
     */
    public static String answer(int chunks) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            sb.append(text(i));
        }
        return sb.toString();
    }

    /**
     * One event's bytes.
     *
     * @param json the data payload
     * @return {@code data: json\n\n}
     */
    public static byte[] event(String json) {
        return ("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @return the first event, with the role */
    public static byte[] roleEvent() {
        return event(head() + "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
    }

    /**
     * A content event.
     *
     * @param i the chunk index
     * @return its bytes
     */
    public static byte[] contentEvent(int i) {
        return event(head() + "{\"content\":\"" + text(i) + "\"},\"finish_reason\":null}]}");
    }

    /**
     * The final event, with usage inside choice 0, then {@code [DONE]}.
     *
     * @param chunks N, for the token counts
     * @return the bytes of both events
     */
    public static byte[] tailEvents(int chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(event(head() + "{},\"finish_reason\":\"stop\",\"usage\":{\"prompt_tokens\":90,\"completion_tokens\":"
                + chunks + ",\"total_tokens\":" + (90 + chunks) + ",\"cached_tokens\":64,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":64}}}]}"));
        out.writeBytes(event("[DONE]"));
        return out.toByteArray();
    }

    /**
     * A whole N-chunk stream body.
     *
     * @param chunks N
     * @return the bytes
     */
    public static byte[] body(int chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(chunks * 180);
        out.writeBytes(roleEvent());
        for (int i = 0; i < chunks; i++) {
            out.writeBytes(contentEvent(i));
        }
        out.writeBytes(tailEvents(chunks));
        return out.toByteArray();
    }

    private static String head() {
        return "{\"id\":\"chatcmpl-7f3c2a9e1b8d4c6f\",\"object\":\"chat.completion.chunk\",\"created\":1787593184,"
                + "\"model\":\"kimi-k3\",\"system_fingerprint\":\"fpv0_bench\",\"choices\":[{\"index\":0,\"delta\":";
    }
}
