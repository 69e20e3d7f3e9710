package dev.alfred.llm.observe;

import dev.alfred.llm.EmbeddingRequest;

import java.util.Objects;

/**
 * One embeddings call as listeners see it. Immutable.
 *
 * @param callId        an id unique in this JVM
 * @param providerId    the provider's id, such as {@code openai}
 * @param request       the request
 * @param requestModel  the model asked for: the request's, else the provider's default; null when unknown
 * @param serverAddress the host the provider talks to; null when unknown
 * @param serverPort    the port; -1 when unknown
 * @param dialect       the OpenAI-compatible dialect when the id does not say the server; null otherwise
 */
public record EmbeddingCall(String callId, String providerId, EmbeddingRequest request, String requestModel,
                            String serverAddress, int serverPort, String dialect) {

    /** The operation of an embeddings call, as the OpenTelemetry GenAI conventions name it. */
    public static final String OPERATION = "embeddings";

    /**
     * Validates the call.
     *
     * @param callId        the id
     * @param providerId    the provider's id
     * @param request       the request
     * @param requestModel  the model, or null
     * @param serverAddress the host, or null
     * @param serverPort    the port, or -1
     * @param dialect       the dialect, or null
     * @throws NullPointerException     if the id, provider id or request is null
     * @throws IllegalArgumentException if the port is outside -1..65535
     */
    public EmbeddingCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(request, "request");
        if (serverPort < -1 || serverPort > 65535) {
            throw new IllegalArgumentException("serverPort must be -1 (unknown) or 0..65535, not " + serverPort);
        }
    }

    /**
     * Leaves the inputs out: they are the user's texts.
     *
     * @return the call's id, provider, model, input count and server
     */
    @Override
    public String toString() {
        return "EmbeddingCall{" + callId + ", " + providerId + (dialect == null ? "" : " (" + dialect + ")")
                + ", model=" + requestModel + ", inputs=" + request.inputs().size() + ", server=" + serverAddress
                + ":" + serverPort + "}";
    }
}
