package dev.alfred.llm.testkit;

import dev.alfred.llm.LlmProvider;
import dev.alfred.llm.config.ProviderConfig;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The kit is tested too. The whole kit runs against the small independent {@link MiniProvider}: sound,
 * it passes every rule with none skipped; with each {@link MiniProvider.Defect} switched on, it fails
 * exactly the one rule that defect names, and no other, which shows that every rule catches something
 * no other rule does. The 46 runs share the JVM on a few threads (the kit serialises its JVM-wide rules).
 * The provider's timeouts run on the kit's clock and the server holds its stalls at gates, so no run
 * waits on the wall clock except where a defect makes a rule wait its hang bound out (X1's leaked
 * threads, X2's ignored close); that bound is short here.
 */
class ContractKitSelfTest {

    /** Which defect the kit instance being constructed gets: set by the thread that runs the kit. */
    private static final ThreadLocal<MiniProvider.Defect> DEFECT = new ThreadLocal<>();
    private static final String NOT_REGISTERED = "mini-not-registered";

    /** The whole kit against {@link MiniProvider}, sound or with the defect of the running thread. */
    static class MiniKit extends LlmProviderContract {
        private final MiniProvider.Defect defect = DEFECT.get();

        @Override
        protected LlmProvider createProvider(ProviderTarget target) {
            return new MiniProvider(target, defect);
        }

        @Override
        protected Optional<String> providerId() {
            return Optional.of(defect == MiniProvider.Defect.NOT_REGISTERED ? NOT_REGISTERED : "mini");
        }

        @Override
        protected ProviderConfig discoveryConfig(ProviderTarget target) {
            return ProviderConfig.builder().set("mini.base.url", target.baseUri().toString())
                    .secret("mini.api.key", target.apiKey()).build();
        }

        /** Short, so the defects that make a rule wait for a reaction that never comes (X1, X2) fail fast. */
        @Override
        protected Duration hangBound() {
            return Duration.ofSeconds(3);
        }

        @Override
        protected int earlyCloses() {
            return 10;
        }
    }

    /** What one run of the kit did: the rule ids that failed (with why) and how many were skipped. */
    private record Outcome(Map<String, String> failed, long skipped, long started) {
        Set<String> failedRules() {
            return new TreeSet<>(failed.keySet());
        }
    }

    private static Outcome runKit(MiniProvider.Defect defect) {
        DEFECT.set(defect);
        try {
            Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MiniKit.class)).execute().testEvents();
            Map<String, String> failed = new java.util.TreeMap<>();
            for (Event e : tests.failed().list()) {
                String rule = e.getTestDescriptor().getDisplayName().split(" ")[0];
                String why = e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                        .map(Throwable::toString).orElse("?");
                failed.merge(rule, why, (a, b) -> a);
            }
            return new Outcome(failed, tests.skipped().count(), tests.started().count());
        } finally {
            DEFECT.remove();
        }
    }

    @Test
    void theSoundProviderPassesEveryRuleAndEachDefectFailsOnlyItsOwnRule() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Map<MiniProvider.Defect, Future<Outcome>> runs = new EnumMap<>(MiniProvider.Defect.class);
        Future<Outcome> soundRun;
        try {
            // The sound run first and alone: it warms the JVM up, so the short hang bound holds for the rest.
            soundRun = pool.submit(() -> runKit(null));
            Outcome sound = soundRun.get(10, TimeUnit.MINUTES);
            for (MiniProvider.Defect d : MiniProvider.Defect.values()) {
                runs.put(d, pool.submit(() -> runKit(d)));
            }
            assertEquals(Map.of(), sound.failed(), "the sound provider failed rules");
            assertEquals(0, sound.skipped(), "every rule ran for the sound provider");
            Set<String> allRules = new TreeSet<>();
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<MiniProvider.Defect, Future<Outcome>> r : runs.entrySet()) {
                Outcome o = r.getValue().get(10, TimeUnit.MINUTES);
                allRules.addAll(o.failedRules());
                if (!o.failedRules().equals(Set.of(r.getKey().rule))) {
                    wrong.add(r.getKey() + " should fail only " + r.getKey().rule + " but failed " + o.failed());
                }
            }
            assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
            Set<String> expected = java.util.Arrays.stream(MiniProvider.Defect.values()).map(d -> d.rule)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(45, expected.size(), "one defect per rule");
            assertEquals(expected, allRules, "every rule has a defect only it catches");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyRunCutByALengthBoundIsStillFound() {
        String key = LlmProviderContract.API_KEY;
        assertEquals(Optional.of(key.substring(20, 28)), KeyLeaks.find(key, "error: " + key.substring(20, 28) + "…"));
        assertEquals(Optional.empty(), KeyLeaks.find(key, "error: " + key.substring(20, 27) + "…"));
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> KeyLeaks.assertNone(key, "a message", "x" + key.substring(3, 12)));
        assertTrue(!e.getMessage().contains(key.substring(3, 11)), "the failure does not repeat the run: " + e.getMessage());
    }
}
