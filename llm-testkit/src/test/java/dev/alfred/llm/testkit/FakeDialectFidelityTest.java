package dev.alfred.llm.testkit;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.Usage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fake server's scripted dialects checked against what real servers sent (the corpus under
 * {@code recordings/}): for a text stream, a tool-call stream, usage, a whole answer and an error of each
 * dialect, every kind of chunk or event the fake writes carries the fields real ones of that kind carry.
 * A field is <em>invented</em> when no recorded chunk of that kind (same server, same model family) has
 * it, and <em>omitted</em> when every recorded chunk of that kind has it and the fake's has not; either
 * fails, naming the field, unless it is in a short list of allowances, each with the fact-sheet source that
 * backs it where the corpus is thin (Kimi). Paths name arrays of typed objects by their type
 * ({@code content[tool_use].input}), other arrays {@code []}.
 */
class FakeDialectFidelityTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Usage USAGE = new Usage(19, 75, 94, 0, 0, 64);

    // ---------------------------------------------------------------- shapes

    /** The field paths of one JSON object: arrays of objects with a {@code type} by their type, others {@code []}. */
    static Set<String> paths(JsonNode n) {
        Set<String> out = new TreeSet<>();
        paths(n, "", out);
        return out;
    }

    private static void paths(JsonNode n, String at, Set<String> out) {
        if (n.isObject()) {
            n.properties().forEach(f -> {
                String p = at.isEmpty() ? f.getKey() : at + "." + f.getKey();
                out.add(p);
                paths(f.getValue(), p, out);
            });
        } else if (n.isArray()) {
            for (JsonNode e : n) {
                String type = e.isObject() && e.path("type").isString() ? e.path("type").asString() : "";
                paths(e, at + "[" + type + "]", out);
            }
        }
    }

    /** What kind of chat-completions chunk this is. */
    static String openAiKind(JsonNode c) {
        JsonNode choice = c.path("choices").path(0);
        if (c.has("error")) {
            return "error event";
        }
        if (choice.isMissingNode()) {
            return "usage chunk (choices: [])";
        }
        JsonNode delta = choice.path("delta");
        if (choice.path("finish_reason").isString()) {
            return "finish chunk";
        }
        if (delta.has("role")) {
            return "opening chunk" + (delta.has("tool_calls") ? " with a tool call" : "");
        }
        if (delta.has("tool_calls")) {
            return delta.path("tool_calls").path(0).has("id") ? "tool-call start" : "tool-call arguments";
        }
        if (delta.has("refusal")) {
            return "refusal delta";
        }
        if (delta.has("reasoning_content")) {
            return "reasoning delta";
        }
        return delta.has("content") ? "text delta" : "other chunk";
    }

    /** What kind of Messages-API event this is: its type, and its block's or delta's type. */
    static String anthropicKind(JsonNode e) {
        String type = e.path("type").asString();
        switch (type) {
            case "content_block_start":
                return type + ":" + e.path("content_block").path("type").asString();
            case "content_block_delta":
                return type + ":" + e.path("delta").path("type").asString();
            default:
                return type;
        }
    }

    /** The fields of each kind of object, over a list of objects. */
    static Map<String, Set<String>> byKind(List<JsonNode> objects, Function<JsonNode, String> kind) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonNode o : objects) {
            out.computeIfAbsent(kind.apply(o), k -> new TreeSet<>()).addAll(paths(o));
        }
        return out;
    }

    /** The data objects of a scripted stream's text. */
    static List<JsonNode> dataObjects(String sse) {
        List<JsonNode> out = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                    out.add(JSON.readTree(line.substring(6)));
                }
            }
        }
        return out;
    }

    /**
     * Compares the fake's kinds of objects with the recorded ones: each kind the fake writes must have been
     * recorded, with no field outside the union of the recorded ones and none missing of their intersection.
     *
     * @return the differences, one a line; empty when the fake is faithful
     */
    static List<String> differences(Map<String, Set<String>> fake, List<Recording> counterparts,
                                    Function<JsonNode, String> kind, Map<String, String> allowed) {
        return differences(fake, counterparts, counterparts, kind, allowed);
    }

    /**
     * The same, with the fields every object must carry taken from the {@code current} recordings only (a
     * server adds fields over time, so an older recording does not make a newer field optional); for a kind
     * none of them has, from all.
     */
    static List<String> differences(Map<String, Set<String>> fake, List<Recording> counterparts, List<Recording> current,
                                    Function<JsonNode, String> kind, Map<String, String> allowed) {
        Map<String, Set<String>> union = new TreeMap<>();
        Map<String, Set<String>> intersection = intersection(counterparts, kind, union);
        Map<String, Set<String>> currentIntersection = intersection(current, kind, new TreeMap<>());
        List<String> out = new ArrayList<>();
        fake.forEach((k, fields) -> {
            if (!union.containsKey(k)) {
                if (!allowed.containsKey(k)) {
                    out.add(k + ": no recording of " + counterparts + " has such an object");
                }
                return;
            }
            for (String f : fields) {
                if (!union.get(k).contains(f) && !allowed.containsKey(k + " " + f)) {
                    out.add(k + ": invents " + f);
                }
            }
            for (String f : currentIntersection.getOrDefault(k, intersection.get(k))) {
                if (!fields.contains(f) && !allowed.containsKey(k + " " + f)) {
                    out.add(k + ": omits " + f);
                }
            }
        });
        return out;
    }

    /** The fields every recorded object of each kind carries; the union of them goes to {@code union}. */
    private static Map<String, Set<String>> intersection(List<Recording> recordings, Function<JsonNode, String> kind,
                                                         Map<String, Set<String>> union) {
        Map<String, Set<String>> intersection = new TreeMap<>();
        for (Recording r : recordings) {
            for (JsonNode o : r.objects()) {
                Set<String> p = paths(o);
                String k = kind.apply(o);
                union.computeIfAbsent(k, x -> new TreeSet<>()).addAll(p);
                intersection.merge(k, new TreeSet<>(p), (a, b) -> {
                    a.retainAll(b);
                    return a;
                });
            }
        }
        return intersection;
    }

    /** Charm's fantasy cassettes, the most recently recorded Anthropic exchanges of the corpus. */
    private static Predicate<Recording> currentAnthropic() {
        return r -> !r.synthetic() && r.file().startsWith("anthropic/fantasy-");
    }

    private static List<Recording> recorded(String server, String kind, Predicate<Recording> which) {
        List<Recording> out = new ArrayList<>();
        for (Recording r : Recordings.all()) {
            if (r.server().equals(server) && r.kind().equals(kind) && r.endpoint().equals("chat") && which.test(r)) {
                out.add(r);
            }
        }
        assertFalse(out.isEmpty(), "no " + kind + " of " + server + " to compare with");
        return out;
    }

    private static Predicate<Recording> real() {
        return r -> !r.synthetic();
    }

    private static Predicate<Recording> model(String prefix) {
        return r -> !r.synthetic() && r.expect().path("model").asString("").startsWith(prefix);
    }

    private static RecordedRequest askingForUsage() {
        return new RecordedRequest("POST", "/v1/chat/completions", Map.of(),
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    }

    // ---------------------------------------------------------------- OpenAI

    @Test
    void openAisTextStreamCarriesTheFieldsOfARealGpt5Stream() {
        ScriptedStream s = ScriptedStream.ofText("Olá", "!").withModel("gpt-5-2025-08-07")
                .withUsage(USAGE, ScriptedStream.UsagePlacement.SERVER_DEFAULT);
        String body = WireDialect.openAi().streamBody(s, askingForUsage());
        Map<String, Set<String>> fake = byKind(dataObjects(body), FakeDialectFidelityTest::openAiKind);
        assertEquals(Set.of("finish chunk", "opening chunk", "text delta", "usage chunk (choices: [])"), fake.keySet());
        assertEquals(List.of(), differences(fake, recorded("openai", "stream", model("gpt-5")),
                FakeDialectFidelityTest::openAiKind, Map.of()));
    }

    @Test
    void openAisToolCallStreamCarriesTheFieldsOfARealGpt4oMiniStream() {
        ScriptedStream s = ScriptedStream.ofToolCall("call_eKRQDHJdZUhEXo1K1cobzFrl", "weather", "{\"", "location",
                "\":\"", "Florence", "\"}").withModel("gpt-4o-mini-2024-07-18")
                .withUsage(USAGE, ScriptedStream.UsagePlacement.SERVER_DEFAULT);
        String body = WireDialect.openAi().streamBody(s, askingForUsage());
        Map<String, Set<String>> fake = byKind(dataObjects(body), FakeDialectFidelityTest::openAiKind);
        assertEquals(Set.of("finish chunk", "opening chunk with a tool call", "tool-call arguments",
                "usage chunk (choices: [])"), fake.keySet(), "a stream that starts with a call opens with it");
        assertEquals(List.of(), differences(fake, recorded("openai", "stream", model("gpt-4o-mini")),
                FakeDialectFidelityTest::openAiKind, Map.of()));
    }

    @Test
    void openAisWholeAnswersCarryTheFieldsOfRealOnes() {
        ScriptedStream text = ScriptedStream.ofText("Olá!").withModel("gpt-5-2025-08-07").withUsage(USAGE,
                ScriptedStream.UsagePlacement.SERVER_DEFAULT);
        Map<String, Set<String>> fake = byKind(List.of(JSON.readTree(WireDialect.openAi().chatBody(text))), o -> "body");
        assertEquals(List.of(), differences(fake, recorded("openai", "body", model("gpt-5")), o -> "body", Map.of()));

        ScriptedStream tools = ScriptedStream.of(List.of(new ChatDelta.ToolCallStart(0, "call_1", "add"),
                new ChatDelta.ToolCallArguments(0, "{\"a\":2}"), new ChatDelta.ToolCallStart(1, "call_2", "multiply"),
                new ChatDelta.ToolCallArguments(1, "{\"a\":3}"))).withFinishReason("tool_calls").withModel("gpt-4o-2024-08-06");
        JsonNode body = JSON.readTree(WireDialect.openAi().chatBody(tools));
        assertTrue(body.path("choices").path(0).path("message").path("content").isNull(), "a tool-call-only answer's content is null");
        assertEquals(List.of(), differences(byKind(List.of(body), o -> "body"),
                recorded("openai", "body", model("gpt-4o-2024-08-06")), o -> "body", Map.of()));
    }

    @Test
    void openAisErrorBodyCarriesTheFieldsOfRealOnes() {
        WireDialect d = WireDialect.openAi();
        JsonNode body = JSON.readTree(d.errorBody(400, d.errorTypeFor(400), "Unsupported value"));
        assertEquals(List.of(), differences(byKind(List.of(body), o -> "error"), recorded("openai", "error", real()),
                o -> "error", Map.of()));
    }

    @Test
    void openAiSendsNoReasoningNorKimisCachedTokensAndARequestId() {
        ScriptedStream s = ScriptedStream.of(List.of(ChatDelta.reasoning("hm"), ChatDelta.text("ok")))
                .withUsage(new Usage(9, 4, 13, 5, 0, 2), ScriptedStream.UsagePlacement.TOP_LEVEL);
        String stream = WireDialect.openAi().streamBody(s, askingForUsage());
        assertFalse(stream.contains("reasoning_content"), stream);
        for (JsonNode c : dataObjects(stream)) {
            assertFalse(c.path("usage").has("cached_tokens"), "Kimi's top-level cached_tokens: " + c);
        }
        assertFalse(WireDialect.openAi().chatBody(s).contains("reasoning_content"));
        assertEquals("x-request-id", WireDialect.openAi().requestIdHeader());
        assertEquals("x-trace-id", WireDialect.kimi().requestIdHeader());
        assertEquals("request-id", WireDialect.anthropic().requestIdHeader());
    }

    // ---------------------------------------------------------------- Kimi

    /**
     * Kimi is thin in the corpus (one real finish chunk, the rest synthetic fixtures kept for shape), so the
     * fields kimi-api.md documents from live captures are allowed beyond it.
     */
    private static final Map<String, String> KIMI_ALLOWED = Map.of(
            "finish chunk choices[].usage.completion_tokens_details", "kimi-api.md §4: kimi-k3 capture, thinking models",
            "finish chunk choices[].usage.completion_tokens_details.reasoning_tokens", "kimi-api.md §4: kimi-k3 capture",
            "finish chunk choices[].usage.prompt_tokens_details", "kimi-api.md §3/§4: newer models, capture",
            "finish chunk choices[].usage.prompt_tokens_details.cached_tokens", "kimi-api.md §3/§4: newer models, capture",
            "opening chunk choices[].delta.content", "kimi-api.md §4 (kimi-k3 capture): the first delta is"
                    + " {\"role\":\"assistant\",\"content\":\"\"}; the synthetic fixture opens with reasoning instead",
            "opening chunk choices[].delta.reasoning_content", "the synthetic fixture's first delta carries reasoning;"
                    + " the capture's carries none (kimi-api.md §4)",
            "reasoning delta object", "kimi-api.md §4: every chunk names its object (as the real finish chunk does)",
            "text delta object", "kimi-api.md §4: every chunk names its object (as the real finish chunk does)",
            "opening chunk object", "kimi-api.md §4: every chunk names its object (as the real finish chunk does)");

    @Test
    void kimisStreamCarriesTheFieldsKimiSends() {
        ScriptedStream s = ScriptedStream.of(List.of(ChatDelta.reasoning("The"), ChatDelta.text("OK")))
                .withModel("kimi-k2-turbo-preview").withUsage(new Usage(8, 11, 19, 8, 0, 3),
                        ScriptedStream.UsagePlacement.SERVER_DEFAULT);
        Map<String, Set<String>> fake = byKind(dataObjects(WireDialect.kimi().streamBody(s)), FakeDialectFidelityTest::openAiKind);
        assertEquals(List.of(), differences(fake, recorded("kimi", "stream", r -> true), FakeDialectFidelityTest::openAiKind,
                KIMI_ALLOWED));
        Set<String> needed = new TreeSet<>();
        for (String u : differences(fake, recorded("kimi", "stream", r -> true), FakeDialectFidelityTest::openAiKind, Map.of())) {
            needed.add(u.replaceFirst(": (invents|omits) ", " ").replaceFirst(": no recording.*", ""));
        }
        assertEquals(new TreeSet<>(KIMI_ALLOWED.keySet()), needed, "every allowance is needed, and only those");
        assertTrue(fake.get("finish chunk").contains("choices[].usage.cached_tokens"), "Kimi's own top-level cached_tokens");
    }

    @Test
    void kimisErrorBodyCarriesTheFieldsKimiSends() {
        WireDialect d = WireDialect.kimi();
        JsonNode body = JSON.readTree(d.errorBody(429, d.errorTypeFor(429), "rate limit reached"));
        assertEquals(List.of(), differences(byKind(List.of(body), o -> "error"), recorded("kimi", "error", real()),
                o -> "error", Map.of()));
    }

    // ---------------------------------------------------------------- Anthropic

    private static List<JsonNode> anthropicEvents(String sse) {
        return dataObjects(sse);
    }

    @Test
    void anthropicsTextAndToolStreamCarriesTheFieldsOfRealOnes() {
        ScriptedStream s = ScriptedStream.of(List.of(ChatDelta.text("I'll get the weather"), ChatDelta.text(" for you."),
                new ChatDelta.ToolCallStart(0, "toolu_01N2eM4V43kGCDkq2Lw7ChWQ", "weather"),
                new ChatDelta.ToolCallArguments(0, "{\"locati"), new ChatDelta.ToolCallArguments(0, "on\": \"Florence\"}")))
                .withFinishReason("tool_calls").withModel("claude-sonnet-4-20250514")
                .withUsage(new Usage(394, 67, 461, 0, 0, 0), ScriptedStream.UsagePlacement.SERVER_DEFAULT);
        Map<String, Set<String>> fake = byKind(anthropicEvents(WireDialect.anthropic().streamBody(s)),
                FakeDialectFidelityTest::anthropicKind);
        assertEquals(List.of(), differences(fake, recorded("anthropic", "stream", real()),
                recorded("anthropic", "stream", currentAnthropic()), FakeDialectFidelityTest::anthropicKind, Map.of()));
    }

    @Test
    void anthropicsThinkingStreamCarriesTheFieldsOfRealOnes() {
        ScriptedStream s = ScriptedStream.of(List.of(ChatDelta.reasoning("Let me think"), ChatDelta.text("Hi")))
                .withModel("claude-sonnet-4-20250514");
        Map<String, Set<String>> fake = byKind(anthropicEvents(WireDialect.anthropic().streamBody(s)),
                FakeDialectFidelityTest::anthropicKind);
        assertEquals(List.of(), differences(fake, recorded("anthropic", "stream", real()),
                recorded("anthropic", "stream", currentAnthropic()), FakeDialectFidelityTest::anthropicKind, Map.of()));
    }

    @Test
    void anthropicsWholeMessageCarriesTheFieldsOfRealOnes() {
        ScriptedStream s = ScriptedStream.of(List.of(ChatDelta.text("I'll add them."),
                new ChatDelta.ToolCallStart(0, "toolu_01StBeRxDEwsqcc3arbDgpS9", "add"),
                new ChatDelta.ToolCallArguments(0, "{\"a\":2,\"b\":3}"))).withFinishReason("tool_calls")
                .withModel("claude-sonnet-4-20250514").withUsage(new Usage(507, 137, 644, 0, 0, 0),
                        ScriptedStream.UsagePlacement.SERVER_DEFAULT);
        JsonNode body = JSON.readTree(WireDialect.anthropic().chatBody(s));
        assertEquals(List.of(), differences(byKind(List.of(body), o -> "message"), recorded("anthropic", "body", real()),
                recorded("anthropic", "body", currentAnthropic()), o -> "message", Map.of()));
    }

    @Test
    void anthropicsErrorsCarryTheFieldsOfRealOnesAndARequestId() {
        WireDialect d = WireDialect.anthropic();
        JsonNode body = JSON.readTree(d.errorBody(529, "overloaded_error", "Overloaded", "req_011CZAYwiDg6Eqv7HiBNWoE5"));
        assertEquals(List.of(), differences(byKind(List.of(body), o -> "error"), recorded("anthropic", "error", real()),
                o -> "error", Map.of()));
        assertEquals("req_011CZAYwiDg6Eqv7HiBNWoE5", body.path("request_id").asString());
        JsonNode event = JSON.readTree(d.errorEvent("overloaded_error", "Overloaded").split("data: ", 2)[1]);
        assertEquals(List.of(), differences(byKind(List.of(event), FakeDialectFidelityTest::anthropicKind),
                recorded("anthropic", "stream", real()), FakeDialectFidelityTest::anthropicKind, Map.of()));
        assertTrue(Recordings.named("anthropic/issue-anthropic-sdk-typescript-616-overloaded.json").headers()
                .containsKey(d.requestIdHeader()), "the recorded error names its request in the header the fake sends");
    }

    @Test
    void anthropicAlwaysSendsUsageAndNothingAfterAnError() {
        WireDialect d = WireDialect.anthropic();
        for (ScriptedStream s : List.of(ScriptedStream.ofText("a").withUsage(null, ScriptedStream.UsagePlacement.NONE),
                ScriptedStream.ofText("a").withUsage(USAGE, ScriptedStream.UsagePlacement.NONE))) {
            for (JsonNode e : anthropicEvents(d.streamBody(s))) {
                String kind = anthropicKind(e);
                if (kind.equals("message_start")) {
                    assertTrue(e.path("message").path("usage").isObject(), "message_start without usage: " + e);
                }
                if (kind.equals("message_delta")) {
                    assertTrue(e.path("usage").isObject(), "message_delta without usage: " + e);
                }
            }
            assertTrue(JSON.readTree(d.chatBody(s)).path("usage").isObject(), "a message without usage");
        }
        String failed = d.streamBody(ScriptedStream.ofText("part").withRawEvent(d.errorEvent("overloaded_error", "Overloaded")));
        assertTrue(failed.strip().endsWith("\"message\":\"Overloaded\"}}"), "the error event ends the stream: " + failed);
        assertFalse(failed.contains("message_stop"), failed);
        String midway = d.streamBody(ScriptedStream.ofText("a", "b", "c").withRawEventAt(1, d.errorEvent("api_error", "boom")));
        assertFalse(midway.contains("\"text\":\"b\""), "nothing after an error event: " + midway);
    }
}
