package dev.alfred.llm.testkit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request the {@link FakeServer} received.
 *
 * @param method  the HTTP method
 * @param path    the path with query
 * @param headers the headers, names in lower case
 * @param body    the body as text
 */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Copies the headers.
     *
     * @param method the HTTP method
     * @param path the path with query
     * @param headers the headers, names in lower case
     * @param body the body as text
     */
    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /**
     * The first value of a header.
     *
     * @param name the header, in any case
     * @return its first value, or empty
     */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /**
     * The body parsed as JSON.
     *
     * @return the JSON tree
     * @throws tools.jackson.core.JacksonException if the body is not JSON
     */
    public JsonNode json() {
        return JSON.readTree(body);
    }

    /**
     * A description for test failures, with credential headers ({@code Authorization},
     * {@code Proxy-Authorization}, {@code x-api-key}, {@code api-key}, cookies) masked.
     *
     * @return the method, path, headers and body, without secrets
     */
    @Override
    public String toString() {
        Map<String, List<String>> shown = new java.util.TreeMap<>();
        headers.forEach((name, values) -> shown.put(name, CREDENTIALS.contains(name.toLowerCase(Locale.ROOT))
                ? values.stream().map(RecordedRequest::mask).toList() : values));
        return "RecordedRequest[method=" + method + ", path=" + path + ", headers=" + shown + ", body=" + body + "]";
    }

    private static final java.util.Set<String> CREDENTIALS = java.util.Set.of(
            "authorization", "proxy-authorization", "x-api-key", "api-key", "cookie", "set-cookie");

    /** Keeps an auth scheme ({@code Bearer}) so a test failure still says which was sent. */
    private static String mask(String value) {
        int space = value.indexOf(' ');
        return space > 0 && space < 16 ? value.substring(0, space) + " ****" : "****";
    }
}
