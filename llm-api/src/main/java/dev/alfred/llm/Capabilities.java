package dev.alfred.llm;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a provider can do. A request that asks for more is refused with an
 * {@link UnsupportedFeatureException} before anything is sent ({@link #check}).
 *
 * @param features the supported features
 */
public record Capabilities(Set<Feature> features) {

    /** Plain text chat and nothing more. */
    public static final Capabilities TEXT_ONLY = new Capabilities(Set.of());

    /** A feature a request may need. */
    public enum Feature {
        /** Function tools and tool results. */
        TOOLS,
        /** Several tool calls in one answer, and the {@code parallelToolCalls} setting. */
        PARALLEL_TOOL_CALLS,
        /** Tools the provider runs itself ({@link ToolDefinition.Type#BUILTIN}). */
        BUILTIN_TOOLS,
        /** {@link ResponseFormat#JSON_OBJECT}. */
        JSON_OBJECT,
        /** {@link ResponseFormat.Type#JSON_SCHEMA}. */
        JSON_SCHEMA,
        /** Images sent inline or by provider file id. */
        IMAGES,
        /** Images by URL, fetched by the provider. */
        IMAGE_URLS,
        /** Separate reasoning from thinking models. */
        REASONING,
        /**
         * Strict schemas: the server holds the model to a tool's or an answer's JSON schema exactly when
         * asked ({@code strict: true}), within its documented keyword subset. A schema generator declares
         * tools strict only for a provider that has this (OpenAI and Azure OpenAI document it; the
         * other OpenAI-compatible servers do not).
         */
        STRICT_SCHEMA,
        /** Embeddings ({@link EmbeddingProvider}); a provider without them names the alternative. */
        EMBEDDINGS,
        /** A list of the server's models ({@link LlmProvider#models()}). */
        MODEL_CATALOGUE
    }

    /**
     * Validates and copies the set.
     *
     * @param features the features, never null
     * @throws IllegalArgumentException if features is null
     */
    public Capabilities {
        if (features == null) {
            throw new IllegalArgumentException("features must not be null");
        }
        features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
    }

    /**
     * A set of capabilities.
     *
     * @param features the features
     * @return the capabilities
     */
    public static Capabilities of(Feature... features) {
        return new Capabilities(Set.of(features));
    }

    /**
     * Whether a feature is supported.
     *
     * @param feature the feature
     * @return true when supported
     */
    public boolean supports(Feature feature) {
        return features.contains(feature);
    }

    /**
     * These capabilities less some features, for a provider that is like another but cannot do
     * everything it does.
     *
     * @param removed the features to leave out
     * @return the capabilities without them
     */
    public Capabilities without(Feature... removed) {
        Set<Feature> kept = EnumSet.noneOf(Feature.class);
        kept.addAll(features);
        for (Feature f : removed) {
            kept.remove(f);
        }
        return new Capabilities(kept);
    }

    /**
     * Refuses a request that needs a feature this provider lacks.
     *
     * @param request    the request
     * @param providerId the provider's id, for the message
     * @throws UnsupportedFeatureException naming the first missing feature and what in the request needs it
     */
    public void check(ChatRequest request, String providerId) {
        boolean functions = false;
        boolean builtins = false;
        for (ToolDefinition t : request.tools()) {
            functions |= t.type() == ToolDefinition.Type.FUNCTION;
            builtins |= t.type() == ToolDefinition.Type.BUILTIN;
        }
        require(Feature.TOOLS, functions || request.messages().stream().anyMatch(m -> m instanceof ToolMessage),
                "the request has function tools or tool results", providerId);
        require(Feature.BUILTIN_TOOLS, builtins, "the request has a builtin tool", providerId);
        require(Feature.PARALLEL_TOOL_CALLS, Boolean.TRUE.equals(request.parallelToolCalls()),
                "the request asks for parallel tool calls", providerId);
        ResponseFormat f = request.responseFormat();
        require(Feature.JSON_OBJECT, f != null && f.type() == ResponseFormat.Type.JSON_OBJECT,
                "the request asks for a JSON object answer", providerId);
        require(Feature.JSON_SCHEMA, f != null && f.type() == ResponseFormat.Type.JSON_SCHEMA,
                "the request asks for an answer following a JSON schema", providerId);
        for (ChatMessage m : request.messages()) {
            if (m instanceof UserMessage u) {
                for (ContentPart p : u.parts()) {
                    require(Feature.IMAGE_URLS, p instanceof ContentPart.ImageUrl url
                                    && !"data".equalsIgnoreCase(url.url().getScheme()),
                            "the request has an image by URL, which " + providerId + " does not fetch (send the bytes)",
                            providerId);
                    require(Feature.IMAGES, p instanceof ContentPart.Image, "the request has an image", providerId);
                }
            }
        }
    }

    private void require(Feature feature, boolean needed, String what, String providerId) {
        if (needed && !supports(feature)) {
            throw new UnsupportedFeatureException(providerId + " does not support " + feature + ": " + what,
                    providerId, feature);
        }
    }
}
