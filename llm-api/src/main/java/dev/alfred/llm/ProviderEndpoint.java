package dev.alfred.llm;

import java.net.URI;

/**
 * Where a provider sends its requests and which model it uses when a request names none, for
 * observability (the server and model of a call's span). Both may be unknown.
 *
 * @param baseUrl      the base URL, or null when unknown or not over the network
 * @param defaultModel the default model, or null when unknown
 */
public record ProviderEndpoint(URI baseUrl, String defaultModel) {

    /** Nothing known. */
    public static final ProviderEndpoint UNKNOWN = new ProviderEndpoint(null, null);

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
