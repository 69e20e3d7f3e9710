package dev.alfred.llm.bench;

import java.io.ByteArrayOutputStream;

/**
 * The S4 stream: tool calls whose arguments arrive in many small fragments, as Kimi streams them (a
 * first delta with index, id and name, then {@code function.arguments} fragments by index). With two
 * calls the fragments alternate between them, as interleaved parallel calls do. Each call's arguments
 * add up to {@code {"s":"abcd…"}}.
 */
public final class ToolStreamFixture {

    private ToolStreamFixture() {
    }

    /**
     * Fragment i of a call of {@code perCall} fragments.
     *
     * @param i       the fragment's position in its call
     * @param perCall fragments per call
     * @return the fragment
     */
    public static String fragment(int i, int perCall) {
        if (i == 0) {
            return "{\\\"s\\\":\\\"";
        }
        return i == perCall - 1 ? "\\\"}" : "abcd";
    }

    /**
     * What each call's arguments add up to, unescaped.
     *
     * @param perCall fragments per call
     * @return the arguments
     */
    public static String arguments(int perCall) {
        return "{\"s\":\"" + "abcd".repeat(perCall - 2) + "\"}";
    }

    /**
     * The expected text of a reader that joins the calls' arguments with a newline.
     *
     * @param fragments all fragments of the stream
     * @param calls     how many calls share them
     * @return the joined arguments
     */
    public static String answer(int fragments, int calls) {
        String one = arguments(fragments / calls);
        return String.join("\n", java.util.Collections.nCopies(calls, one));
    }

    /**
     * The whole body.
     *
     * @param fragments all fragments of the stream (a multiple of calls)
     * @param calls     1 or 2
     * @return the event-stream bytes
     */
    public static byte[] body(int fragments, int calls) {
        int perCall = fragments / calls;
        ByteArrayOutputStream out = new ByteArrayOutputStream(fragments * 150);
        out.writeBytes(KimiStreamFixture.roleEvent());
        for (int c = 0; c < calls; c++) {
            out.writeBytes(KimiStreamFixture.event(head() + "{\"tool_calls\":[{\"index\":" + c + ",\"id\":\"get_weather_" + c
                    + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},"
                    + "\"finish_reason\":null}]}"));
        }
        for (int i = 0; i < fragments; i++) {
            int call = i % calls;
            out.writeBytes(KimiStreamFixture.event(head() + "{\"tool_calls\":[{\"index\":" + call
                    + ",\"function\":{\"arguments\":\"" + fragment(i / calls, perCall) + "\"}}]},\"finish_reason\":null}]}"));
        }
        out.writeBytes(KimiStreamFixture.event(head() + "{},\"finish_reason\":\"tool_calls\",\"usage\":{\"prompt_tokens\":90,"
                + "\"completion_tokens\":" + fragments + ",\"total_tokens\":" + (90 + fragments) + "}}]}"));
        out.writeBytes(KimiStreamFixture.event("[DONE]"));
        return out.toByteArray();
    }

    private static String head() {
        return "{\"id\":\"chatcmpl-7f3c2a9e1b8d4c6f\",\"object\":\"chat.completion.chunk\",\"created\":1787593184,"
                + "\"model\":\"kimi-k3\",\"system_fingerprint\":\"fpv0_bench\",\"choices\":[{\"index\":0,\"delta\":";
    }
}
