package dev.alfred.llm.testkit;

import dev.alfred.llm.Capabilities;
import dev.alfred.llm.ModelInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The replies the {@link FakeServer} generates from a request when nothing was queued for it: embeddings,
 * token counts and model catalogues, in the shapes the real servers send (checked against the corpus's
 * recorded and documented exchanges by {@code FakeEndpointFidelityTest}).
 *
 * <p>Vectors are deterministic: each is drawn from a random source seeded by a hash of the model, the input
 * type and the text, at the model's native length, then cut to the requested dimensions and scaled to unit
 * length (as OpenAI's {@code text-embedding-3} models shorten theirs), so the same text always gets the same
 * vector, in one request or another, base64 or JSON numbers alike. Token counts are a word-and-punctuation
 * count, deterministic and growing with the text (for "Hello, world!" 4, as OpenAI counted it). Stateless.
 */
final class GeneratedReplies {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_\\s]");
    /** A fixed creation time for generated catalogue entries (2025-01-01), so replies are reproducible. */
    private static final long CREATED = 1735689600L;

    /** The models an OpenAI server lists when a test set none. */
    static final List<ModelInfo> OPENAI_MODELS = List.of(ModelInfo.ofId("gpt-4o-mini"), ModelInfo.ofId("gpt-4o"),
            ModelInfo.ofId("gpt-5"), ModelInfo.ofId("text-embedding-3-small"), ModelInfo.ofId("text-embedding-3-large"),
            ModelInfo.ofId("text-embedding-ada-002"));
    /** The models Kimi lists when a test set none, with the windows its help center states. */
    static final List<ModelInfo> KIMI_MODELS = List.of(
            new ModelInfo("kimi-k2.5", null, 262_144, null, Set.of(Capabilities.Feature.REASONING, Capabilities.Feature.IMAGES),
                    ModelInfo.Origin.SERVER, null),
            new ModelInfo("kimi-k2-turbo-preview", null, 262_144, null, Set.of(), ModelInfo.Origin.SERVER, null),
            new ModelInfo("moonshot-v1-8k", null, 8_192, null, Set.of(), ModelInfo.Origin.SERVER, null));
    /** The models Anthropic lists when a test set none. */
    static final List<ModelInfo> ANTHROPIC_MODELS = List.of(
            new ModelInfo("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5", 200_000, 64_000, Set.of(),
                    ModelInfo.Origin.SERVER, null),
            new ModelInfo("claude-haiku-4-5-20251001", "Claude Haiku 4.5", 200_000, 64_000, Set.of(),
                    ModelInfo.Origin.SERVER, null),
            new ModelInfo("claude-opus-4-6", "Claude Opus 4.6", 1_000_000, 128_000, Set.of(), ModelInfo.Origin.SERVER, null));

    private GeneratedReplies() {
    }

    // ---------------------------------------------------------------- shared

    /** The path without its query. */
    static String route(RecordedRequest r) {
        int q = r.path().indexOf('?');
        return q < 0 ? r.path() : r.path().substring(0, q);
    }

    /** The query parameters of a request's path, decoded. */
    static Map<String, String> query(RecordedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = r.path().indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : r.path().substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    static boolean is(RecordedRequest r, String method, String suffix) {
        return r.method().equalsIgnoreCase(method) && route(r).endsWith(suffix);
    }

    /**
     * The tokens the fake counts in a text: words and single punctuation marks.
     *
     * @param text the text
     * @return the count
     */
    static int tokens(String text) {
        Matcher m = TOKEN.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * The vector the fake gives a text: deterministic, unit length.
     *
     * @param model      the model asked for
     * @param inputType  the input type asked for, or empty
     * @param text       the text
     * @param native_    the model's own length
     * @param dimensions the length asked for, at most {@code native_}
     * @return the vector
     */
    static float[] vector(String model, String inputType, String text, int native_, int dimensions) {
        long seed = 0xcbf29ce484222325L;
        for (byte b : (model + '\u0000' + inputType + '\u0000' + text).getBytes(StandardCharsets.UTF_8)) {
            seed = (seed ^ (b & 0xff)) * 0x100000001b3L; // FNV-1a, 64 bits
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] full = new double[native_];
        for (int i = 0; i < native_; i++) {
            full[i] = random.nextDouble(-1, 1);
        }
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            norm += full[i] * full[i];
        }
        norm = Math.sqrt(norm);
        float[] v = new float[dimensions];
        for (int i = 0; i < dimensions; i++) {
            v[i] = (float) (full[i] / norm);
        }
        return v;
    }

    /** Base64 of the floats as little-endian float32, as OpenAI sends {@code encoding_format: base64}. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static Reply json(int status, JsonNode body) {
        return Reply.raw(status, "application/json", JSON.writeValueAsString(body));
    }

    private static JsonNode body(RecordedRequest r) {
        try {
            JsonNode n = r.json();
            return n != null && n.isObject() ? n : null;
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    // ---------------------------------------------------------------- OpenAI-compatible

    /**
     * The generated reply of an OpenAI-compatible server.
     *
     * @return the reply, or null for a path it generates nothing for
     */
    static Reply openAiCompatible(OpenAiCompatibleDialect dialect, OpenAiCompatibleDialect.Server server,
                                  RecordedRequest r, FakeServer fake) {
        if (is(r, "POST", "/embeddings")) {
            if (server == OpenAiCompatibleDialect.Server.KIMI) {
                // Kimi has no embeddings: its server refuses the path (memory-apis.md §1.2, MoonshotAI-Cookbook#21)
                return Reply.error(403, "permission_denied_error", "The API you are accessing is not open");
            }
            return embeddings(dialect, server, r, fake.embeddingInputLimit());
        }
        if (is(r, "GET", "/models") && server != OpenAiCompatibleDialect.Server.VOYAGE) {
            return server == OpenAiCompatibleDialect.Server.KIMI ? kimiModels(fake.models(KIMI_MODELS))
                    : openAiModels(fake.models(OPENAI_MODELS));
        }
        if (server == OpenAiCompatibleDialect.Server.KIMI && is(r, "POST", "/tokenizers/estimate-token-count")) {
            JsonNode body = body(r);
            if (body == null || !body.path("model").isString() || !body.path("messages").isArray()) {
                return Reply.error(400, "invalid_request_error", "Invalid request: model and messages are required");
            }
            ObjectNode root = JSON.createObjectNode();
            root.putObject("data").put("total_tokens", countChat(body));
            return json(200, root);
        }
        return null;
    }

    private static Reply invalid(OpenAiCompatibleDialect dialect, String message) {
        return Reply.error(400, dialect.errorTypeFor(400), message);
    }

    private static Reply embeddings(OpenAiCompatibleDialect dialect, OpenAiCompatibleDialect.Server server,
                                    RecordedRequest r, int limit) {
        boolean voyage = server == OpenAiCompatibleDialect.Server.VOYAGE;
        JsonNode body = body(r);
        if (body == null) {
            return invalid(dialect, "We could not parse the JSON body of your request.");
        }
        String model = body.path("model").asString("");
        if (model.isEmpty()) {
            return invalid(dialect, "you must provide a model parameter");
        }
        List<String> texts = new ArrayList<>();
        JsonNode input = body.path("input");
        if (input.isString()) {
            texts.add(input.asString());
        } else if (input.isArray()) {
            for (JsonNode i : input) {
                // token arrays (OpenAI only) are embedded as the text of their numbers
                texts.add(i.isString() ? i.asString() : i.toString());
            }
        }
        if (texts.isEmpty() || texts.stream().anyMatch(String::isEmpty)) {
            return invalid(dialect, "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.");
        }
        if (texts.size() > limit) {
            return invalid(dialect, voyage
                    ? "The batch size limit is " + limit + ". Your batch size is " + texts.size() + "."
                    : "'$.input' is invalid: " + texts.size() + " inputs, at most " + limit + " per request.");
        }
        int nativeLength = voyage ? 1024 : model.equals("text-embedding-3-large") ? 3072 : 1536;
        JsonNode dims = body.get(voyage ? "output_dimension" : "dimensions");
        int dimensions = nativeLength;
        if (dims != null && !dims.isNull()) {
            if (!voyage && model.equals("text-embedding-ada-002")) {
                return invalid(dialect, "This model does not support specifying dimensions.");
            }
            if (!dims.isIntegralNumber() || dims.asInt() <= 0) {
                return invalid(dialect, "Invalid value for '" + (voyage ? "output_dimension" : "dimensions") + "': " + dims);
            }
            dimensions = dims.asInt();
            nativeLength = Math.max(nativeLength, dimensions);
        }
        String inputType = voyage ? body.path("input_type").asString("") : "";
        boolean base64 = "base64".equals(body.path("encoding_format").asString(""));
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] v = vector(model, inputType, texts.get(i), nativeLength, dimensions);
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            if (base64) {
                e.put("embedding", base64(v));
            } else {
                ArrayNode a = e.putArray("embedding");
                for (float f : v) {
                    a.add(f);
                }
            }
            e.put("index", i);
            tokens += Math.max(1, tokens(texts.get(i)));
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        if (!voyage) {
            usage.put("prompt_tokens", tokens); // Voyage reports only total_tokens (recorded)
        }
        usage.put("total_tokens", tokens);
        Reply reply = json(200, root);
        return voyage ? reply : reply.withHeader("openai-model", model).withHeader("openai-processing-ms", "42");
    }

    private static Reply openAiModels(List<ModelInfo> models) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (ModelInfo m : models) {
            data.addObject().put("id", m.id()).put("object", "model").put("created", CREATED).put("owned_by", "system");
        }
        return json(200, root);
    }

    private static Reply kimiModels(List<ModelInfo> models) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode data = root.putArray("data");
        for (ModelInfo m : models) {
            ObjectNode e = data.addObject();
            e.put("id", m.id());
            e.put("context_length", m.contextWindow() != null ? m.contextWindow() : 131_072);
            e.put("supports_reasoning", m.features().contains(Capabilities.Feature.REASONING));
            e.put("supports_image_in", m.features().contains(Capabilities.Feature.IMAGES));
            e.put("supports_video_in", false);
            if (m.displayName() != null) {
                e.put("display_name", m.displayName());
            }
        }
        return json(200, root);
    }

    /** The fake's count of a chat request's input: the texts of system, messages and tools, 3 tokens a message and 3 to prime. */
    static int countChat(JsonNode body) {
        int[] n = {3};
        for (String field : List.of("system", "messages", "tools")) {
            JsonNode f = body.path(field);
            texts(f, n);
            if (field.equals("messages")) {
                n[0] += 3 * f.size();
            }
        }
        return n[0];
    }

    private static void texts(JsonNode n, int[] count) {
        if (n.isString()) {
            count[0] += tokens(n.asString());
        } else if (n.isContainer()) {
            for (JsonNode child : n) {
                texts(child, count);
            }
        }
    }

    // ---------------------------------------------------------------- Anthropic

    /**
     * The generated reply of Anthropic's server.
     *
     * @return the reply, or null for a path it generates nothing for
     */
    static Reply anthropic(AnthropicDialect dialect, RecordedRequest r, FakeServer fake) {
        if (is(r, "POST", "/v1/messages/count_tokens")) {
            JsonNode body = body(r);
            if (body == null || !body.path("model").isString()) {
                return Reply.error(400, "invalid_request_error", "model: Field required");
            }
            if (!body.path("messages").isArray()) {
                return Reply.error(400, "invalid_request_error", "messages: Field required");
            }
            ObjectNode root = JSON.createObjectNode();
            root.put("input_tokens", countChat(body));
            return json(200, root);
        }
        if (is(r, "GET", "/v1/models")) {
            return anthropicModels(fake.models(ANTHROPIC_MODELS), query(r));
        }
        return null;
    }

    /** One page of Anthropic's list: {@code limit} (1..1000, default 20) after {@code after_id} or before {@code before_id}. */
    private static Reply anthropicModels(List<ModelInfo> models, Map<String, String> query) {
        int limit = 20;
        if (query.containsKey("limit")) {
            try {
                limit = Integer.parseInt(query.get("limit"));
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                return Reply.error(400, "invalid_request_error",
                        "limit: Input should be greater than or equal to 1 and less than or equal to 1000");
            }
        }
        int from = 0;
        int to = models.size();
        if (query.containsKey("after_id")) {
            from = indexOf(models, query.get("after_id")) + 1;
            to = Math.min(models.size(), from + limit);
        } else if (query.containsKey("before_id")) {
            to = Math.max(0, indexOf(models, query.get("before_id")));
            from = Math.max(0, to - limit);
        } else {
            to = Math.min(models.size(), limit);
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode data = root.putArray("data");
        for (ModelInfo m : models.subList(Math.min(from, to), to)) {
            ObjectNode e = data.addObject();
            e.put("type", "model");
            e.put("id", m.id());
            e.put("display_name", m.displayName() != null ? m.displayName() : m.id());
            e.put("created_at", Instant.ofEpochSecond(CREATED).toString());
            if (m.contextWindow() != null) {
                e.put("max_input_tokens", m.contextWindow());
            }
            if (m.maxOutputTokens() != null) {
                e.put("max_tokens", m.maxOutputTokens());
            }
        }
        root.put("has_more", query.containsKey("before_id") ? from > 0 : to < models.size());
        if (data.isEmpty()) {
            root.putNull("first_id");
            root.putNull("last_id");
        } else {
            root.put("first_id", data.get(0).path("id").asString());
            root.put("last_id", data.get(data.size() - 1).path("id").asString());
        }
        return json(200, root);
    }

    private static int indexOf(List<ModelInfo> models, String id) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).id().equals(id)) {
                return i;
            }
        }
        return models.size() - 1; // an unknown cursor: an empty page after it
    }
}
