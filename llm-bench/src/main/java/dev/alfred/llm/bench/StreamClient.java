package dev.alfred.llm.bench;

import java.net.URI;

/** A client under benchmark: reads one stream and returns its text. */
public interface StreamClient {

    /** Told when the first delta arrives, to time it. */
    interface Listener {
        /** The first non-empty delta arrived. */
        void firstDelta();
    }

    /** @return the name in the table */
    String name();

    /**
     * The wire format of the streams the client reads: {@code kimi} (OpenAI chat completions as Kimi
     * sends them) or {@code anthropic} (the Messages API).
     *
     * @return the format
     */
    default String format() {
        return "kimi";
    }

    /** @return whether the client is one of ours, held to the targets */
    default boolean ours() {
        return name().startsWith("alfred-llm");
    }

    /**
     * Reads one whole stream.
     *
     * @param base     the base URL with the scenario in its path
     * @param listener told of the first delta
     * @return the concatenated text
     * @throws Exception if the stream fails
     */
    String read(URI base, Listener listener) throws Exception;

    /**
     * Reads a tool-call stream (S4) and returns each call's arguments, joined with a newline.
     *
     * @param base the server's base URL
     * @return the joined arguments
     * @throws Exception if the stream fails
     * @throws UnsupportedOperationException for a client that does not take part in S4
     */
    default String readToolArguments(URI base) throws Exception {
        throw new UnsupportedOperationException(name() + " does not read tool calls");
    }
}
