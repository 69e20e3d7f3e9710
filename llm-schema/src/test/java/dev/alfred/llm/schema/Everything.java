package dev.alfred.llm.schema;

import dev.alfred.llm.Description;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** One record of every kind the dialects write differently, and the types around it. */
final class Everything {

    private Everything() {
    }

    enum Color { RED, GREEN }

    @Description("a pet")
    sealed interface Pet permits Cat, Dog {
    }

    @TypeName("cat")
    record Cat(String name) implements Pet {
    }

    record Dog(String name, boolean good) implements Pet {
    }

    @Description("a tree")
    record Tree(String name, List<Tree> children) {
    }

    /** Every kind a strict dialect can take. */
    record Kinds(@Description("who") String name, char initial, byte level, short small, Optional<Integer> count,
                 @Fixtures.Nullable Color color, Set<String> tags, Instant at, OffsetDateTime zoned, LocalDate day,
                 OffsetTime time, LocalDateTime local, LocalTime clock, Duration took, UUID id, Pet pet,
                 Optional<Pet> other, @Fixtures.Nullable Tree tree, List<Tree> forest) {
    }

    /** What only plain JSON Schema and Moonshot take: a map. */
    record WithMap(Map<String, List<Integer>> scores) {
    }
}
