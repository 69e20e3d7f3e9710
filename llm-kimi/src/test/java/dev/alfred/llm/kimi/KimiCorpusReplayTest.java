package dev.alfred.llm.kimi;

import dev.alfred.llm.ChatRequest;
import dev.alfred.llm.ChatResponse;
import dev.alfred.llm.ContextWindowExceededException;
import dev.alfred.llm.LlmException;
import dev.alfred.llm.QuotaExceededException;
import dev.alfred.llm.RateLimitException;
import dev.alfred.llm.testkit.CorpusCheck;
import dev.alfred.llm.testkit.FakeServer;
import dev.alfred.llm.testkit.Recording;
import dev.alfred.llm.testkit.Recordings;
import dev.alfred.llm.testkit.StreamRecording;
import dev.alfred.llm.testkit.WireDialect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every real Kimi (Moonshot) exchange of the corpus (llm-testkit's {@code recordings/kimi}, synthetic ones
 * left out) replayed byte for byte through the fake server and folded by the Kimi provider: the stream to
 * the index's {@code expect} ({@link CorpusCheck#foldProblems}) with nothing dropped silently
 * ({@link CorpusCheck#dropProblems}), each error to the exception Kimi meant. The one stream is a fragment
 * (Moonshot's own client test holds only its finish chunk), so it is completed with the {@code [DONE]} the
 * server sends ({@link Recording#needsEndMarker()}). Streams are served one piece per event and in odd byte
 * cuts, bodies whole and in odd cuts.
 */
class KimiCorpusReplayTest {

    /** The exception each recorded error must become: the class, and whether it may be retried. */
    private record Expected(Class<? extends LlmException> type, boolean retryable) {
    }

    private static final Map<String, Expected> ERRORS = Map.of(
            "kimi/issue-kimi-cc-41-rate-limit-reached.json", new Expected(RateLimitException.class, true),
            "kimi/issue-kimi-cli-2011-context-length.json", new Expected(ContextWindowExceededException.class, false),
            "kimi/issue-kimi-code-1857-exceeded-current-quota.json", new Expected(QuotaExceededException.class, false),
            // the quota error as 403 for an inactive account
            "kimi/issue-kimi-k2-5-exceeded-current-quota-403.json", new Expected(QuotaExceededException.class, false));

    private static FakeServer server;

    @BeforeAll
    static void start() {
        server = FakeServer.start(WireDialect.kimi());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> replays() {
        List<Arguments> out = new ArrayList<>();
        for (Recording r : Recordings.groundTruth("kimi")) {
            out.add(Arguments.of(r, r.isStream() ? Recording.Cut.PER_EVENT : Recording.Cut.WHOLE));
            out.add(Arguments.of(r, Recording.Cut.ODD_BYTES));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("replays")
    void replaysAsKimiMeantIt(Recording r, Recording.Cut cut) {
        server.enqueue(r.reply(cut));
        List<String> problems = new ArrayList<>();
        try (KimiProvider p = KimiProvider.builder().apiKey("sk-kimi-corpus-0123456789abcdef").baseUrl(server.baseUri())
                .build()) {
            ChatRequest request = ChatRequest.of("replay " + r.file());
            if (r.isError()) {
                LlmException e = assertThrows(LlmException.class, () -> p.chat(request));
                Expected expected = ERRORS.get(r.file());
                assertNotNull(expected, "no expected exception for " + r.file());
                if (e.getClass() != expected.type() || e.isRetryable() != expected.retryable()) {
                    problems.add("exception: expected " + expected + ", was " + e);
                }
                if (e.httpStatus().orElse(-1) != r.status()) {
                    problems.add("status: expected " + r.status() + ", was " + e.httpStatus());
                }
                if (!e.getMessage().contains(r.expect().path("error_message").asString())) {
                    problems.add("message: the server's message is not in " + e.getMessage());
                }
                if (!r.expect().path("error_type").asString().equals(e.errorType().orElse(null))) {
                    problems.add("type: expected " + r.expect().path("error_type").asString() + ", was " + e.errorType());
                }
                problems.addAll(CorpusCheck.dropProblems(r, null, e));
            } else {
                ChatResponse response = r.isStream() ? StreamRecording.of(p.stream(request)).assertCompleted() : p.chat(request);
                problems.addAll(CorpusCheck.foldProblems(r, response, true));
                problems.addAll(CorpusCheck.dropProblems(r, response, null));
            }
        }
        assertEquals(List.of(), problems, r.file());
    }

    @Test
    void kimiHasGroundTruthAndEveryErrorAJudgement() {
        List<Recording> all = Recordings.groundTruth("kimi");
        assertTrue(all.size() >= 5, all.toString());
        all.stream().filter(Recording::isError).forEach(r -> assertNotNull(ERRORS.get(r.file()), r.file()));
        assertTrue(all.stream().anyMatch(Recording::isStream), "a Kimi stream");
    }
}
