package dev.alfred.llm.schema;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recursive and generic records, java.time, UUID and arrays: schemas and binding. */
class TypeCoverageTest {

    record Tree(String name, List<Tree> children) {
    }

    record Page<T>(List<T> items, int total) {
    }

    record Stops(Page<Fixtures.Stop> page) {
    }

    record When(Instant at, LocalDate day, Duration took, UUID id) {
    }

    record Grid(int[] row, String[] names) {
    }

    @Test
    void aRecursiveRecordIsWrittenWithDefsAndRefs() {
        String s = RecordSchema.of(Tree.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertTrue(s.contains("\"$ref\":\"#\""), s);
        Tree t = RecordSchema.of(Tree.class).parse("{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[]}]}");
        assertEquals(new Tree("a", List.of(new Tree("b", List.of()))), t);
    }

    @Test
    void aGenericRecordIsResolvedFromTheDeclaredType() {
        Stops s = RecordSchema.of(Stops.class).parse("{\"page\":{\"items\":[{\"city\":\"Oslo\",\"nights\":2}],\"total\":1}}");
        assertEquals(new Fixtures.Stop("Oslo", 2), s.page().items().get(0));
    }

    @Test
    void javaTimeAndUuidHaveTheirFormats() {
        String s = RecordSchema.of(When.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertTrue(s.contains("\"at\":{\"type\":\"string\",\"format\":\"date-time\"}"), s);
        assertTrue(s.contains("\"day\":{\"type\":\"string\",\"format\":\"date\"}"), s);
        assertTrue(s.contains("\"took\":{\"type\":\"string\",\"format\":\"duration\"}"), s);
        assertTrue(s.contains("\"id\":{\"type\":\"string\",\"format\":\"uuid\"}"), s);
        When w = RecordSchema.of(When.class).parse("{\"at\":\"2026-11-25T10:15:30Z\",\"day\":\"2026-11-25\","
                + "\"took\":\"PT1M\",\"id\":\"123e4567-e89b-12d3-a456-426614174000\"}");
        assertEquals(Instant.parse("2026-11-25T10:15:30Z"), w.at());
        assertEquals(Duration.ofMinutes(1), w.took());
    }

    @Test
    void arraysAreArrays() {
        Grid g = RecordSchema.of(Grid.class).parse("{\"row\":[1,2],\"names\":[\"a\"]}");
        assertArrayEquals(new int[] {1, 2}, g.row());
        assertArrayEquals(new String[] {"a"}, g.names());
    }
}
