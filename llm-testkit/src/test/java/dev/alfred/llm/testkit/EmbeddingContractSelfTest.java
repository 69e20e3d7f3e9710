package dev.alfred.llm.testkit;

import dev.alfred.llm.EmbeddingProvider;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * The embeddings kit is tested too, as the chat kit is ({@link ContractKitSelfTest}): against the small
 * {@link MiniEmbeddingProvider}, sound, it passes every rule with none skipped; with each
 * {@link MiniEmbeddingProvider.Defect}, it fails exactly the rule that defect names, and no other. Only the
 * defect that leaves an exchange open makes its rule wait the (short) hang bound out.
 */
class EmbeddingContractSelfTest {

    private static final ThreadLocal<MiniEmbeddingProvider.Defect> DEFECT = new ThreadLocal<>();

    /** The embeddings kit against {@link MiniEmbeddingProvider}, sound or with the running thread's defect. */
    static class MiniEmbeddingKit extends EmbeddingProviderContract {
        private final MiniEmbeddingProvider.Defect defect = DEFECT.get();

        @Override
        protected EmbeddingProvider createEmbeddingProvider(EmbeddingTarget target) {
            return new MiniEmbeddingProvider(target, defect);
        }

        /** Short, so the defect that leaves an exchange open fails fast. */
        @Override
        protected Duration hangBound() {
            return Duration.ofSeconds(3);
        }
    }

    private record Outcome(Map<String, String> failed, long skipped) {
    }

    private static Outcome runKit(MiniEmbeddingProvider.Defect defect) {
        DEFECT.set(defect);
        try {
            Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(MiniEmbeddingKit.class)).execute()
                    .testEvents();
            Map<String, String> failed = new TreeMap<>();
            for (Event e : tests.failed().list()) {
                String rule = e.getTestDescriptor().getDisplayName().split(" ")[0];
                String why = e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                        .map(Throwable::toString).orElse("?");
                failed.merge(rule, why, (a, b) -> a);
            }
            return new Outcome(failed, tests.skipped().count());
        } finally {
            DEFECT.remove();
        }
    }

    @Test
    void theSoundProviderPassesEveryRuleAndEachDefectFailsOnlyItsOwnRule() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Outcome sound = pool.submit(() -> runKit(null)).get(5, TimeUnit.MINUTES);
            Map<MiniEmbeddingProvider.Defect, Future<Outcome>> runs = new EnumMap<>(MiniEmbeddingProvider.Defect.class);
            for (MiniEmbeddingProvider.Defect d : MiniEmbeddingProvider.Defect.values()) {
                runs.put(d, pool.submit(() -> runKit(d)));
            }
            assertEquals(Map.of(), sound.failed(), "the sound provider failed rules");
            assertEquals(0, sound.skipped(), "every rule ran for the sound provider");
            List<String> wrong = new ArrayList<>();
            Set<String> caught = new TreeSet<>();
            for (Map.Entry<MiniEmbeddingProvider.Defect, Future<Outcome>> r : runs.entrySet()) {
                Outcome o = r.getValue().get(5, TimeUnit.MINUTES);
                caught.addAll(o.failed().keySet());
                if (!o.failed().keySet().equals(Set.of(r.getKey().rule))) {
                    wrong.add(r.getKey() + " should fail only " + r.getKey().rule + " but failed " + o.failed());
                }
            }
            assertTrue(wrong.isEmpty(), () -> String.join("\n", wrong));
            Set<String> expected = Arrays.stream(MiniEmbeddingProvider.Defect.values()).map(d -> d.rule)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(7, expected.size(), "one defect per rule");
            assertEquals(expected, caught, "every rule has a defect only it catches");
        } finally {
            pool.shutdownNow();
        }
    }
}
