package dev.alfred.llm.cli.demo;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The demo server's answers for Kimi's model catalogue and token estimate, in the shapes Moonshot documents:
 * {@code GET /v1/models} as {@code {data:[{id, display_name, context_length, supports_reasoning,
 * supports_image_in, supports_video_in}]}} (the fields MoonshotAI/kimi-cli's {@code auth/platforms.py}
 * reads), and {@code POST /v1/tokenizers/estimate-token-count} as {@code {"data":{"total_tokens":N}}}.
 * Stateless and thread-safe.
 */
final class DemoCatalogue {

    /** The model the demo's chat answers name. */
    static final String DEMO_MODEL = "kimi-offline-demo";
    /** The demo model's window, as the server reports it. */
    static final int DEMO_WINDOW = 262_144;
    /**
     * A real model listed by its id only, so that its window comes from the Kimi provider's dated built-in
     * table: the demo claims nothing about it.
     */
    static final String TABLE_MODEL = "kimi-k3";

    /** A message's framing, and the answer's priming, as {@code TokenCounter.estimate()} counts them. */
    private static final int PER_MESSAGE = 4;
    private static final int PRIMING = 3;
    private static final int PER_IMAGE = 1000;

    private DemoCatalogue() {
    }

    /**
     * The catalogue: the demo's own model, with everything the server can say about a model, and
     * {@value #TABLE_MODEL} by id only.
     *
     * @param json the mapper
     * @return the body
     */
    static JsonNode models(JsonMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("object", "list");
        var data = root.putArray("data");
        data.addObject().put("id", DEMO_MODEL).put("object", "model").put("display_name", "alfred-chat offline demo")
                .put("context_length", DEMO_WINDOW).put("supports_reasoning", true).put("supports_image_in", true)
                .put("supports_video_in", false);
        data.addObject().put("id", TABLE_MODEL).put("object", "model");
        return root;
    }

    /**
     * The token estimate of a {@code {model, messages}} body, by a rule of thumb rather than Kimi's tokenizer
     * (a quarter token per character of every text value, 1,000 per image, 4 per message and 3 to prime the
     * answer).
     *
     * @param json the mapper
     * @param body the request body
     * @return {@code {"data":{"total_tokens":N}}}, or a 400 for a body without messages
     */
    static DemoAnswer estimate(JsonMapper json, String body) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JacksonException e) {
            return DemoAnswer.invalid("the body is not JSON");
        }
        JsonNode messages = request == null ? null : request.path("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return DemoAnswer.invalid("'messages' must be a non-empty array");
        }
        long tokens = PRIMING;
        for (JsonNode m : messages) {
            tokens += PER_MESSAGE + tokens(m);
        }
        ObjectNode root = json.createObjectNode();
        root.putObject("data").put("total_tokens", tokens);
        return new DemoAnswer.Body(root);
    }

    /** The tokens of a message's values: its role and images' data left out of the text. */
    private static long tokens(JsonNode node) {
        if (node.isString()) {
            return (node.asString().length() + 3) / 4;
        }
        if (node.isObject() && node.path("type").asString("").equals("image_url")) {
            return PER_IMAGE;
        }
        long n = 0;
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getKey().equals("role") && !e.getKey().equals("type")) {
                    n += tokens(e.getValue());
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                n += tokens(child);
            }
        }
        return n;
    }
}
