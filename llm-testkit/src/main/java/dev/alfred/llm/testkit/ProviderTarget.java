package dev.alfred.llm.testkit;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the contract kit wants a provider configured.
 *
 * @param baseUri        the fake server's base URL
 * @param apiKey         the API key to use (the kit checks it never leaks)
 * @param idleTimeout    the idle timeout between body bytes the provider must apply
 * @param headersTimeout how long a stream's response head may take
 * @param clock          the kit's fake time: a provider that puts its deadlines on it (see {@link KitClock})
 *                       has its timing rules run without waiting; one that does not waits its real timeouts
 */
public record ProviderTarget(URI baseUri, String apiKey, Duration idleTimeout, Duration headersTimeout, KitClock clock) {

    /**
     * Validates the target.
     *
     * @param baseUri        the fake server's base URL
     * @param apiKey         the API key to use
     * @param idleTimeout    the idle timeout
     * @param headersTimeout the response-head timeout
     * @param clock          the kit's fake time
     * @throws NullPointerException if the clock is null
     */
    public ProviderTarget {
        Objects.requireNonNull(clock, "clock");
    }

    /**
     * A target on a clock of its own that nothing advances, for code that builds targets outside the kit.
     *
     * @param baseUri        the fake server's base URL
     * @param apiKey         the API key to use
     * @param idleTimeout    the idle timeout
     * @param headersTimeout the response-head timeout
     */
    public ProviderTarget(URI baseUri, String apiKey, Duration idleTimeout, Duration headersTimeout) {
        this(baseUri, apiKey, idleTimeout, headersTimeout, new KitClock());
    }
}
