package dev.alfred.llm;

import java.net.URI;

/**
 * Where a provider sends its requests, which model it uses when a request names none, and which server's
 * dialect it speaks, for observability (the server, model and provider name of a call's span). Each may
 * be unknown.
 *
 * @param baseUrl      the base URL, or null when unknown or not over the network
 * @param defaultModel the default model, or null when unknown
 * @param dialect      which server the provider's wire format is spoken to, when one provider speaks to
 *                     several (an OpenAI-compatible provider's dialect, such as {@code groq} or
 *                     {@code azure}); null when the provider's id says it
 */
public record ProviderEndpoint(URI baseUrl, String defaultModel, String dialect) {

    /** Nothing known. */
    public static final ProviderEndpoint UNKNOWN = new ProviderEndpoint(null, null, null);

    /**
     * An endpoint whose provider's id says which server it talks to.
     *
     * @param baseUrl      the base URL, or null
     * @param defaultModel the default model, or null
     */
    public ProviderEndpoint(URI baseUrl, String defaultModel) {
        this(baseUrl, defaultModel, null);
    }

    /**
     * This endpoint with a dialect: what an OpenAI-compatible provider returns, so that a listener can
     * name the server ({@code gen_ai.provider.name} {@code groq} rather than {@code openai}).
     *
     * @param dialect the dialect's name, or null
     * @return the endpoint
     */
    public ProviderEndpoint withDialect(String dialect) {
        return new ProviderEndpoint(baseUrl, defaultModel, dialect);
    }

    /**
     * The host of the base URL.
     *
     * @return the host, or null
     */
    public String host() {
        return baseUrl == null ? null : baseUrl.getHost();
    }

    /**
     * The port of the base URL, the scheme's default when the URL names none.
     *
     * @return the port: 443 for https, 80 for http when not given; -1 when unknown
     */
    public int port() {
        if (baseUrl == null || baseUrl.getHost() == null) {
            return -1;
        }
        if (baseUrl.getPort() != -1) {
            return baseUrl.getPort();
        }
        String scheme = baseUrl.getScheme();
        if ("https".equalsIgnoreCase(scheme)) {
            return 443;
        }
        return "http".equalsIgnoreCase(scheme) ? 80 : -1;
    }
}
