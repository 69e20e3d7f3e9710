package dev.alfred.llm.cli;

import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.EmbeddingResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.ModelInfo;
import dev.alfred.llm.TokenCount;
import dev.alfred.llm.ToolCall;
import dev.alfred.llm.config.ProviderRegistry;
import dev.alfred.llm.tools.ToolLoopEvent;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * The one JSON object {@code --json} prints, whatever happened: an answer, or an error. Stateless.
 *
 * <p>An answer: {@code content}, {@code reasoning}, {@code refusal} (empty unless the model refused),
 * {@code model}, {@code finish_reason}, {@code tool_calls}, {@code tools_run} (with a tool loop),
 * {@code usage}, {@code warnings}, {@code timings}. An error: {@code error} with {@code kind},
 * {@code message}, {@code status}, {@code error_type}, {@code retry_after_ms}, and {@code attempts} once a
 * request was sent; {@code content} and {@code reasoning} beside it when the answer was cut. Beside chat:
 * the vectors of {@code --embed}, the count of {@code --count-tokens}, and the catalogue of
 * {@code --list-models} (an array).
 */
final class JsonReport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonReport() {
    }

    /**
     * An answer.
     *
     * @param r               the response
     * @param firstTokenNanos time to the first output, or negative when none came
     * @param totalNanos      the whole turn
     * @param ran             the tools run, or null without a tool loop
     * @param warnings        what the provider ignored or repaired, over every round
     * @return one line of JSON
     */
    static String answer(ChatResponse r, long firstTokenNanos, long totalNanos, List<ToolLoopEvent.ToolFinished> ran,
                         List<String> warnings) {
        ObjectNode root = JSON.createObjectNode();
        root.put("content", r.content());
        root.put("reasoning", r.reasoning());
        root.put("refusal", r.refusal());
        root.put("model", r.model());
        root.put("finish_reason", finishReason(r));
        ArrayNode calls = root.putArray("tool_calls");
        for (ToolCall c : r.toolCalls()) {
            calls.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments())
                    .put("status", lower(c.status().name()));
        }
        if (ran != null) {
            ArrayNode run = root.putArray("tools_run");
            for (ToolLoopEvent.ToolFinished f : ran) {
                run.addObject().put("name", f.call().name()).put("arguments", f.call().arguments()).put("result", f.result())
                        .put("error", f.error());
            }
        }
        if (r.usage() != null) {
            ObjectNode u = root.putObject("usage");
            u.put("prompt_tokens", r.usage().promptTokens());
            u.put("completion_tokens", r.usage().completionTokens());
            u.put("total_tokens", r.usage().totalTokens());
            u.put("cached_tokens", r.usage().cachedTokens());
            u.put("reasoning_tokens", r.usage().reasoningTokens());
        } else {
            root.putNull("usage");
        }
        ArrayNode w = root.putArray("warnings");
        warnings.forEach(w::add);
        ObjectNode t = root.putObject("timings");
        if (firstTokenNanos >= 0) {
            t.put("first_token_ms", firstTokenNanos / 1_000_000.0);
        } else {
            t.putNull("first_token_ms");
        }
        t.put("total_ms", totalNanos / 1_000_000.0);
        return JSON.writeValueAsString(root);
    }

    /**
     * Why the answer ended, in lower case: {@code refusal} whenever the model refused, whatever word the
     * server used for it.
     *
     * @param r the response
     * @return the reason, or null when not reported
     */
    static String finishReason(ChatResponse r) {
        if (r.isRefusal()) {
            return "refusal";
        }
        return r.finishReason() == null ? null : lower(r.finishReason().name());
    }

    /**
     * An error.
     *
     * @param kind      the kind: {@code usage}, {@code authentication}, {@code rate_limit}, {@code quota} …
     * @param message   the one-line message
     * @param e         the library's failure, or null when the failure was not one (a usage error)
     * @param attempts  the requests sent, or 0 when none was (then the field is left out)
     * @param text      the answer's text so far
     * @param reasoning its reasoning so far
     * @return one line of JSON
     */
    static String error(String kind, String message, LlmException e, int attempts, String text, String reasoning) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("kind", kind);
        error.put("message", message);
        if (e != null && e.httpStatus().isPresent()) {
            error.put("status", e.httpStatus().getAsInt());
        } else {
            error.putNull("status");
        }
        error.put("error_type", e == null ? null : e.errorType().orElse(null));
        if (e != null && e.retryAfter().isPresent()) {
            error.put("retry_after_ms", e.retryAfter().get().toMillis());
        } else {
            error.putNull("retry_after_ms");
        }
        if (attempts > 0) {
            error.put("attempts", attempts);
        }
        if (!text.isEmpty() || !reasoning.isEmpty() || e instanceof dev.alfred.llm.StreamInterruptedException) {
            root.put("content", text);
            root.put("reasoning", reasoning);
        }
        return JSON.writeValueAsString(root);
    }

    /**
     * What discovery found.
     *
     * @param registry the registry
     * @return one line of JSON: {@code providers}, {@code decorators}, {@code failures}
     */
    static String providers(ProviderRegistry registry) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode providers = root.putArray("providers");
        for (String id : registry.ids()) {
            providers.addObject().put("id", id).put("origin", registry.origin(id));
        }
        ArrayNode decorators = root.putArray("decorators");
        registry.decorators().forEach(d -> decorators.addObject().put("id", d.id())
                .put("origin", registry.decoratorOrigin(d.id())).put("order", d.order()));
        ArrayNode failures = root.putArray("failures");
        registry.loadFailures().forEach(f -> failures.add(String.valueOf(f)));
        return JSON.writeValueAsString(root);
    }

    /**
     * The vectors of {@code --embed}.
     *
     * @param r          the response
     * @param totalNanos the whole call
     * @return one line of JSON: {@code model}, {@code dimensions}, {@code vectors} (one array of floats per
     *         text, in order, whole), {@code usage} ({@code prompt_tokens}, {@code total_tokens}) and
     *         {@code timings}
     */
    static String embeddings(EmbeddingResponse r, long totalNanos) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", r.model());
        root.put("dimensions", r.dimensions());
        ArrayNode vectors = root.putArray("vectors");
        for (float[] v : r.vectors()) {
            ArrayNode floats = vectors.addArray();
            for (float f : v) {
                floats.add(f);
            }
        }
        root.putObject("usage").put("prompt_tokens", r.usage().promptTokens()).put("total_tokens", r.usage().totalTokens());
        root.putObject("timings").put("total_ms", totalNanos / 1_000_000.0);
        return JSON.writeValueAsString(root);
    }

    /**
     * The count of {@code --count-tokens}.
     *
     * @param count    the count
     * @param provider the provider's id
     * @param model    the model the request named, or null for the provider's default
     * @return one line of JSON: {@code tokens}, {@code kind} ({@code server}, {@code tokenizer} or
     *         {@code estimate}), {@code method}, {@code provider}, {@code model}
     */
    static String tokenCount(TokenCount count, String provider, String model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("tokens", count.tokens());
        root.put("kind", lower(count.kind().name()));
        root.put("method", count.method());
        root.put("provider", provider);
        root.put("model", model);
        return JSON.writeValueAsString(root);
    }

    /**
     * The catalogue of {@code --list-models}.
     *
     * @param models the models
     * @return one line of JSON: an array of {@code id}, {@code display_name}, {@code context_window},
     *         {@code max_output_tokens} (null when unknown), {@code features} (lower case), {@code origin}
     *         ({@code server}, {@code built_in}, {@code configured}, {@code unknown}) and {@code as_of} (the
     *         built-in table's date, else null)
     */
    static String models(List<ModelInfo> models) {
        ArrayNode root = JSON.createArrayNode();
        for (ModelInfo m : models) {
            ObjectNode o = root.addObject();
            o.put("id", m.id());
            o.put("display_name", m.displayName());
            o.put("context_window", m.contextWindow());
            o.put("max_output_tokens", m.maxOutputTokens());
            ArrayNode features = o.putArray("features");
            if (!m.features().isEmpty()) {
                java.util.EnumSet.copyOf(m.features()).forEach(f -> features.add(lower(f.name())));
            }
            o.put("origin", lower(m.origin().name()));
            o.put("as_of", m.asOf() == null ? null : m.asOf().toString());
        }
        return JSON.writeValueAsString(root);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
