package dev.alfred.llm.observe;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ProviderEndpoint;

import java.util.Objects;

/**
 * One run of a tool loop as listeners see it when it starts: a model called round after round, with the
 * tools it asks for run in between, until it answers (an agent, in the OpenTelemetry GenAI conventions'
 * words). {@link LlmListener#onRunStart} hears it. Immutable.
 *
 * @param agentName  the name the application gave the loop, or null
 * @param providerId the id of the provider the loop calls, such as {@code kimi}
 * @param endpoint   where that provider sends requests, and its default model
 * @param request    the run's first request, with the loop's tools declared
 */
public record AgentRun(String agentName, String providerId, ProviderEndpoint endpoint, ChatRequest request) {

    /**
     * Validates the run.
     *
     * @param agentName  the name, or null
     * @param providerId the provider's id
     * @param endpoint   the endpoint ({@link ProviderEndpoint#UNKNOWN} when unknown)
     * @param request    the request
     * @throws NullPointerException if the provider id, endpoint or request is null
     */
    public AgentRun {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(request, "request");
    }

    /**
     * The model the run asks for: the request's, else the provider's default.
     *
     * @return the model, or null when unknown
     */
    public String requestModel() {
        return request.model() != null ? request.model() : endpoint.defaultModel();
    }

    /**
     * Leaves the request out: it holds the conversation, which does not belong in logs.
     *
     * @return the run's agent, provider and model
     */
    @Override
    public String toString() {
        return "AgentRun{" + (agentName == null ? "" : agentName + ", ") + providerId + ", model=" + requestModel() + "}";
    }
}
