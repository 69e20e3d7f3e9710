package dev.alfred.llm.anthropic.internal.wire;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ModelInfo;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One page of {@code GET /v1/models} (the SDK's {@code ModelInfo} and {@code SyncPage}):
 * {@code {data:[…], has_more, first_id, last_id}}, each model
 * {@code {id, type, display_name, created_at, max_input_tokens?, max_tokens?, capabilities?}}. A model's
 * {@code max_input_tokens} is its context window and {@code max_tokens} its output limit, absent, null or
 * 0 (the documentation's placeholder) meaning not reported (origin
 * {@link ModelInfo.Origin#SERVER} when the window is given, else {@link ModelInfo.Origin#UNKNOWN}); its
 * capabilities {@code image_input}, {@code thinking} and {@code structured_outputs}, when
 * {@code supported}, are {@link Capabilities.Feature#IMAGES}, {@link Capabilities.Feature#REASONING} and
 * {@link Capabilities.Feature#JSON_SCHEMA}; other fields are skipped.
 *
 * @param models  the page's models, in order
 * @param hasMore whether the server says more pages follow
 * @param lastId  the id to ask the next page after, or null
 */
public record ModelsPage(List<ModelInfo> models, boolean hasMore, String lastId) {

    /**
     * Copies the list.
     *
     * @param models  the models
     * @param hasMore whether more follow
     * @param lastId  the last id, or null
     */
    public ModelsPage {
        models = List.copyOf(models);
    }

    /**
     * Reads a page.
     *
     * @param body the response body
     * @return the page
     * @throws IllegalArgumentException when the body is not such a page (not an object, no {@code data}
     *                                  array, a model without an id, a limit that is not a positive integer)
     * @throws tools.jackson.core.JacksonException when it is not JSON
     */
    public static ModelsPage parse(byte[] body) {
        List<ModelInfo> models = null;
        boolean hasMore = false;
        String lastId = null;
        try (JsonParser p = RawJson.JSON.createParser(ObjectReadContext.empty(), body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a models page is a JSON object");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "data" -> models = models(p, t);
                    case "has_more" -> hasMore = t == JsonToken.VALUE_TRUE;
                    case "last_id" -> lastId = t == JsonToken.VALUE_STRING ? p.getString() : null;
                    default -> p.skipChildren();
                }
            }
        }
        if (models == null) {
            throw new IllegalArgumentException("a models page has a data array");
        }
        return new ModelsPage(models, hasMore, lastId);
    }

    private static List<ModelInfo> models(JsonParser p, JsonToken t) {
        if (t != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("data is not an array");
        }
        List<ModelInfo> models = new ArrayList<>();
        JsonToken e;
        while ((e = p.nextToken()) == JsonToken.START_OBJECT) {
            models.add(model(p));
        }
        if (e != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException("data holds something else than a model: " + e);
        }
        return models;
    }

    private static ModelInfo model(JsonParser p) {
        String id = null;
        String displayName = null;
        Integer window = null;
        Integer maxOutput = null;
        Set<Capabilities.Feature> features = EnumSet.noneOf(Capabilities.Feature.class);
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> id = t == JsonToken.VALUE_STRING ? p.getString() : null;
                case "display_name" -> displayName = t == JsonToken.VALUE_STRING ? p.getString() : null;
                case "max_input_tokens" -> window = limit(p, t, name);
                case "max_tokens" -> maxOutput = limit(p, t, name);
                case "capabilities" -> capabilities(p, t, features);
                default -> p.skipChildren();
            }
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a model without an id");
        }
        return new ModelInfo(id, displayName, window, maxOutput, features,
                window != null ? ModelInfo.Origin.SERVER : ModelInfo.Origin.UNKNOWN, null);
    }

    private static Integer limit(JsonParser p, JsonToken t, String name) {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is not a token count: " + p.getString());
        }
        int limit = p.getIntValue();
        return limit == 0 ? null : limit;
    }

    private static void capabilities(JsonParser p, JsonToken t, Set<Capabilities.Feature> features) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken value = p.nextToken();
            Capabilities.Feature f = switch (name) {
                case "image_input" -> Capabilities.Feature.IMAGES;
                case "thinking" -> Capabilities.Feature.REASONING;
                case "structured_outputs" -> Capabilities.Feature.JSON_SCHEMA;
                default -> null;
            };
            if (supported(p, value) && f != null) {
                features.add(f);
            }
        }
    }

    /** Whether a capability object says {@code supported: true}; the parser is left at its end. */
    private static boolean supported(JsonParser p, JsonToken t) {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return false;
        }
        boolean supported = false;
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken value = p.nextToken();
            if (name.equals("supported")) {
                supported = value == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        }
        return supported;
    }
}
