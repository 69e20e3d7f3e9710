package dev.alfred.llm.testkit;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how the contract kit wants a provider configured.
 *
 * @param baseUri        the fake server's base URL
 * @param apiKey         the API key to use (the kit checks it never leaks)
 * @param idleTimeout    the idle timeout between body bytes the provider must apply
 * @param headersTimeout how long a stream's response head may take
 */
public record ProviderTarget(URI baseUri, String apiKey, Duration idleTimeout, Duration headersTimeout) {
}
