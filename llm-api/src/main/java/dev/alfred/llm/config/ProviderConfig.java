package dev.alfred.llm.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Immutable string settings for a provider and its decorators, with typed getters.
 *
 * <p>Keys are relaxed: case, {@code .}, {@code -} and {@code _} do not matter, so the environment
 * variable {@code KIMI_API_KEY}, the system property {@code kimi.api-key} and the key
 * {@code kimi.api.key} name one setting. Settings whose last key segment says they are secret
 * ({@code key}, {@code secret}, {@code token}, {@code password}…), those marked with
 * {@link Builder#secret}, and values that look like API keys never appear in {@link #toString()} or in
 * the messages of the exceptions thrown here.
 *
 * <p>{@link #toString()} shows only the settings the library reads: those under {@code llm.},
 * {@code kimi.}, {@code moonshot.} and {@code retry.}, and under the prefixes that the factories and
 * decorators of every {@link ProviderRegistry} built so far declare
 * ({@link dev.alfred.llm.spi.LlmProviderFactory#settingPrefixes()}). The rest of a configuration taken
 * from the environment (database URLs, tokens of other tools, JVM options) appears only as a count.
 */
public final class ProviderConfig {

    private static final Set<String> SECRET_SEGMENTS = Set.of(
            "key", "apikey", "secret", "token", "password", "passwd", "passphrase", "credential", "credentials");
    private static final String REDACTED = "****";
    private static final Set<String> BUILTIN_PREFIXES = Set.of("llm.", "kimi.", "moonshot.", "retry.");
    /** Prefixes declared by the factories and decorators of registries built so far; only grows. */
    private static final Set<String> DECLARED_PREFIXES = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Map<String, String> values;
    private final Set<String> secrets;

    private ProviderConfig(Map<String, String> values, Set<String> secrets) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.secrets = Set.copyOf(secrets);
    }

    /**
     * A configuration with no settings.
     *
     * @return the empty configuration
     */
    public static ProviderConfig empty() {
        return new ProviderConfig(Map.of(), Set.of());
    }

    /**
     * A configuration holding the given settings.
     *
     * @param settings keys and values
     * @return the configuration
     * @throws IllegalArgumentException if a key is blank or a value is null; of two keys that name one
     *                                  setting, the later in the map's order wins
     */
    public static ProviderConfig of(Map<String, String> settings) {
        Builder b = builder();
        settings.forEach(b::set);
        return b.build();
    }

    /**
     * The process's environment variables, overlaid by its system properties (which win).
     *
     * @return a snapshot of both
     */
    public static ProviderConfig fromEnvironment() {
        return from(System.getenv(), System.getProperties());
    }

    /**
     * Environment-style variables overlaid by properties (which win); {@link #fromEnvironment()} with
     * explicit sources, for tests and embedding.
     *
     * @param environment variables such as {@code KIMI_API_KEY}
     * @param properties  properties such as {@code kimi.api.key}
     * @return the configuration
     * @throws NullPointerException if an argument is null
     */
    public static ProviderConfig from(Map<String, String> environment, Properties properties) {
        Map<String, String> merged = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (k != null && v != null) {
                merged.put(normalize(k), v);
            }
        });
        for (String name : properties.stringPropertyNames()) {
            merged.put(normalize(name), properties.getProperty(name));
        }
        return new ProviderConfig(merged, Set.of());
    }

    /**
     * A new builder.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder(Map.of(), Set.of());
    }

    /**
     * A builder that starts from these settings.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        return new Builder(values, secrets);
    }

    /**
     * These settings with another configuration's settings on top (the other's win).
     *
     * @param overrides the settings that win
     * @return the merged configuration
     * @throws NullPointerException if overrides is null
     */
    public ProviderConfig withOverrides(ProviderConfig overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides.values);
        Set<String> mergedSecrets = new HashSet<>(secrets);
        mergedSecrets.addAll(overrides.secrets);
        return new ProviderConfig(merged, mergedSecrets);
    }

    /**
     * The raw value of a setting.
     *
     * @param key the key, in any relaxed spelling
     * @return the value, or empty when unset or blank
     */
    public Optional<String> get(String key) {
        String v = values.get(normalize(key));
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /**
     * The value of the first of several keys that is set, such as a provider's own key and an alias.
     *
     * @param keys the keys, most preferred first
     * @return the value, or empty when none is set
     */
    public Optional<String> getFirst(String... keys) {
        for (String key : keys) {
            Optional<String> v = get(key);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /**
     * The value of a setting that must be there.
     *
     * @param key the key
     * @return the value
     * @throws IllegalArgumentException naming the key and its environment variable when it is unset
     */
    public String require(String key) {
        return get(key).orElseThrow(() -> new IllegalArgumentException("missing required setting '"
                + normalize(key) + "' (environment variable " + environmentName(key) + ")"));
    }

    /**
     * A setting as an int.
     *
     * @param key the key
     * @return the value, or empty when unset
     * @throws IllegalArgumentException naming the key when the value is not an int
     */
    public Optional<Integer> getInt(String key) {
        return parse(key, "an integer", Integer::valueOf);
    }

    /**
     * A setting as a long.
     *
     * @param key the key
     * @return the value, or empty when unset
     * @throws IllegalArgumentException naming the key when the value is not a long
     */
    public Optional<Long> getLong(String key) {
        return parse(key, "an integer", Long::valueOf);
    }

    /**
     * A setting as a double.
     *
     * @param key the key
     * @return the value, or empty when unset
     * @throws IllegalArgumentException naming the key when the value is not a finite number
     */
    public Optional<Double> getDouble(String key) {
        return parse(key, "a finite number", s -> {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException(s);
            }
            return d;
        });
    }

    /**
     * A setting as a boolean: {@code true}/{@code false}, {@code yes}/{@code no}, {@code on}/{@code off},
     * {@code 1}/{@code 0}, in any case.
     *
     * @param key the key
     * @return the value, or empty when unset
     * @throws IllegalArgumentException naming the key when the value is none of those
     */
    public Optional<Boolean> getBoolean(String key) {
        return parse(key, "true or false", s -> {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "true": case "yes": case "on": case "1": return Boolean.TRUE;
                case "false": case "no": case "off": case "0": return Boolean.FALSE;
                default: throw new IllegalArgumentException(s);
            }
        });
    }

    /**
     * A setting as a duration: a number with a unit ({@code 250ms}, {@code 30s}, {@code 5m},
     * {@code 1h}) or ISO-8601 ({@code PT30S}).
     *
     * @param key the key
     * @return the value, or empty when unset
     * @throws IllegalArgumentException naming the key when the value is not a non-negative duration
     */
    public Optional<Duration> getDuration(String key) {
        return parse(key, "a non-negative duration such as 250ms, 30s, 5m, 1h or PT30S", ProviderConfig::parseDuration);
    }

    /**
     * A setting as an absolute URI.
     *
     * @param key the key
     * @return the value, or empty when unset
     * @throws IllegalArgumentException naming the key when the value is not an absolute http(s) URI
     */
    public Optional<URI> getUri(String key) {
        return parse(key, "an absolute http or https URI", s -> {
            try {
                URI uri = new URI(s);
                String scheme = uri.getScheme();
                if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                        || uri.getHost() == null) {
                    throw new IllegalArgumentException(s);
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(s, e);
            }
        });
    }

    /**
     * The keys that are set, in their normalized form ({@code kimi.api.key}).
     *
     * @return the keys, sorted
     */
    public Set<String> keys() {
        return values.keySet();
    }

    /**
     * Whether a setting is treated as secret and kept out of {@link #toString()} and messages.
     *
     * @param key the key
     * @return true if the value is redacted
     */
    public boolean isSecret(String key) {
        String n = normalize(key);
        if (secrets.contains(n)) {
            return true;
        }
        String last = n.substring(n.lastIndexOf('.') + 1);
        if (SECRET_SEGMENTS.contains(last) || n.endsWith("api.key")) {
            return true;
        }
        String v = values.get(n);
        return v != null && looksLikeApiKey(v);
    }

    private static boolean looksLikeApiKey(String value) {
        String v = value.strip();
        return v.startsWith("sk-") || v.startsWith("Bearer ") || v.startsWith("bearer ");
    }

    private <T> Optional<T> parse(String key, String expected, Function<String, T> parser) {
        Optional<String> raw = get(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(raw.get()));
        } catch (RuntimeException e) {
            String shown = isSecret(key) ? REDACTED : "'" + scrubber().scrub(raw.get()) + "'";
            throw new IllegalArgumentException("setting '" + normalize(key) + "' must be " + expected
                    + ", was " + shown, null);
        }
    }

    private static Duration parseDuration(String s) {
        Duration d;
        String t = s.toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(s, e);
            }
        } else if (t.endsWith("ms")) {
            d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
        } else if (t.endsWith("s")) {
            d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).strip()));
        } else if (t.endsWith("m")) {
            d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).strip()));
        } else if (t.endsWith("h")) {
            d = Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).strip()));
        } else {
            throw new IllegalArgumentException(s);
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(s);
        }
        return d;
    }

    /**
     * The normalized form of a key: lower case, with {@code -} and {@code _} turned into {@code .}.
     *
     * @param key the key in any spelling
     * @return the normalized key
     * @throws IllegalArgumentException if key is null or blank
     */
    public static String normalize(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be null or blank");
        }
        return key.strip().toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
    }

    /**
     * The environment variable that sets a key, such as {@code KIMI_API_KEY} for {@code kimi.api.key}.
     *
     * @param key the key in any spelling
     * @return the variable's name
     * @throws IllegalArgumentException if key is null or blank
     */
    public static String environmentName(String key) {
        return normalize(key).replace('.', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderConfig && values.equals(((ProviderConfig) o).values)
                && secrets.equals(((ProviderConfig) o).secrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, secrets);
    }

    /**
     * Records setting prefixes that a provider or decorator reads, so that {@link #toString()} shows them.
     *
     * @param prefixes normalized prefixes such as {@code acme.}
     */
    static void declarePrefixes(Set<String> prefixes) {
        for (String p : prefixes) {
            if (p != null && !p.isBlank()) {
                String n = normalize(p);
                DECLARED_PREFIXES.add(n.endsWith(".") ? n : n + ".");
            }
        }
    }

    private static boolean isKnown(String key) {
        for (String p : BUILTIN_PREFIXES) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        for (String p : DECLARED_PREFIXES) {
            if (key.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The library's scrubber holding every secret value of this configuration: a key pasted into a base
     * URL is masked too, as are URL query parameters named like secrets and user-info passwords.
     */
    private dev.alfred.llm.spi.SecretScrubber scrubber() {
        java.util.List<String> secretValues = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (isSecret(e.getKey())) {
                secretValues.add(e.getValue().strip());
            }
        }
        return dev.alfred.llm.spi.SecretScrubber.of(secretValues);
    }

    /**
     * The settings the library reads, secrets shown as {@code ****}, and in every other value the
     * configured secrets, URL query parameters named like secrets ({@code key}, {@code api_key},
     * {@code token}, {@code sig} ...) and user-info passwords masked by the library's one scrubber; every
     * other setting only counted, so that a configuration from the environment can be logged safely.
     *
     * @return a description safe to log
     */
    @Override
    public String toString() {
        dev.alfred.llm.spi.SecretScrubber scrubber = scrubber();
        StringBuilder sb = new StringBuilder("ProviderConfig{");
        String sep = "";
        int hidden = 0;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!isKnown(e.getKey())) {
                hidden++;
                continue;
            }
            String shown = isSecret(e.getKey()) ? REDACTED : scrubber.scrub(e.getValue());
            sb.append(sep).append(e.getKey()).append('=').append(shown);
            sep = ", ";
        }
        if (hidden > 0) {
            sb.append(sep).append("(").append(hidden).append(hidden == 1 ? " other setting" : " other settings")
                    .append(" not shown)");
        }
        return sb.append('}').toString();
    }

    /** Builds a {@link ProviderConfig}; not thread-safe. */
    public static final class Builder {
        private final Map<String, String> values;
        private final Set<String> secrets;

        private Builder(Map<String, String> values, Set<String> secrets) {
            this.values = new TreeMap<>(values);
            this.secrets = new HashSet<>(secrets);
        }

        /**
         * Sets a setting, replacing an earlier value.
         *
         * @param key   the key in any relaxed spelling
         * @param value the value
         * @return this builder
         * @throws IllegalArgumentException if key is blank or value is null
         */
        public Builder set(String key, String value) {
            if (value == null) {
                throw new IllegalArgumentException("value of setting '" + normalize(key) + "' must not be null");
            }
            values.put(normalize(key), value);
            return this;
        }

        /**
         * Sets a setting and marks it secret, so that it is always redacted.
         *
         * @param key   the key
         * @param value the secret value
         * @return this builder
         * @throws IllegalArgumentException if key is blank or value is null
         */
        public Builder secret(String key, String value) {
            set(key, value);
            secrets.add(normalize(key));
            return this;
        }

        /**
         * Removes a setting.
         *
         * @param key the key
         * @return this builder
         * @throws IllegalArgumentException if key is blank
         */
        public Builder remove(String key) {
            values.remove(normalize(key));
            return this;
        }

        /**
         * Builds the configuration.
         *
         * @return the immutable configuration
         */
        public ProviderConfig build() {
            return new ProviderConfig(values, secrets);
        }
    }
}
