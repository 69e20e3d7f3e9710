package dev.alfred.llm.schema;

import dev.alfred.llm.Description;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generics resolved from where they are declared, discriminators, and the types that are refused. */
class ShapeReaderTest {

    record Page<T>(List<T> items, T first) {
    }

    record Box<T>(T[] items) {
    }

    record Pages(Page<Fixtures.Stop> stops, Page<String> names, Box<List<String>> lists, Box<String> words,
                 Page<Page<Integer>> nested) {
    }

    private record Hidden(String secret) {
    }

    @TypeField("kind")
    sealed interface Figure permits Circle, Square {
    }

    @TypeName("circle")
    record Circle(double radius) implements Figure {
    }

    record Square(double side, String type) implements Figure {
    }

    record Drawing(Figure shape) {
    }

    sealed interface Clash permits Clashing {
    }

    record Clashing(String type) implements Clash {
    }

    record UsesClash(Clash c) {
    }

    sealed interface Twins permits TwinA, TwinB {
    }

    @TypeName("twin")
    record TwinA(int a) implements Twins {
    }

    @TypeName("twin")
    record TwinB(int b) implements Twins {
    }

    record UsesTwins(Twins t) {
    }

    sealed interface Generic<T> permits Holder {
    }

    record Holder(String x) implements Generic<String> {
    }

    record UsesGeneric(Generic<String> g) {
    }

    record Raw(@SuppressWarnings("rawtypes") Page page) {
    }

    record Wild(List<? extends Number> numbers) {
    }

    record Nested(Optional<Optional<String>> twice) {
    }

    sealed interface Mixed permits Plain, Mixed.Klass {
        final class Klass implements Mixed {
        }
    }

    record Plain(int x) implements Mixed {
    }

    record UsesMixed(Mixed m) {
    }

    @Test
    void aGenericRecordIsResolvedFromEachDeclarationOnItsOwn() {
        Pages p = RecordSchema.of(Pages.class).parse("{\"stops\":{\"items\":[{\"city\":\"Oslo\",\"nights\":1}],\"first\":"
                + "{\"city\":\"Rome\",\"nights\":2}},\"names\":{\"items\":[\"a\"],\"first\":\"b\"},\"lists\":{\"items\":"
                + "[[\"x\"],[]]},\"words\":{\"items\":[\"w\"]},\"nested\":{\"items\":[{\"items\":[1],\"first\":2}],\"first\":"
                + "{\"items\":[],\"first\":3}}}");
        assertEquals(new Fixtures.Stop("Rome", 2), p.stops().first());
        assertEquals("b", p.names().first());
        assertEquals(List.of("x"), p.lists().items()[0]);
        assertArrayEquals(new String[] {"w"}, p.words().items());
        assertEquals(3, p.nested().first().first());
        String s = RecordSchema.of(Pages.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertTrue(s.contains("\"names\":{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":"
                + "{\"type\":\"string\"}},\"first\":{\"type\":\"string\"}}"), s);
        assertTrue(s.contains("\"lists\":{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":"
                + "{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}"), s);
    }

    @Test
    void aRecursiveGenericRecordIsNamedByItsArguments() {
        assertEquals("TreeOf_String", ShapeReader.read(Forest.class).properties().get(0).shape() instanceof Shape.ArrayOf a
                ? ((Shape.ObjectOf) a.items()).name() : "");
        String s = RecordSchema.of(Forest.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertTrue(s.contains("\"$defs\":{\"TreeOf_String\":"), s);
        assertTrue(s.contains("\"$defs\":{\"TreeOf_String\":") && s.contains("\"#/$defs/TreeOf_String\""), s);
        assertEquals("Page2_StringArray_List_Integer", ShapeReader.read(Odd.class).properties().get(0).shape()
                instanceof Shape.ObjectOf o ? o.name() : "", "array and parameterized arguments are named too");
    }

    record TreeOf<T>(T value, List<TreeOf<T>> children) {
    }

    record Forest(List<TreeOf<String>> trees) {
    }

    record Pair<A, B>(A a, B b) {
    }

    record Odd(Page2<String[], List<Integer>> p) {
    }

    record Page2<A, B>(A a, B b) {
    }

    @Test
    void aPrivateRecordIsConstructedAllTheSame() {
        assertEquals(new Hidden("x"), RecordSchema.of(Hidden.class).parse("{\"secret\":\"x\"}"));
    }

    @Test
    void theDiscriminatorIsNamedByAnnotationOrTheRecordsSimpleName() {
        String s = RecordSchema.of(Drawing.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertTrue(s.contains("\"kind\":{\"type\":\"string\",\"const\":\"circle\"}"), s);
        assertTrue(s.contains("\"kind\":{\"type\":\"string\",\"const\":\"Square\"}"), s);
        assertEquals(new Drawing(new Square(2, "big")), RecordSchema.of(Drawing.class)
                .parse("{\"shape\":{\"kind\":\"Square\",\"side\":2,\"type\":\"big\"}}"));
        assertEquals(new Drawing(new Circle(1)), RecordSchema.of(Drawing.class).parse("{\"shape\":{\"radius\":1,\"kind\":"
                + "\"circle\"}}", false));
        assertEquals(List.of(new SchemaViolation("/shape/extra", SchemaViolation.Kind.UNEXPECTED_PROPERTY,
                "Circle has no property \"extra\"")), assertThrows(StructuredOutputException.class, () -> RecordSchema
                .of(Drawing.class).parse("{\"shape\":{\"kind\":\"circle\",\"radius\":1,\"extra\":0}}")).violations());
    }

    @Test
    void whatCannotBeExpressedIsRefusedNamingTheComponent() {
        assertRefused(UsesClash.class, "Clashing.type: the component has the name of Clash's discriminator; rename it, or"
                + " name the discriminator otherwise with @TypeField on Clash");
        assertRefused(UsesTwins.class, "UsesTwins.t: dev.alfred.llm.schema.ShapeReaderTest$Twins cannot be expressed as"
                + " JSON Schema (two of its records are named \"twin\" in the discriminator");
        assertRefused(UsesGeneric.class, "UsesGeneric.g: dev.alfred.llm.schema.ShapeReaderTest$Generic cannot be"
                + " expressed as JSON Schema (a generic sealed interface");
        assertRefused(Raw.class, "Raw.page: dev.alfred.llm.schema.ShapeReaderTest$Page cannot be expressed as JSON Schema"
                + " (Page is generic and is used without type arguments)");
        assertRefused(Wild.class, "Wild.numbers[]: ? extends java.lang.Number cannot be expressed as JSON Schema (a"
                + " wildcard has no one JSON shape)");
        assertRefused(Nested.class, "Nested.twice: java.util.Optional<java.lang.String> cannot be expressed as JSON"
                + " Schema (Optional is for a record component itself");
        assertRefused(UsesMixed.class, "UsesMixed.m: dev.alfred.llm.schema.ShapeReaderTest$Mixed cannot be expressed as"
                + " JSON Schema (every type a sealed interface permits must be a record; Klass is not)");
        assertRefused(Fixtures.Raw.class, "Raw.thing: java.lang.Object cannot be expressed as JSON Schema (a raw Object");
        assertRefused(Odds.class, "Odds.thread: java.lang.Thread cannot be expressed as JSON Schema; use a String");
        assertRefused(OddList.class, "OddList.q: java.util.Queue<java.lang.String> cannot be expressed as JSON Schema;");
    }

    record Odds(Thread thread) {
    }

    record OddList(java.util.Queue<String> q) {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void assertRefused(Class type, String start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordSchema.of(type));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void aSchemaIsCachedPerTypeUntilForgotten() {
        RecordSchema<Fixtures.Stop> first = RecordSchema.of(Fixtures.Stop.class);
        assertSame(first, RecordSchema.of(Fixtures.Stop.class));
        assertSame(first.jsonSchema(SchemaDialect.MOONSHOT), first.jsonSchema(SchemaDialect.MOONSHOT));
        RecordSchema.forgetAll();
        RecordSchema<Fixtures.Stop> second = RecordSchema.of(Fixtures.Stop.class);
        assertNotSame(first, second);
        assertSame(second, RecordSchema.of(Fixtures.Stop.class));
        assertEquals(first.jsonSchema(SchemaDialect.STANDARD), second.jsonSchema(SchemaDialect.STANDARD));
        assertEquals("RecordSchema{dev.alfred.llm.schema.Fixtures$Stop}", second.toString());
        assertThrows(NullPointerException.class, () -> RecordSchema.of(null));
    }

    @Test
    void strictToolsAreChosenTogetherWithinAnthropicsLimits() {
        List<RecordSchema<?>> cities = new java.util.ArrayList<>();
        for (int i = 0; i < 21; i++) {
            cities.add(RecordSchema.of(Fixtures.Stop.class));
        }
        List<Boolean> anthropic = RecordSchema.strictTogether(SchemaDialect.ANTHROPIC, cities);
        assertEquals(20, anthropic.stream().filter(b -> b).count());
        assertEquals(false, anthropic.get(20));
        assertEquals(List.of(true, false, true), RecordSchema.strictTogether(SchemaDialect.OPENAI_STRICT,
                List.of(RecordSchema.of(Fixtures.Stop.class), RecordSchema.of(Fixtures.Trip.class),
                        RecordSchema.of(Fixtures.StrictTrip.class))));
        assertEquals(List.of(false, false), RecordSchema.strictTogether(SchemaDialect.MOONSHOT,
                List.of(RecordSchema.of(Fixtures.Stop.class), RecordSchema.of(Fixtures.Trip.class))));
        assertEquals(List.of(false), RecordSchema.strictTogether(SchemaDialect.ANTHROPIC,
                List.of(RecordSchema.of(Fixtures.Trip.class))), "a Map does not fit");
        List<RecordSchema<?>> optionals = List.of(RecordSchema.of(Twelve.class), RecordSchema.of(Twelve.class),
                RecordSchema.of(Fixtures.Stop.class), RecordSchema.of(Twelve.class));
        assertEquals(List.of(true, true, true, false), RecordSchema.strictTogether(SchemaDialect.ANTHROPIC, optionals),
                "24 optional properties and no more");
        List<RecordSchema<?>> unions = List.of(RecordSchema.of(Eight.class), RecordSchema.of(Eight.class),
                RecordSchema.of(Eight.class));
        assertEquals(List.of(true, true, false), RecordSchema.strictTogether(SchemaDialect.ANTHROPIC, unions),
                "16 unions and no more");
    }

    record Twelve(Optional<String> a, Optional<String> b, Optional<String> c, Optional<String> d, Optional<String> e,
                  Optional<String> f, Optional<String> g, Optional<String> h, Optional<String> i, Optional<String> j,
                  Optional<String> k, Optional<String> l) {
    }

    record Eight(Fixtures.Payment a, Fixtures.Payment b, Fixtures.Payment c, Fixtures.Payment d, Fixtures.Payment e,
                 Fixtures.Payment f, Fixtures.Payment g, Fixtures.Payment h) {
    }

    @Description("unused")
    record Unused() {
    }
}
