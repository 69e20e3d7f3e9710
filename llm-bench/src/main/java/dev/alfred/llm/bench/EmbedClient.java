package dev.alfred.llm.bench;

import java.net.URI;
import java.util.List;

/**
 * A client under benchmark that fetches embeddings: sends the inputs to {@code <base>/embeddings} and
 * returns one {@code float[]} per input, in input order (a client whose library hands out boxed lists
 * converts them, as a caller computing a cosine would).
 */
public interface EmbedClient {

    /** @return the name in the table */
    String name();

    /** @return what it asks the server for: {@code base64} or {@code float} */
    String encoding();

    /** @return whether the client is one of ours, held to the targets */
    default boolean ours() {
        return name().startsWith("alfred-llm");
    }

    /**
     * Embeds the inputs in one call.
     *
     * @param base   the server's base URL ({@code …/v1})
     * @param inputs the texts
     * @return one vector per input, in order
     * @throws Exception if the call fails
     */
    float[][] embed(URI base, List<String> inputs) throws Exception;
}
