package dev.alfred.llm.kimi.internal;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ModelInfo;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Moonshot's {@code GET /v1/models}: {@code {data:[{id, display_name?, context_length, supports_reasoning,
 * supports_image_in, supports_video_in, …}]}}, read as Moonshot's own kimi-cli reads it
 * ({@code src/kimi_cli/auth/platforms.py}). {@code context_length} is the window, input and output
 * together (origin {@link ModelInfo.Origin#SERVER}; absent, null or 0 means not reported);
 * {@code supports_reasoning} is {@link Capabilities.Feature#REASONING} and {@code supports_image_in}
 * {@link Capabilities.Feature#IMAGES} (video has no feature of its own); other fields are skipped.
 * Stateless.
 */
public final class ModelList {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private ModelList() {
    }

    /**
     * Reads the list.
     *
     * @param body the response body
     * @return the models, in the server's order
     * @throws IllegalArgumentException when the body is not such a list (no {@code data} array, a model
     *                                  without an id, a {@code context_length} that is not a token count)
     * @throws tools.jackson.core.JacksonException when it is not JSON
     */
    public static List<ModelInfo> parse(byte[] body) {
        List<ModelInfo> models = null;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a model list is a JSON object");
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals("data")) {
                    models = models(p, t);
                } else {
                    p.skipChildren();
                }
            }
        }
        if (models == null) {
            throw new IllegalArgumentException("a model list has a data array");
        }
        return models;
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
        Set<Capabilities.Feature> features = EnumSet.noneOf(Capabilities.Feature.class);
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id" -> id = t == JsonToken.VALUE_STRING ? p.getString() : null;
                case "display_name" -> displayName = t == JsonToken.VALUE_STRING && !p.getString().isEmpty()
                        ? p.getString() : null;
                case "context_length" -> window = window(p, t);
                case "supports_reasoning" -> flag(p, t, features, Capabilities.Feature.REASONING);
                case "supports_image_in" -> flag(p, t, features, Capabilities.Feature.IMAGES);
                default -> p.skipChildren();
            }
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a model without an id");
        }
        return new ModelInfo(id, displayName, window, null, features,
                window != null ? ModelInfo.Origin.SERVER : ModelInfo.Origin.UNKNOWN, null);
    }

    private static void flag(JsonParser p, JsonToken t, Set<Capabilities.Feature> features, Capabilities.Feature f) {
        if (t == JsonToken.VALUE_TRUE) {
            features.add(f);
        }
        p.skipChildren();
    }

    private static Integer window(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0 || p.getLongValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("context_length is not a token count: " + p.getString());
        }
        int window = p.getIntValue();
        return window == 0 ? null : window;
    }
}
