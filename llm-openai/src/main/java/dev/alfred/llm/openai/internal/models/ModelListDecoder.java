package dev.alfred.llm.openai.internal.models;

import dev.alfred.llm.Capabilities.Feature;
import dev.alfred.llm.ModelInfo;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an OpenAI-shaped model list, {@code {data:[{id, ...}]}}, with whatever each server adds (what a
 * client reads needs no dialect setting): the context window from Groq's {@code context_window}, Mistral's
 * {@code max_context_length}, OpenRouter's and Kimi's {@code context_length} or vLLM's {@code max_model_len};
 * the output limit from Groq's {@code max_completion_tokens} or OpenRouter's
 * {@code top_provider.max_completion_tokens}; a display name from {@code name} or {@code display_name};
 * features from Mistral's {@code capabilities}, Kimi's {@code supports_*} flags and OpenRouter's
 * {@code supported_parameters} and {@code architecture.input_modalities}. Every other field is skipped;
 * OpenAI and Ollama list ids only. Stateless and thread-safe.
 */
public final class ModelListDecoder {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** The body is not a model list; the message says why. */
    public static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decodes a model list.
     *
     * @param body the bytes
     * @return the models, in the server's order; a model with a window or output limit has origin SERVER
     * @throws Malformed when the body is not JSON, has no data array, or a model has no id
     */
    public List<ModelInfo> decode(byte[] body) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), body, 0, body.length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("the body is not a JSON object");
            }
            List<ModelInfo> models = null;
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                if (name.equals("data") && t == JsonToken.START_ARRAY) {
                    models = new ArrayList<>();
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t != JsonToken.START_OBJECT) {
                            throw new Malformed("data[" + models.size() + "] is not an object");
                        }
                        models.add(model(p, models.size()));
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (models == null) {
                throw new Malformed("the body has no data array");
            }
            return models;
        } catch (JacksonException e) {
            throw new Malformed("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static ModelInfo model(JsonParser p, int position) {
        String id = null;
        String display = null;
        Integer window = null;
        Integer topWindow = null;
        Integer output = null;
        Set<Feature> features = EnumSet.noneOf(Feature.class);
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "id":
                    id = t == JsonToken.VALUE_STRING ? p.getString() : null;
                    break;
                case "name":
                case "display_name":
                    display = t == JsonToken.VALUE_STRING && !p.getString().isBlank() ? p.getString() : display;
                    break;
                case "context_window":
                case "max_context_length":
                case "context_length":
                case "max_model_len":
                    window = positive(p, window, name, position);
                    break;
                case "max_completion_tokens":
                    output = positive(p, output, name, position);
                    break;
                case "top_provider":
                    Integer[] top = topProvider(p, position);
                    topWindow = top[0];
                    output = output != null ? output : top[1];
                    break;
                case "capabilities":
                    capabilities(p, features);
                    break;
                case "supports_reasoning":
                    flag(t, Feature.REASONING, features);
                    break;
                case "supports_image_in":
                    flag(t, Feature.IMAGES, features);
                    break;
                case "supported_parameters":
                    parameters(p, features);
                    break;
                case "architecture":
                    architecture(p, features);
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (id == null || id.isBlank()) {
            throw new Malformed("data[" + position + "] has no id");
        }
        Integer w = window != null ? window : topWindow;
        ModelInfo.Origin origin = w != null || output != null ? ModelInfo.Origin.SERVER : ModelInfo.Origin.UNKNOWN;
        return new ModelInfo(id, display, w, output, features, origin, null);
    }

    /** A positive int, or the value kept when the field is null, not a number, or not positive. */
    /**
     * A token limit: a positive int; null or 0 mean "not reported" (Anthropic's and Moonshot's examples use 0
     * as a placeholder) and keep what was there; a negative number, a number past an int or anything else is
     * malformed, named by its field.
     */
    private static Integer positive(JsonParser p, Integer kept, String field, int position) {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return kept;
        }
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            long v = p.getLongValue();
            if (v == 0) {
                return kept;
            }
            if (v > 0 && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        p.skipChildren();
        throw new Malformed("data[" + position + "]." + field + " is not a positive integer");
    }

    private static Integer[] topProvider(JsonParser p, int position) {
        Integer[] out = new Integer[2];
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return out;
        }
        String name;
        while ((name = p.nextName()) != null) {
            p.nextToken();
            if (name.equals("context_length")) {
                out[0] = positive(p, null, "top_provider.context_length", position);
            } else if (name.equals("max_completion_tokens")) {
                out[1] = positive(p, null, "top_provider.max_completion_tokens", position);
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static void flag(JsonToken t, Feature feature, Set<Feature> features) {
        if (t == JsonToken.VALUE_TRUE) {
            features.add(feature);
        }
    }

    /** Mistral's {@code capabilities}: {@code function_calling}, {@code vision}. */
    private static void capabilities(JsonParser p, Set<Feature> features) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (name.equals("function_calling")) {
                flag(t, Feature.TOOLS, features);
            } else if (name.equals("vision")) {
                flag(t, Feature.IMAGES, features);
            } else {
                p.skipChildren();
            }
        }
    }

    /** OpenRouter's {@code supported_parameters}: {@code tools}, {@code reasoning}, {@code structured_outputs}. */
    private static void parameters(JsonParser p, Set<Feature> features) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                p.skipChildren();
                continue;
            }
            switch (p.getString()) {
                case "tools":
                    features.add(Feature.TOOLS);
                    break;
                case "reasoning":
                    features.add(Feature.REASONING);
                    break;
                case "structured_outputs":
                    features.add(Feature.JSON_SCHEMA);
                    break;
                case "response_format":
                    features.add(Feature.JSON_OBJECT);
                    break;
                default:
                    break;
            }
        }
    }

    /** OpenRouter's {@code architecture.input_modalities}: {@code image}. */
    private static void architecture(JsonParser p, Set<Feature> features) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String name;
        while ((name = p.nextName()) != null) {
            JsonToken t = p.nextToken();
            if (name.equals("input_modalities") && t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == JsonToken.VALUE_STRING && p.getString().equals("image")) {
                        features.add(Feature.IMAGES);
                    }
                    p.skipChildren();
                }
            } else {
                p.skipChildren();
            }
        }
    }
}
