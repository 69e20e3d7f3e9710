package dev.alfred.llm;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * No provider with the requested id was found. The message lists the ids that were found; factories
 * that failed to load are attached as suppressed exceptions, since one of them may be the one wanted.
 */
public class ProviderNotFoundException extends LlmException {

    private static final long serialVersionUID = 1L;

    /** The id that was asked for. */
    private final String requestedId;
    /** The ids that were found, sorted. */
    private final List<String> availableIds;

    /**
     * Creates the exception.
     *
     * @param requestedId  the id asked for
     * @param availableIds the ids that were found
     * @throws NullPointerException if availableIds is null
     */
    public ProviderNotFoundException(String requestedId, Set<String> availableIds) {
        super("no LLM provider with id '" + requestedId + "'; found: "
                        + (availableIds.isEmpty() ? "none (is a provider jar on the class path?)"
                        : String.join(", ", new TreeSet<>(availableIds))),
                requestedId, -1, null, false, null, null);
        this.requestedId = requestedId;
        this.availableIds = List.copyOf(new TreeSet<>(availableIds));
    }

    /**
     * The id that was asked for.
     *
     * @return the id
     */
    public String requestedId() {
        return requestedId;
    }

    /**
     * The ids that were found, sorted.
     *
     * @return the ids
     */
    public List<String> availableIds() {
        return availableIds;
    }
}
