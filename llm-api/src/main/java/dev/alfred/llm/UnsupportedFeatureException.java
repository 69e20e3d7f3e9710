package dev.alfred.llm;

/**
 * A request needs something the provider cannot do ({@link LlmProvider#capabilities()}); it was
 * refused before anything was sent. Not retryable.
 */
public class UnsupportedFeatureException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;

    /** The missing feature. */
    private final Capabilities.Feature feature;

    /**
     * Creates the exception.
     *
     * @param message    what was asked for and is missing
     * @param providerId the provider
     * @param feature    the missing feature
     */
    public UnsupportedFeatureException(String message, String providerId, Capabilities.Feature feature) {
        super(message, providerId, -1, null, null);
        this.feature = feature;
    }

    /**
     * The feature the provider lacks.
     *
     * @return the feature
     */
    public Capabilities.Feature feature() {
        return feature;
    }
}
