package dev.alfred.llm.openai;

import dev.alfred.llm.ChatDelta;
import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.openai.dialect.Dialect;
import dev.alfred.llm.testkit.CorpusCheck;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Recording;
import dev.alfred.llm.testkit.Recordings;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.StreamRecording;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The fake server's OpenAI dialect against OpenAI itself: a scripted reply saying what a recorded exchange
 * says (the same text pieces, refusal, tool calls, usage, model and finish reason, read from the recording)
 * and the recorded bytes are both folded by the same provider, and must give the same answer — text,
 * reasoning, refusal, tool calls, usage, finish reason, model, citations — and keep the same unmodelled
 * fields (the keys of {@link ChatResponse#providerFields()}, values aside), or for an error the same
 * exception. A fake that invents or drops a field a real OpenAI answer has, or shapes one differently,
 * fails here.
 */
class ScriptedAgainstRecordedTest {

    private final FakeServer server = FakeServer.start(WireDialect.openAi());

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiProvider provider() {
        return OpenAiProvider.builder().apiKey("sk-scripted-0123456789abcdef").baseUrl(server.baseUri()).model("m")
                .dialect(Dialect.OPENAI).build();
    }

    /** The script that says what a recording says: its deltas in its pieces, its model, finish and usage. */
    static ScriptedStream scriptOf(Recording r) {
        List<ChatDelta> deltas = new ArrayList<>();
        String finish = "stop";
        String model = r.expect().path("model").asString();
        for (JsonNode o : r.objects()) {
            JsonNode choice = o.path("choices").path(0);
            JsonNode part = choice.has("delta") ? choice.path("delta") : choice.path("message");
            if (part.path("content").isString() && !part.path("content").asString().isEmpty()) {
                deltas.add(ChatDelta.text(part.path("content").asString()));
            }
            if (part.path("refusal").isString() && !part.path("refusal").asString().isEmpty()) {
                deltas.add(new ChatDelta.Refusal(part.path("refusal").asString()));
            }
            int position = 0;
            for (JsonNode call : part.path("tool_calls")) {
                int index = call.has("index") ? call.path("index").asInt() : position;
                position++;
                String args = call.path("function").path("arguments").asString("");
                if (call.has("id")) {
                    deltas.add(new ChatDelta.ToolCallStart(index, call.path("id").asString(),
                            call.path("function").path("name").asString()));
                }
                if (!args.isEmpty()) {
                    deltas.add(new ChatDelta.ToolCallArguments(index, args));
                }
            }
            if (choice.path("finish_reason").isString()) {
                finish = choice.path("finish_reason").asString();
            }
        }
        return ScriptedStream.of(deltas).withModel(model).withFinishReason(finish)
                .withUsage(CorpusCheck.expectedUsage(r, true), ScriptedStream.UsagePlacement.SERVER_DEFAULT);
    }

    /** What a folded answer says, values of unmodelled fields aside. */
    static Map<String, Object> said(ChatResponse r) {
        Map<String, Object> m = new TreeMap<>();
        m.put("content", r.content());
        m.put("reasoning", r.reasoning());
        m.put("refusal", r.refusal());
        m.put("toolCalls", r.toolCalls());
        m.put("usage", r.usage());
        m.put("finishReason", r.finishReason() + " " + r.rawFinishReason());
        m.put("model", r.model());
        m.put("citations", r.citations().size());
        m.put("providerFields", new TreeSet<>(r.providerFields().keySet()));
        m.put("state", r.state().values().keySet());
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "openai/fantasy-TestOpenAICommon-openai-gpt-5-simple_streaming.sse",
            "openai/fantasy-TestOpenAICommon-openai-gpt-5-tool_streaming.0.sse",
            "openai/fantasy-TestOpenAICommon-openai-gpt-4o-mini-multi_tool_streaming.0.sse",
            "openai/pai-test_run_stream_sync_streams_real_model.0.sse"})
    void aScriptedStreamFoldsLikeTheRecordedOne(String file) {
        Recording r = Recordings.named(file);
        server.enqueue(r.reply(Recording.Cut.PER_EVENT)).enqueue(Reply.stream(scriptOf(r)));
        try (OpenAiProvider p = provider()) {
            ChatResponse recorded = StreamRecording.of(p.stream(ChatRequest.of("x"))).assertCompleted();
            ChatResponse scripted = StreamRecording.of(p.stream(ChatRequest.of("x"))).assertCompleted();
            assertEquals(said(recorded), said(scripted), file);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "openai/fantasy-TestOpenAICommon-openai-gpt-5-simple.json",
            "openai/fantasy-TestOpenAICommon-openai-gpt-4o-multi_tool.0.json"})
    void aScriptedAnswerFoldsLikeTheRecordedOne(String file) {
        Recording r = Recordings.named(file);
        server.enqueue(r.reply(Recording.Cut.WHOLE)).enqueue(Reply.chat(scriptOf(r)));
        try (OpenAiProvider p = provider()) {
            ChatResponse recorded = p.chat(ChatRequest.of("x"));
            ChatResponse scripted = p.chat(ChatRequest.of("x"));
            assertEquals(said(recorded), said(scripted), file);
        }
    }

    /** A 2024 refusal (before OpenAI padded chunks or named the tier): the answer itself, its fields aside. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai/opy-test_parse_pydantic_model_refusal.sse", "openai/opy-test_refusal_logprobs_events.sse"})
    void aScriptedRefusalFoldsLikeTheRecordedOne(String file) {
        Recording r = Recordings.named(file);
        server.enqueue(r.reply(Recording.Cut.PER_EVENT)).enqueue(Reply.stream(scriptOf(r)));
        try (OpenAiProvider p = provider()) {
            Map<String, Object> recorded = said(StreamRecording.of(p.stream(ChatRequest.of("x"))).assertCompleted());
            Map<String, Object> scripted = said(StreamRecording.of(p.stream(ChatRequest.of("x"))).assertCompleted());
            recorded.remove("providerFields");
            scripted.remove("providerFields");
            assertEquals(recorded, scripted, file);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"openai/pai-test_openai_o1_mini_system_role-system.json",
            "openai/issue-gpt-pilot-340-insufficient-quota.json", "openai/issue-continue-9358-invalid-api-key.json",
            "openai/issue-chatbot-ui-102-context-length.json"})
    void aScriptedErrorIsTheSameExceptionAsTheRecordedOne(String file) {
        Recording r = Recordings.named(file);
        server.enqueue(r.reply(Recording.Cut.WHOLE)).enqueue(Reply.error(r.status(),
                r.expect().path("error_type").asString(), r.expect().path("error_message").asString()));
        try (OpenAiProvider p = provider()) {
            LlmException recorded = assertThrows(LlmException.class, () -> p.chat(ChatRequest.of("x")));
            LlmException scripted = assertThrows(LlmException.class, () -> p.chat(ChatRequest.of("x")));
            assertEquals(List.of(recorded.getClass(), recorded.isRetryable(), recorded.httpStatus(), recorded.errorType()),
                    List.of(scripted.getClass(), scripted.isRetryable(), scripted.httpStatus(), scripted.errorType()), file);
            // the scripted reply names its request (x-request-id), as OpenAI does; the quoted one lost it
            assertEquals(recorded.getMessage(), scripted.getMessage().replaceFirst(" \\(x-request-id req_fake\\d+\\)", ""));
            assertEquals(Set.of(true), Set.of(scripted.traceId().isPresent()), "the fake names its request");
        }
    }
}
