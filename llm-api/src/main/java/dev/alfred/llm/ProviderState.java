package dev.alfred.llm;

import java.util.Map;

/**
 * State a provider returns with an answer and needs back unchanged on the next turn (thinking
 * signatures, redacted thinking blocks), opaque to everyone else. {@link ChatMessage#of(ChatResponse)}
 * carries it into the history; a provider reads only state whose {@code providerId} is its own.
 *
 * @param providerId the provider that made it; empty for {@link #NONE}
 * @param values     provider-defined entries, in a stable order; never null
 */
public record ProviderState(String providerId, Map<String, String> values) {

    /** No state. */
    public static final ProviderState NONE = new ProviderState("", Map.of());

    /**
     * Validates and copies the state.
     *
     * @param providerId the provider id, never null
     * @param values the entries, never null, no null key or value
     * @throws IllegalArgumentException if an argument is null or holds null
     */
    public ProviderState {
        if (providerId == null) {
            throw new IllegalArgumentException("providerId must not be null");
        }
        if (values == null) {
            throw new IllegalArgumentException("values must not be null");
        }
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        if (values.containsKey(null) || values.containsValue(null)) {
            throw new IllegalArgumentException("provider state must not hold null keys or values");
        }
    }

    /**
     * Whether there is no state.
     *
     * @return true when empty
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public String toString() {
        return isEmpty() ? "ProviderState[none]" : "ProviderState[" + providerId + ", keys=" + values.keySet() + "]";
    }
}
