package dev.alfred.llm.observe;

import dev.alfred.llm.ChatRequest;

import java.util.Objects;

/**
 * One model call as listeners see it: what was asked of whom. Immutable.
 *
 * @param callId        an id unique in this JVM, for correlating a call's events in logs
 * @param providerId    the provider's id, such as {@code kimi}
 * @param operation     what the call does: {@code chat}
 * @param request       the request
 * @param streaming     whether the answer is streamed ({@code stream}) or whole ({@code chat})
 * @param requestModel  the model asked for: the request's, else the provider's default; null when unknown
 * @param serverAddress the host the provider talks to; null when unknown
 * @param serverPort    the port the provider talks to; -1 when unknown
 * @param dialect       which server the provider speaks to when its id does not say it (an OpenAI-compatible
 *                      provider's dialect, such as {@code groq}: {@link dev.alfred.llm.ProviderEndpoint#dialect()});
 *                      null otherwise
 */
public record LlmCall(String callId, String providerId, String operation, ChatRequest request, boolean streaming,
                      String requestModel, String serverAddress, int serverPort, String dialect) {

    /** The operation of a chat call, as the OpenTelemetry GenAI conventions name it. */
    public static final String CHAT = "chat";

    /**
     * Validates the call.
     *
     * @param callId        the id
     * @param providerId    the provider's id
     * @param operation     the operation
     * @param request       the request
     * @param streaming     whether streamed
     * @param requestModel  the model, or null
     * @param serverAddress the host, or null
     * @param serverPort    the port, or -1
     * @param dialect       the dialect, or null
     * @throws NullPointerException     if the id, provider id, operation or request is null
     * @throws IllegalArgumentException if the port is outside -1..65535
     */
    public LlmCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(request, "request");
        if (serverPort < -1 || serverPort > 65535) {
            throw new IllegalArgumentException("serverPort must be -1 (unknown) or 0..65535, not " + serverPort);
        }
    }

    /**
     * A call to a provider whose id says which server it talks to.
     *
     * @param callId        the id
     * @param providerId    the provider's id
     * @param operation     the operation
     * @param request       the request
     * @param streaming     whether streamed
     * @param requestModel  the model, or null
     * @param serverAddress the host, or null
     * @param serverPort    the port, or -1
     * @throws NullPointerException     if the id, provider id, operation or request is null
     * @throws IllegalArgumentException if the port is outside -1..65535
     */
    public LlmCall(String callId, String providerId, String operation, ChatRequest request, boolean streaming,
                   String requestModel, String serverAddress, int serverPort) {
        this(callId, providerId, operation, request, streaming, requestModel, serverAddress, serverPort, null);
    }

    /**
     * Leaves the request out: it holds the conversation, which does not belong in logs.
     *
     * @return the call's id, provider, operation, model and server
     */
    @Override
    public String toString() {
        return "LlmCall{" + callId + ", " + providerId + (dialect == null ? "" : " (" + dialect + ")") + ", " + operation + (streaming ? " (stream)" : "")
                + ", model=" + requestModel + ", server=" + serverAddress + ":" + serverPort + "}";
    }
}
