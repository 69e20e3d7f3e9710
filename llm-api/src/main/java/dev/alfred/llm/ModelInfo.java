package dev.alfred.llm;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

/**
 * One model of a provider's catalogue ({@link LlmProvider#models()}): its id, and its context window and
 * features where the server reports them, else from the provider's dated built-in table or configuration.
 * Unknown values are null.
 *
 * @param id              the id to put in a request's {@code model}
 * @param displayName     a name for people, or null
 * @param contextWindow   the most input tokens the model takes (on servers that report one number for input
 *                        and output together, that number), or null when unknown
 * @param maxOutputTokens the most tokens the model answers with, or null when unknown
 * @param features        the features the server reports for the model; empty when it reports none
 * @param origin          where the window and limits came from
 * @param asOf            the date of the built-in table when {@code origin} is {@link Origin#BUILT_IN}, else null
 */
public record ModelInfo(String id, String displayName, Integer contextWindow, Integer maxOutputTokens,
                        Set<Capabilities.Feature> features, Origin origin, LocalDate asOf) {

    /** Where a model's window and limits came from. */
    public enum Origin {
        /** The server's catalogue reported them. */
        SERVER,
        /** The provider's built-in table, as of its date. */
        BUILT_IN,
        /** The application's configuration, which overrides both. */
        CONFIGURED,
        /** Nobody said: the window and limits are null. */
        UNKNOWN
    }

    /**
     * Validates and copies.
     *
     * @param id              the id
     * @param displayName     the display name, or null
     * @param contextWindow   the window, or null
     * @param maxOutputTokens the output limit, or null
     * @param features        the features, or null for none
     * @param origin          the origin
     * @param asOf            the table's date, or null
     * @throws IllegalArgumentException if id is blank, a limit is not positive, origin is null, or asOf is set
     *                                  for another origin than {@link Origin#BUILT_IN}
     */
    public ModelInfo {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a model needs an id");
        }
        if ((contextWindow != null && contextWindow <= 0) || (maxOutputTokens != null && maxOutputTokens <= 0)) {
            throw new IllegalArgumentException("model " + id + ": limits must be positive, not window="
                    + contextWindow + ", maxOutput=" + maxOutputTokens);
        }
        if (origin == null) {
            throw new IllegalArgumentException("model " + id + ": origin must not be null");
        }
        if (asOf != null && origin != Origin.BUILT_IN) {
            throw new IllegalArgumentException("model " + id + ": a date belongs to the built-in table only");
        }
        features = features == null || features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    }

    /**
     * A model the server lists by id only.
     *
     * @param id the id
     * @return the model, window unknown
     * @throws IllegalArgumentException if id is blank
     */
    public static ModelInfo ofId(String id) {
        return new ModelInfo(id, null, null, null, Set.of(), Origin.UNKNOWN, null);
    }

    /**
     * This model with the window and output limit from another source.
     *
     * @param contextWindow   the window, or null
     * @param maxOutputTokens the output limit, or null
     * @param origin          where they came from
     * @param asOf            the table's date for {@link Origin#BUILT_IN}, else null
     * @return the model
     */
    public ModelInfo withLimits(Integer contextWindow, Integer maxOutputTokens, Origin origin, LocalDate asOf) {
        return new ModelInfo(id, displayName, contextWindow, maxOutputTokens, features, origin, asOf);
    }
}
