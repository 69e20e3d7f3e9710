package dev.alfred.llm;

import dev.alfred.llm.internal.JsonText;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How one request is sent, beside what it asks: a deadline of its own, extra HTTP headers, and extra
 * top-level fields of the request body that the library does not model (a server's newest parameter,
 * a gateway's routing field). Every provider honours them the same way: the headers and fields are
 * added to what the provider sends, but never replace the API key's header, the headers the provider
 * sets itself, nor a body field the library writes, unless {@link #replaceLibraryFields()} says so
 * (then a body field of the same name replaces the library's value; headers never do). Immutable and
 * thread-safe. {@link #NONE} is the default: nothing extra.
 *
 * <pre>{@code
 * ChatRequest r = ChatRequest.builder().user("Hi")
 *         .settings(RequestSettings.builder().timeout(Duration.ofSeconds(20))
 *                 .header("X-Team", "alfred").bodyField("service_tier", "\"flex\"").build())
 *         .build();
 * }</pre>
 *
 * @param timeout              the deadline of the whole exchange (head and body) for this request, which
 *                             replaces the provider's total timeout when shorter; null for the provider's
 * @param headers              extra headers, in order; never null
 * @param bodyFields           extra top-level body fields: name to raw JSON value text; never null
 * @param replaceLibraryFields whether a body field of a name the library writes replaces its value
 */
public record RequestSettings(Duration timeout, Map<String, String> headers, Map<String, String> bodyFields,
                              boolean replaceLibraryFields) {

    /** Nothing extra: the provider's deadlines, headers and body. */
    public static final RequestSettings NONE = new RequestSettings(null, Map.of(), Map.of(), false);

    /**
     * Validates and copies the settings.
     *
     * @param timeout              the deadline, or null
     * @param headers              the headers
     * @param bodyFields           the body fields
     * @param replaceLibraryFields whether body fields replace the library's
     * @throws IllegalArgumentException naming what is wrong: a timeout that is zero or negative; a header
     *                                  name that is blank or not a token, a value with a line break; a
     *                                  body field name that is blank, or a value that is not one JSON value
     */
    public RequestSettings {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        headers = copy(headers, "headers");
        bodyFields = copy(bodyFields, "bodyFields");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            checkHeader(h.getKey(), h.getValue());
        }
        for (Map.Entry<String, String> f : bodyFields.entrySet()) {
            if (f.getKey().isBlank()) {
                throw new IllegalArgumentException("a body field name must not be blank");
            }
            if (!JsonText.isValid(f.getValue())) {
                throw new IllegalArgumentException("body field '" + f.getKey() + "' is not one JSON value: "
                        + JsonText.snippet(f.getValue()));
            }
        }
    }

    private static Map<String, String> copy(Map<String, String> map, String what) {
        if (map == null) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException(what + " must not hold null names or values");
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static void checkHeader(String name, String value) {
        if (name.isEmpty() || !name.chars().allMatch(RequestSettings::isTokenChar)) {
            throw new IllegalArgumentException("header name '" + name + "' is not an HTTP token");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header '" + name + "' has a line break in its value");
        }
    }

    private static boolean isTokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /**
     * Whether a header is among the extra ones, whatever its case.
     *
     * @param name the header name
     * @return true when set here
     */
    public boolean hasHeader(String name) {
        for (String h : headers.keySet()) {
            if (h.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The deadline of an exchange for this request: the shorter of this one and the provider's.
     *
     * @param providerTotal the provider's total timeout
     * @return the deadline
     * @throws NullPointerException if providerTotal is null
     */
    public Duration totalTimeout(Duration providerTotal) {
        Objects.requireNonNull(providerTotal, "providerTotal");
        return timeout != null && timeout.compareTo(providerTotal) < 0 ? timeout : providerTotal;
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Names only: header values and body fields may carry secrets, so they are not shown.
     *
     * @return the timeout and the names of the headers and fields
     */
    @Override
    public String toString() {
        return "RequestSettings{timeout=" + timeout + ", headers=" + headers.keySet() + ", bodyFields="
                + bodyFields.keySet() + (replaceLibraryFields ? ", replaceLibraryFields" : "") + "}";
    }

    /** Builds {@link RequestSettings}; not thread-safe. */
    public static final class Builder {
        private Duration timeout;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> bodyFields = new LinkedHashMap<>();
        private boolean replaceLibraryFields;

        private Builder() {
        }

        /**
         * Sets this request's deadline; null for the provider's.
         *
         * @param timeout a positive duration, or null
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Adds a header, replacing one of the same name added before.
         *
         * @param name  the name
         * @param value the value
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /**
         * Adds a top-level body field, replacing one of the same name added before.
         *
         * @param name      the field name
         * @param jsonValue its value as JSON text, such as {@code "\"flex\""}, {@code 42} or {@code {"a":1}}
         * @return this builder
         */
        public Builder bodyField(String name, String jsonValue) {
            bodyFields.put(name, jsonValue);
            return this;
        }

        /**
         * Lets body fields replace a value the library writes under the same name (off by default).
         *
         * @param replace whether they do
         * @return this builder
         */
        public Builder replaceLibraryFields(boolean replace) {
            this.replaceLibraryFields = replace;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException naming what is wrong
         */
        public RequestSettings build() {
            return new RequestSettings(timeout, headers, bodyFields, replaceLibraryFields);
        }
    }
}
