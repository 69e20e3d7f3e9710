package dev.alfred.llm.schema;

import dev.alfred.llm.Description;
import dev.alfred.llm.schema.Everything.Kinds;
import dev.alfred.llm.schema.Everything.WithMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each dialect's bytes for every kind of component (kept in {@code src/test/resources/schemas}, each line
 * reviewed against its server's documented subset), and the limits, measured to the unit at their bounds.
 */
class SchemaWriterTest {

    private static String golden(String name) throws IOException {
        try (InputStream in = SchemaWriterTest.class.getResourceAsStream("/schemas/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SchemaWriter.Written write(Class<?> type, SchemaDialect d, SchemaWriter.Limits limits) {
        return SchemaWriter.write(ShapeReader.read(type), d, limits);
    }

    private static SchemaWriter.Limits limits(int properties, int depth, int chars, int enumValues, int largeEnum,
                                              int largeEnumChars, int optional, int unions) {
        return new SchemaWriter.Limits(properties, depth, chars, enumValues, largeEnum, largeEnumChars, optional, unions);
    }

    @Test
    void everyDialectWritesEveryKindAsItsServerDocumentsIt() throws IOException {
        for (SchemaDialect d : SchemaDialect.values()) {
            assertEquals(golden("kinds-" + d), write(Kinds.class, d, SchemaWriter.Limits.NONE).json(), d.toString());
        }
        assertEquals(golden("kinds-STANDARD"), RecordSchema.of(Kinds.class).jsonSchema(SchemaDialect.STANDARD).json());
        assertEquals(golden("kinds-OPENAI_STRICT"), RecordSchema.of(Kinds.class).jsonSchema(SchemaDialect.OPENAI_STRICT)
                .json());
        assertEquals(golden("kinds-MOONSHOT"), RecordSchema.of(Kinds.class).jsonSchema(SchemaDialect.MOONSHOT).json());
        assertEquals(golden("map-STANDARD"), RecordSchema.of(WithMap.class).jsonSchema(SchemaDialect.STANDARD).json());
        assertEquals(golden("map-MOONSHOT"), RecordSchema.of(WithMap.class).jsonSchema(SchemaDialect.MOONSHOT).json());
    }

    @Test
    void whatADialectCannotTakeIsNamedAndNeverWritten() {
        assertEquals(List.of("Tree contains itself, which Anthropic's strict mode cannot express"),
                write(Kinds.class, SchemaDialect.ANTHROPIC, SchemaWriter.Limits.NONE).problems());
        assertEquals(List.of("WithMap.scores: a Map cannot be expressed in ANTHROPIC, which wants additionalProperties:"
                + " false on every object; use a List of records"), write(WithMap.class, SchemaDialect.ANTHROPIC,
                SchemaWriter.Limits.NONE).problems());
        assertFalse(RecordSchema.of(Kinds.class).fits(SchemaDialect.ANTHROPIC));
        assertTrue(RecordSchema.of(Kinds.class).fits(SchemaDialect.OPENAI_STRICT));
        assertFalse(RecordSchema.of(WithMap.class).fits(SchemaDialect.OPENAI_STRICT));
        assertTrue(RecordSchema.of(WithMap.class).fits(SchemaDialect.MOONSHOT));
        for (SchemaDialect d : SchemaDialect.values()) {
            assertTrue(write(Kinds.class, d, SchemaWriter.Limits.NONE).problems().isEmpty() == (d != SchemaDialect.ANTHROPIC));
        }
    }

    record Three(String a, String b, String c) {
    }

    @Test
    void propertiesDepthAndCharactersAreCountedToTheUnit() {
        assertEquals(List.of(), write(Three.class, SchemaDialect.OPENAI_STRICT, limits(3, 1, 3, 0, 0, 0, 0, 0)).problems());
        assertEquals(List.of("Three: it has 3 properties, over the limit of 2"),
                write(Three.class, SchemaDialect.OPENAI_STRICT, limits(2, 1, 3, 0, 0, 0, 0, 0)).problems());
        assertEquals(List.of("Three: it nests 1 levels deep, over the limit of 0"),
                write(Three.class, SchemaDialect.OPENAI_STRICT, limits(3, 0, 3, 0, 0, 0, 0, 0)).problems());
        assertEquals(List.of("Three: its property names, definition names and enum and const values come to 3"
                + " characters, over the limit of 2"), write(Three.class, SchemaDialect.OPENAI_STRICT,
                limits(3, 1, 2, 0, 0, 0, 0, 0)).problems());
    }

    record Colors(Everything.Color c1, Everything.Color c2) {
    }

    @Test
    void enumValuesAndLargeEnumsAreCountedToTheUnit() {
        SchemaWriter.Limits fits = limits(2, 1, 28, 4, 1, 8, 0, 0);
        assertEquals(List.of(), write(Colors.class, SchemaDialect.OPENAI_STRICT, fits).problems());
        assertEquals(List.of("Colors: it has 4 enum values, over the limit of 3"), write(Colors.class,
                SchemaDialect.OPENAI_STRICT, limits(2, 1, 28, 3, 2, 8, 0, 0)).problems());
        assertEquals(List.of("Colors: its property names, definition names and enum and const values come to 20"
                + " characters, over the limit of 19"), write(Colors.class, SchemaDialect.OPENAI_STRICT,
                limits(2, 1, 19, 4, 2, 8, 0, 0)).problems());
        List<String> large = write(Colors.class, SchemaDialect.OPENAI_STRICT, limits(2, 1, 28, 4, 1, 7, 0, 0)).problems();
        assertEquals(2, large.size(), large.toString());
        assertEquals("Color: an enum of 2 values and 8 characters, over the limit of 7 characters for an enum of more"
                + " than 1 values", large.get(0));
        assertEquals(List.of(), write(Colors.class, SchemaDialect.OPENAI_STRICT, limits(2, 1, 28, 4, 2, 7, 0, 0))
                .problems(), "an enum of exactly the large size is not large");
    }

    record Loose(Optional<String> a, @Fixtures.Nullable String b, String c, Everything.Pet pet) {
    }

    @Test
    void optionalPropertiesAndUnionsAreCountedToTheUnit() {
        SchemaWriter.Written anthropic = write(Loose.class, SchemaDialect.ANTHROPIC, limits(99, 9, 99, 9, 9, 9, 2, 1));
        assertEquals(List.of(), anthropic.problems());
        assertEquals(2, anthropic.optional());
        assertEquals(1, anthropic.unions());
        assertEquals(List.of("Loose: it has 2 optional properties, over the limit of 1",
                "Loose: it has 1 unions (anyOf or a type with null), over the limit of 0"),
                write(Loose.class, SchemaDialect.ANTHROPIC, limits(99, 9, 99, 9, 9, 9, 1, 0)).problems());
        SchemaWriter.Written openAi = write(Loose.class, SchemaDialect.OPENAI_STRICT, SchemaWriter.Limits.NONE);
        assertEquals(0, openAi.optional(), "OpenAI requires every property");
        assertEquals(3, openAi.unions(), "two types with null and one anyOf");
        SchemaWriter.Written counted = write(Loose.class, SchemaDialect.OPENAI_STRICT, limits(9, 3, 32, 0, 0, 0, 0, 3));
        assertEquals(List.of(), counted.problems(), "a b c pet, type cat name, type Dog name good: 9 properties, 32 characters, 3 deep");
        assertEquals(1, write(Loose.class, SchemaDialect.OPENAI_STRICT, limits(8, 3, 32, 0, 0, 0, 0, 3)).problems().size());
        assertEquals(1, write(Loose.class, SchemaDialect.OPENAI_STRICT, limits(9, 2, 32, 0, 0, 0, 0, 3)).problems().size());
        assertEquals(1, write(Loose.class, SchemaDialect.OPENAI_STRICT, limits(9, 3, 31, 0, 0, 0, 0, 3)).problems().size());
    }

    record Forest(List<Everything.Tree> trees) {
    }

    @Test
    void definitionsAreCountedOnceWithTheirNames() {
        SchemaWriter.Written w = write(Forest.class, SchemaDialect.OPENAI_STRICT, limits(3, 3, 21, 0, 0, 0, 0, 0));
        assertEquals(List.of(), w.problems(), "trees, Tree, name, children: 21 characters, 3 properties, 3 deep");
        assertEquals(3, write(Forest.class, SchemaDialect.OPENAI_STRICT, limits(2, 2, 20, 0, 0, 0, 0, 0)).problems()
                .size());
        assertEquals("{\"type\":\"object\",\"properties\":{\"trees\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/Tree\"}}},"
                + "\"required\":[\"trees\"],\"additionalProperties\":false,\"$defs\":{\"Tree\":{\"type\":\"object\","
                + "\"description\":\"a tree\",\"properties\":{\"name\":{\"type\":\"string\"},\"children\":{\"type\":\"array\","
                + "\"items\":{\"$ref\":\"#/$defs/Tree\"}}},\"required\":[\"name\",\"children\"],\"additionalProperties\":false}}}",
                w.json());
    }

    sealed interface Expr permits Num, Add {
    }

    record Num(int value) implements Expr {
    }

    @Description("a sum")
    record Add(Expr left, Expr right) implements Expr {
    }

    record Formula(@Description("the formula") Expr expr) {
    }

    @Test
    void aRecursiveAlternativeIsADefinitionCarryingItsDiscriminator() {
        String s = RecordSchema.of(Formula.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertEquals("{\"type\":\"object\",\"properties\":{\"expr\":{\"description\":\"the formula\",\"anyOf\":[{\"type\":"
                + "\"object\",\"properties\":{\"type\":{\"type\":\"string\",\"const\":\"Num\"},\"value\":{\"type\":\"integer\"}},"
                + "\"required\":[\"type\",\"value\"],\"additionalProperties\":false},{\"$ref\":\"#/$defs/Add_Add\"}]}},"
                + "\"required\":[\"expr\"],\"additionalProperties\":false,\"$defs\":{\"Add_Add\":{\"type\":\"object\","
                + "\"description\":\"a sum\",\"properties\":{\"type\":{\"type\":\"string\",\"const\":\"Add\"},\"left\":{\"anyOf\":"
                + "[{\"type\":\"object\",\"properties\":{\"type\":{\"type\":\"string\",\"const\":\"Num\"},\"value\":{\"type\":"
                + "\"integer\"}},\"required\":[\"type\",\"value\"],\"additionalProperties\":false},{\"$ref\":\"#/$defs/Add_Add\"}]},"
                + "\"right\":{\"anyOf\":[{\"type\":\"object\",\"properties\":{\"type\":{\"type\":\"string\",\"const\":\"Num\"},"
                + "\"value\":{\"type\":\"integer\"}},\"required\":[\"type\",\"value\"],\"additionalProperties\":false},{\"$ref\":"
                + "\"#/$defs/Add_Add\"}]}},\"required\":[\"type\",\"left\",\"right\"],\"additionalProperties\":false}}}", s);
        Formula f = RecordSchema.of(Formula.class).parse("{\"expr\":{\"type\":\"Add\",\"left\":{\"type\":\"Num\",\"value\":1},"
                + "\"right\":{\"type\":\"Add\",\"left\":{\"type\":\"Num\",\"value\":2},\"right\":{\"type\":\"Num\",\"value\":3}}}}");
        assertEquals(new Formula(new Add(new Num(1), new Add(new Num(2), new Num(3)))), f);
        Add root = RecordSchema.of(Add.class).parse("{\"left\":{\"type\":\"Num\",\"value\":1},\"right\":{\"type\":\"Num\","
                + "\"value\":2}}");
        assertEquals(new Add(new Num(1), new Num(2)), root);
        assertTrue(RecordSchema.of(Add.class).jsonSchema(SchemaDialect.STANDARD).json().contains("\"$defs\":{\"Add_Add\":"),
                "the root as an alternative is a definition of its own, with its discriminator");
    }

    static final class Other {
        private Other() {
        }

        record Tree(String label, List<Tree> kids) {
        }
    }

    record TwoTrees(@Description("one") Everything.Tree a, @Fixtures.Nullable Other.Tree b) {
    }

    @Test
    void twoRecordsOfOneNameGetTwoDefinitionsAndARefTakesTheComponentsDescription() {
        String s = RecordSchema.of(TwoTrees.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertTrue(s.startsWith("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/Tree\",\"description\":"
                + "\"one\"},\"b\":{\"anyOf\":[{\"$ref\":\"#/$defs/Tree_2\"},{\"type\":\"null\"}]}}"), s);
        assertTrue(s.contains("\"$defs\":{\"Tree\":{\"type\":\"object\",\"description\":\"a tree\",\"properties\":{\"name\":"), s);
        assertTrue(s.contains("\"Tree_2\":{\"type\":\"object\",\"properties\":{\"label\":"), s);
        String moonshot = RecordSchema.of(TwoTrees.class).jsonSchema(SchemaDialect.MOONSHOT).json();
        assertTrue(moonshot.contains("\"b\":{\"$ref\":\"#/$defs/Tree_2\"}"), "no null for Moonshot: " + moonshot);
        String described = SchemaWriter.write(ShapeReader.read(Described.class), SchemaDialect.STANDARD,
                SchemaWriter.Limits.NONE).json();
        assertTrue(described.contains("\"t\":{\"description\":\"maybe\",\"anyOf\":[{\"$ref\":\"#/$defs/Tree\"},{\"type\":"
                + "\"null\"}]}"), described);
    }

    record Described(@Description("maybe") Optional<Everything.Tree> t) {
    }

    @Test
    void dialectsSayWhetherTheyAreStrict() {
        assertTrue(SchemaDialect.OPENAI_STRICT.isStrict());
        assertTrue(SchemaDialect.ANTHROPIC.isStrict());
        assertFalse(SchemaDialect.STANDARD.isStrict());
        assertFalse(SchemaDialect.MOONSHOT.isStrict());
        assertEquals(new SchemaWriter.Limits(5000, 10, 120_000, 1000, 250, 15_000, Integer.MAX_VALUE, Integer.MAX_VALUE),
                SchemaWriter.Limits.OPENAI, "OpenAI's documented limits");
        assertEquals(24, SchemaWriter.Limits.ANTHROPIC.optional());
        assertEquals(16, SchemaWriter.Limits.ANTHROPIC.unions());
        assertEquals(SchemaWriter.Limits.NONE, SchemaWriter.Limits.of(SchemaDialect.MOONSHOT));
        assertEquals(SchemaWriter.Limits.NONE, SchemaWriter.Limits.of(SchemaDialect.STANDARD));
        assertEquals(SchemaWriter.Limits.ANTHROPIC, SchemaWriter.Limits.of(SchemaDialect.ANTHROPIC));
    }
}
