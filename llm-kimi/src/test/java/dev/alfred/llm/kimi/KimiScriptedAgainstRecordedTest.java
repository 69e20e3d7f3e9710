package dev.alfred.llm.kimi;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.testkit.CorpusCheck;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Recording;
import dev.alfred.llm.testkit.Recordings;
import dev.alfred.llm.testkit.Reply;
import dev.alfred.llm.testkit.ScriptedStream;
import dev.alfred.llm.testkit.StreamRecording;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The fake server's Kimi dialect against Kimi itself: Moonshot's recorded finish chunk (usage in
 * {@code choices[0].usage}, with its top-level {@code cached_tokens}) and each recorded Kimi error, next to a
 * scripted reply that says the same, folded by the same provider, give the same answer and keep the same
 * unmodelled fields, or the same exception. The one field the fake leaves out on purpose is
 * {@code system_fingerprint}, which Kimi sends only sometimes (kimi-api.md §3).
 */
class KimiScriptedAgainstRecordedTest {

    private final FakeServer server = FakeServer.start(WireDialect.kimi());

    @AfterEach
    void stop() {
        server.close();
    }

    private KimiProvider provider() {
        return KimiProvider.builder().apiKey("sk-kimi-scripted-0123456789abcdef").baseUrl(server.baseUri()).build();
    }

    @Test
    void theScriptedFinishChunkFoldsLikeMoonshotsRecordedOne() {
        Recording r = Recordings.named("kimi/kcli-test_kimi_stream_usage.finish-chunk.sse");
        ScriptedStream script = ScriptedStream.of(List.of()).withModel(r.expect().path("model").asString())
                .withUsage(CorpusCheck.expectedUsage(r, true), ScriptedStream.UsagePlacement.SERVER_DEFAULT);
        server.enqueue(r.reply(Recording.Cut.PER_EVENT)).enqueue(Reply.stream(script));
        try (KimiProvider p = provider()) {
            ChatResponse recorded = StreamRecording.of(p.stream(ChatRequest.of("x"))).assertCompleted();
            ChatResponse scripted = StreamRecording.of(p.stream(ChatRequest.of("x"))).assertCompleted();
            assertEquals(List.of(recorded.content(), recorded.usage(), recorded.finishReason(), recorded.rawFinishReason(),
                    recorded.model()), List.of(scripted.content(), scripted.usage(), scripted.finishReason(),
                    scripted.rawFinishReason(), scripted.model()));
            Set<String> fields = new TreeSet<>(recorded.providerFields().keySet());
            fields.remove("system_fingerprint");
            assertEquals(fields, scripted.providerFields().keySet());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"kimi/issue-kimi-cc-41-rate-limit-reached.json", "kimi/issue-kimi-cli-2011-context-length.json",
            "kimi/issue-kimi-code-1857-exceeded-current-quota.json", "kimi/issue-kimi-k2-5-exceeded-current-quota-403.json"})
    void aScriptedErrorIsTheSameExceptionAsKimisRecordedOne(String file) {
        Recording r = Recordings.named(file);
        server.enqueue(r.reply(Recording.Cut.WHOLE)).enqueue(Reply.error(r.status(), r.expect().path("error_type").asString(),
                r.expect().path("error_message").asString()));
        try (KimiProvider p = provider()) {
            LlmException recorded = assertThrows(LlmException.class, () -> p.chat(ChatRequest.of("x")));
            LlmException scripted = assertThrows(LlmException.class, () -> p.chat(ChatRequest.of("x")));
            assertEquals(List.of(recorded.getClass(), recorded.isRetryable(), recorded.httpStatus(), recorded.errorType()),
                    List.of(scripted.getClass(), scripted.isRetryable(), scripted.httpStatus(), scripted.errorType()), file);
            assertEquals(recorded.getMessage(), scripted.getMessage().replaceFirst(" \\(x-trace-id req_fake\\d+\\)", ""));
            assertEquals(true, scripted.traceId().isPresent(), "the fake names its request in x-trace-id, as Kimi does");
        }
    }
}
