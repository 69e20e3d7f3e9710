package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.FinishReason;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.Usage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Judges what a provider folded from a recorded OpenAI-compatible exchange ({@link Recording}) against the
 * corpus: {@link #foldProblems} compares it with the index's {@code expect} (text, reasoning, refusal, tool
 * calls with ids, names, arguments and status, usage as the dialect means it, finish reason, citations,
 * id and model), and {@link #dropProblems} checks that nothing the server sent was dropped silently: every
 * value under the recording's {@code notable_fields} reaches the caller typed, or is kept in
 * {@link ChatResponse#providerFields()} under its path (or a parent's) and named in the response's
 * warning, or, in an error, reaches the exception.
 *
 * <p>Each problem is one line, {@code "<what>: <detail>"}; the part before the colon is stable, so a test
 * can hold a list of known gaps and see them go when fixed. Stateless and thread-safe.
 */
public final class CorpusCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Usage counts this library reads, by their name under a usage object. */
    private static final List<String> USAGE_LEAVES = List.of("prompt_tokens", "completion_tokens", "total_tokens",
            "cached_tokens", "prompt_cache_hit_tokens", "prompt_tokens_details.cached_tokens",
            "prompt_tokens_details.cache_write_tokens", "completion_tokens_details.reasoning_tokens");
    private static final List<String> USAGE_OBJECTS = List.of("usage.", "choices[].usage.", "x_groq.usage.");

    /** A typed place of the response a wire path reaches, and how to see that it did. */
    private record Typed(String path, BiPredicate<ChatResponse, JsonNode> reached) {
    }

    private static final List<Typed> TYPED = typed();

    /**
     * What a decoder may let go without keeping it: OpenAI's {@code obfuscation}, random characters that
     * pad each chunk against length side channels and carry nothing (ChunkDecoder lets them go, as its
     * javadoc says; kept, every OpenAI stream would hold an array of noise and a warning about it).
     */
    public static final java.util.Set<String> LET_GO = java.util.Set.of("obfuscation");

    private static List<Typed> typed() {
        List<Typed> t = new ArrayList<>();
        for (String where : List.of("choices[].delta.", "choices[].message.")) {
            t.add(new Typed(where + "refusal", (r, v) -> !v.isString() || v.asString().isEmpty() || !r.refusal().isEmpty()));
            for (String name : List.of("reasoning_content", "reasoning")) {
                t.add(new Typed(where + name, (r, v) -> v.isString() && (v.asString().isEmpty() || !r.reasoning().isEmpty())));
            }
            t.add(new Typed(where + "reasoning_details", (r, v) -> r.state().values().containsKey("reasoning_details")));
            t.add(new Typed(where + "annotations", (r, v) -> !r.citations().isEmpty()));
            t.add(new Typed(where + "tool_calls[].index", (r, v) -> !r.toolCalls().isEmpty()));
        }
        t.add(new Typed("choices[].message.content[]", (r, v) -> !r.content().isEmpty() || !r.reasoning().isEmpty()));
        for (String usage : USAGE_OBJECTS) {
            for (String leaf : USAGE_LEAVES) {
                t.add(new Typed(usage + leaf, (r, v) -> r.usage() != null));
            }
        }
        return List.copyOf(t);
    }

    private CorpusCheck() {
    }

    /**
     * The usage a provider must report for a recording, as this library means it: the counts as the
     * server sent them (cached from the top-level {@code cached_tokens} or {@code prompt_cache_hit_tokens},
     * else {@code prompt_tokens_details.cached_tokens}), and where the server's completion count leaves
     * the reasoning out (xAI), completion plus reasoning.
     *
     * @param r                           the recording
     * @param completionIncludesReasoning whether the server's completion count includes its reasoning
     * @return the usage, or null when the recording reports none
     */
    public static Usage expectedUsage(Recording r, boolean completionIncludesReasoning) {
        JsonNode u = r.expect().path("usage");
        if (!u.isObject()) {
            return null;
        }
        long prompt = count(u.path("prompt_tokens"));
        long completion = count(u.path("completion_tokens"));
        long total = u.has("total_tokens") ? count(u.path("total_tokens")) : prompt + completion;
        long cached = u.has("cached_tokens") ? count(u.path("cached_tokens"))
                : u.has("prompt_cache_hit_tokens") ? count(u.path("prompt_cache_hit_tokens"))
                : count(u.path("prompt_tokens_details").path("cached_tokens"));
        long cacheWrite = count(u.path("prompt_tokens_details").path("cache_write_tokens"));
        long reasoning = count(u.path("completion_tokens_details").path("reasoning_tokens"));
        if (!completionIncludesReasoning) {
            completion += reasoning;
        }
        return new Usage(prompt, completion, total, cached, cacheWrite, reasoning);
    }

    private static long count(JsonNode n) {
        return n.isNumber() ? Math.max(0, n.asLong()) : 0;
    }

    /**
     * Where a folded answer differs from the recording's {@code expect}.
     *
     * @param r                           an OpenAI-compatible recording of an answer (stream or body)
     * @param response                    what the provider folded (for a failed stream, its partial response)
     * @param completionIncludesReasoning whether the server's completion count includes its reasoning (its
     *                                    dialect says)
     * @return the problems, one a line; empty when it matches
     */
    public static List<String> foldProblems(Recording r, ChatResponse response, boolean completionIncludesReasoning) {
        Objects.requireNonNull(response, "response");
        JsonNode e = r.expect();
        List<String> p = new ArrayList<>();
        text(p, "text", e.path("text"), response.content());
        text(p, "reasoning", e.path("reasoning"), response.reasoning());
        text(p, "refusal", e.path("refusal"), response.refusal());
        boolean failed = !e.path("stream_errors").isEmpty();
        String wireFinish = e.path("finish_reason").asString(null);
        FinishReason finish = finishReason(wireFinish, !response.refusal().isEmpty());
        if (!failed && (finish != response.finishReason() || !Objects.equals(wireFinish, response.rawFinishReason()))) {
            p.add("finish: expected " + finish + " (" + wireFinish + "), was " + response.finishReason() + " ("
                    + response.rawFinishReason() + ")");
        }
        List<String> calls = new ArrayList<>();
        for (JsonNode c : e.path("tool_calls")) {
            calls.add(call(c, finish, failed));
        }
        List<String> got = new ArrayList<>();
        for (ToolCall c : response.toolCalls()) {
            got.add(c.id() + " " + c.name() + " " + c.arguments() + " " + c.status());
        }
        if (!matches(calls, got)) {
            p.add("tool_calls: expected " + calls + ", was " + got);
        }
        Usage usage = expectedUsage(r, completionIncludesReasoning);
        if (!failed && !Objects.equals(usage, response.usage())) {
            p.add("usage: expected " + usage + ", was " + response.usage());
        }
        int citations = e.path("annotations").asInt(0);
        if (citations != response.citations().size()) {
            p.add("citations: expected " + citations + ", was " + response.citations().size());
        }
        String id = e.path("id").asString(null);
        if (id != null && !id.isEmpty() && !id.equals(response.id())) {
            p.add("id: expected " + id + ", was " + response.id());
        }
        String model = e.path("model").asString(null);
        if (model != null && !model.isEmpty() && !model.equals(response.model())) {
            p.add("model: expected " + model + ", was " + response.model());
        }
        return p;
    }

    /** An expected call as "id name arguments STATUS"; an id the server left out is any {@code call_…}. */
    private static String call(JsonNode c, FinishReason finish, boolean failed) {
        String args = c.path("arguments").isString() ? c.path("arguments").asString()
                : JSON.writeValueAsString(c.path("arguments"));
        ToolCall.Status status;
        if (failed || finish == FinishReason.LENGTH || finish == FinishReason.CONTENT_FILTER) {
            status = ToolCall.Status.TRUNCATED;
        } else {
            if (args.isBlank()) {
                args = "{}";
            }
            status = isObject(args) ? ToolCall.Status.COMPLETE : ToolCall.Status.INVALID_JSON;
        }
        String id = c.path("id").asString("");
        return (id.isEmpty() ? "call_*" : id) + " " + c.path("name").asString() + " " + args + " " + status;
    }

    private static boolean matches(List<String> expected, List<String> got) {
        if (expected.size() != got.size()) {
            return false;
        }
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            if (e.startsWith("call_* ") ? !(got.get(i).startsWith("call_") && got.get(i).substring(got.get(i).indexOf(' '))
                    .equals(e.substring(6))) : !e.equals(got.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isObject(String json) {
        try {
            return JSON.readTree(json).isObject();
        } catch (RuntimeException notJson) {
            return false;
        }
    }

    /**
     * The finish reason of the port for a wire value.
     *
     * @param wire    the wire value, or null
     * @param refusal whether the answer is a refusal
     * @return the reason, or null
     */
    public static FinishReason finishReason(String wire, boolean refusal) {
        if (wire == null) {
            return null;
        }
        switch (wire) {
            case "stop": return refusal ? FinishReason.REFUSAL : FinishReason.STOP;
            case "length": return FinishReason.LENGTH;
            case "tool_calls": case "function_call": return FinishReason.TOOL_CALLS;
            case "content_filter": return FinishReason.CONTENT_FILTER;
            default: return FinishReason.OTHER;
        }
    }

    /** Compares a text with its expectation: a string, an object with its length and SHA-256, or absent (empty). */
    private static void text(List<String> p, String what, JsonNode expected, String actual) {
        if (expected.isMissingNode() || expected.isNull()) {
            if (!actual.isEmpty()) {
                p.add(what + ": expected none, was " + abbreviate(actual));
            }
        } else if (expected.isString()) {
            if (!expected.asString().equals(actual)) {
                p.add(what + ": expected " + abbreviate(expected.asString()) + ", was " + abbreviate(actual));
            }
        } else if (!expected.path("sha256").asString().equals(sha256(actual))) {
            p.add(what + ": expected " + expected.path("length").asInt() + " chars starting "
                    + abbreviate(expected.path("starts_with").asString()) + ", was " + abbreviate(actual));
        }
    }

    /**
     * What the server sent under the recording's notable fields that neither reached the answer typed nor
     * was kept in its provider fields (and named in its warning). Values that are null, or empty
     * strings, carry nothing and need no keeping. For a stream that failed, pass its partial response and
     * its failure: the error event's fields must then reach the exception.
     *
     * @param r        the recording
     * @param response what the provider folded (the partial response of a failed stream), or null for an
     *                 error response
     * @param failure  the exception the provider raised, or null
     * @return the problems, one a line ({@code "drop <path>: …"}); empty when nothing was dropped
     */
    public static List<String> dropProblems(Recording r, ChatResponse response, LlmException failure) {
        Map<String, JsonNode> leaves = new LinkedHashMap<>();
        for (String notable : leafPaths(r.notableFields())) {
            for (JsonNode root : r.objects()) {
                collect(root, notable, "", leaves);
            }
        }
        List<String> p = new ArrayList<>();
        for (Map.Entry<String, JsonNode> leaf : leaves.entrySet()) {
            String path = leaf.getKey();
            JsonNode value = leaf.getValue();
            String generic = path.replaceAll("\\[\\d+]", "[]");
            boolean errorField = r.isError() || generic.startsWith("error.") || generic.equals("error");
            if (errorField) {
                if (failure == null || !reaches(failure, value)) {
                    p.add("drop " + generic + ": " + abbreviate(value.toString()) + " did not reach the exception"
                            + (failure == null ? " (none was raised)" : ": " + abbreviate(failure.getMessage())));
                }
                continue;
            }
            if (response == null) {
                p.add("drop " + generic + ": no response to keep it");
                continue;
            }
            Typed typed = typedFor(generic);
            if (typed != null) {
                if (!typed.reached().test(response, value)) {
                    p.add("drop " + generic + ": " + abbreviate(value.toString()) + " did not reach the typed answer");
                }
                continue;
            }
            String key = keptUnder(response, generic);
            if (key == null) {
                p.add("drop " + generic + ": " + abbreviate(value.toString()) + " neither typed nor in providerFields "
                        + response.providerFields().keySet());
            } else if (response.warnings().stream().noneMatch(w -> w.contains("providerFields") && w.contains(key))) {
                p.add("unnamed " + generic + ": kept under " + key + " but no warning names it: " + response.warnings());
            }
        }
        return p;
    }

    /** The notable paths that no other notable path lies under. */
    private static List<String> leafPaths(List<String> notable) {
        List<String> out = new ArrayList<>();
        for (String n : notable) {
            boolean parent = notable.stream().anyMatch(o -> !o.equals(n) && (o.startsWith(n + ".") || o.startsWith(n + "[")));
            if (!parent) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * The concrete leaves under a notable path in one object: arrays marked {@code []} in the path are
     * walked; an object value is walked down to its scalar and array leaves; null and empty-string values
     * are left out.
     */
    private static void collect(JsonNode node, String path, String at, Map<String, JsonNode> out) {
        if (path.isEmpty()) {
            leaves(node, at, out);
            return;
        }
        int dot = path.indexOf('.');
        String segment = dot < 0 ? path : path.substring(0, dot);
        String rest = dot < 0 ? "" : path.substring(dot + 1);
        boolean array = segment.endsWith("[]");
        String name = array ? segment.substring(0, segment.length() - 2) : segment;
        JsonNode child = node.get(name);
        if (child == null) {
            return;
        }
        String here = at.isEmpty() ? name : at + "." + name;
        if (array) {
            if (!child.isArray()) {
                return;
            }
            for (int i = 0; i < child.size(); i++) {
                collect(child.get(i), rest, here + "[" + i + "]", out);
            }
        } else {
            collect(child, rest, here, out);
        }
    }

    private static void leaves(JsonNode node, String at, Map<String, JsonNode> out) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isString() && node.asString().isEmpty()
                || node.isContainer() && node.isEmpty() || LET_GO.contains(at)) {
            return; // carries nothing
        }
        if (node.isObject()) {
            node.properties().forEach(f -> leaves(f.getValue(), at + "." + f.getKey(), out));
            return;
        }
        out.putIfAbsent(at, node);
    }

    private static Typed typedFor(String generic) {
        for (Typed t : TYPED) {
            if (generic.equals(t.path()) || generic.startsWith(t.path() + ".") || generic.startsWith(t.path() + "[")) {
                return t;
            }
        }
        return null;
    }

    /** The provider-field key a path is kept under (the path itself or a parent of it), or null. */
    private static String keptUnder(ChatResponse response, String generic) {
        for (String key : response.providerFields().keySet()) {
            String k = key.replaceAll("\\[\\d+]", "[]");
            if (generic.equals(k) || generic.startsWith(k + ".") || generic.startsWith(k + "[")) {
                return key;
            }
        }
        return null;
    }

    /** Whether an error's value reached the exception: its message, its type, its status, or its details. */
    private static boolean reaches(LlmException failure, JsonNode value) {
        List<LlmException> chain = new ArrayList<>();
        for (Throwable t = failure; t instanceof LlmException l; t = t.getCause()) {
            chain.add(l);
        }
        String text = value.isString() ? value.asString() : value.toString();
        for (LlmException e : chain) {
            if (e.getMessage() != null && e.getMessage().contains(text)) {
                return true;
            }
            if (e.errorType().map(text::equals).orElse(false)) {
                return true;
            }
            for (String detail : e.details().values()) {
                if (detail.contains(text) || containsNode(DETAILS.readTree(detail), value)) {
                    return true;
                }
            }
            if (value.isIntegralNumber() && e.httpStatus().orElse(-1) == value.asInt()
                    || value.isString() && text.equals(String.valueOf(e.httpStatus().orElse(-1)))) {
                return true;
            }
        }
        return false;
    }

    private static final tools.jackson.databind.json.JsonMapper DETAILS = tools.jackson.databind.json.JsonMapper.builder().build();

    /** Whether a JSON tree holds a value anywhere in it. */
    private static boolean containsNode(JsonNode tree, JsonNode value) {
        if (tree.equals(value)) {
            return true;
        }
        for (JsonNode child : tree) {
            if (containsNode(child, value)) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? "'" + s + "'" : "'" + s.substring(0, 100) + "…' (" + s.length() + " chars)";
    }
}
