package dev.alfred.llm.testkit;

import dev.alfred.llm.EmbeddingLimits;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the embeddings contract kit ({@link EmbeddingProviderContract}) wants an embedding provider
 * configured: the fake server, the key, the timeouts and the kit's clock as for chat
 * ({@link #asProviderTarget()}), plus the limits to treat as the server's documented ones, so that the
 * batching rules run with a handful of inputs rather than thousands.
 *
 * @param baseUri        the fake server's base URL
 * @param apiKey         the API key to use (it must never leak)
 * @param idleTimeout    the idle timeout between body bytes
 * @param headersTimeout how long a response head may take
 * @param clock          the kit's fake time (see {@link KitClock})
 * @param limits         the per-request limits and concurrency the provider should apply, as if documented by
 *                       the server; the fake server enforces the same input limit
 */
public record EmbeddingTarget(URI baseUri, String apiKey, Duration idleTimeout, Duration headersTimeout, KitClock clock,
                              EmbeddingLimits limits) {

    /**
     * Validates the target.
     *
     * @param baseUri        the fake server's base URL
     * @param apiKey         the API key
     * @param idleTimeout    the idle timeout
     * @param headersTimeout the response-head timeout
     * @param clock          the kit's fake time
     * @param limits         the limits to apply
     * @throws NullPointerException if a component is null
     */
    public EmbeddingTarget {
        Objects.requireNonNull(baseUri, "baseUri");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headersTimeout, "headersTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * The same server, key, timeouts and clock as a chat {@link ProviderTarget}, for a provider module that
     * configures its embedding client the way it configures its chat client.
     *
     * @return the chat target
     */
    public ProviderTarget asProviderTarget() {
        return new ProviderTarget(baseUri, apiKey, idleTimeout, headersTimeout, clock);
    }
}
