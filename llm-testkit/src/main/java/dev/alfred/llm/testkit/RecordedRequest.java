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
}
