package dev.alfred.llm.schema;

import dev.alfred.llm.schema.Fixtures.Card;
import dev.alfred.llm.schema.Fixtures.Cash;
import dev.alfred.llm.schema.Fixtures.Raw;
import dev.alfred.llm.schema.Fixtures.Scalars;
import dev.alfred.llm.schema.Fixtures.Stop;
import dev.alfred.llm.schema.Fixtures.StrictTrip;
import dev.alfred.llm.schema.Fixtures.Trip;
import dev.alfred.llm.schema.Fixtures.Unit;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Schemas from records in each dialect, byte for byte, and the types that are refused. */
class RecordSchemaTest {

    private static final String STOP = "{\"type\":\"object\",\"description\":\"A place to stay\",\"properties\":{"
            + "\"city\":{\"type\":\"string\",\"description\":\"a city name\"},\"nights\":{\"type\":\"integer\"}},"
            + "\"required\":[\"city\",\"nights\"],\"additionalProperties\":false}";
    private static final String PAYMENT_STANDARD = "{\"anyOf\":[{\"type\":\"object\",\"properties\":{\"type\":"
            + "{\"type\":\"string\",\"const\":\"Card\"},\"number\":{\"type\":\"string\"}},\"required\":[\"type\","
            + "\"number\"],\"additionalProperties\":false},{\"type\":\"object\",\"properties\":{\"type\":{\"type\":"
            + "\"string\",\"const\":\"Cash\"},\"currency\":{\"type\":\"string\"},\"amount\":{\"type\":\"number\"}},"
            + "\"required\":[\"type\",\"currency\",\"amount\"],\"additionalProperties\":false}]}";

    @Test
    void aRecordIsAnObjectOfItsComponentsInOrderWithDescriptions() {
        assertEquals(STOP, RecordSchema.of(Stop.class).jsonSchema(SchemaDialect.STANDARD).json());
        assertEquals("stop", RecordSchema.of(Stop.class).name());
        assertEquals("strict_trip", RecordSchema.of(StrictTrip.class).name());
    }

    @Test
    void theStandardDialectLeavesOptionalAndNullableOutOfRequiredAndLetsThemBeNull() {
        String s = RecordSchema.of(Trip.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertEquals("{\"type\":\"object\",\"properties\":{"
                + "\"name\":{\"type\":\"string\"},"
                + "\"stops\":{\"type\":\"array\",\"items\":" + STOP.replace("\"description\":\"A place to stay\",", "")
                .replace(",\"description\":\"a city name\"", "") + "},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"uniqueItems\":true},"
                + "\"budget\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\"}},"
                + "\"unit\":{\"type\":\"string\",\"enum\":[\"CELSIUS\",\"FAHRENHEIT\"]},"
                + "\"note\":{\"type\":[\"string\",\"null\"]},"
                + "\"owner\":{\"type\":[\"string\",\"null\"]},"
                + "\"payment\":" + PAYMENT_STANDARD + "},"
                + "\"required\":[\"name\",\"stops\",\"tags\",\"budget\",\"unit\",\"payment\"],\"additionalProperties\":false}",
                s.replace(",\"description\":\"a city name\"", "").replace("\"description\":\"A place to stay\",", ""));
        assertTrue(s.contains("\"description\":\"A place to stay\""), "a nested record keeps its description: " + s);
    }

    @Test
    void openAiStrictRequiresEveryPropertyAndRefusesAMapNamingTheComponent() {
        String s = RecordSchema.of(StrictTrip.class).jsonSchema(SchemaDialect.OPENAI_STRICT).json();
        assertTrue(s.endsWith("\"required\":[\"name\",\"stops\",\"unit\",\"note\",\"payment\"],\"additionalProperties\":false}"), s);
        assertTrue(s.contains("\"note\":{\"type\":[\"string\",\"null\"]}"), s);
        UnsupportedSchemaException e = assertThrows(UnsupportedSchemaException.class,
                () -> RecordSchema.of(Trip.class).jsonSchema(SchemaDialect.OPENAI_STRICT));
        assertEquals("Trip does not fit OPENAI_STRICT: Trip.budget: a Map cannot be expressed in OPENAI_STRICT, which"
                + " wants additionalProperties: false on every object; use a List of records", e.getMessage());
        assertEquals(SchemaDialect.OPENAI_STRICT, e.dialect());
        assertEquals(1, e.problems().size());
        assertFalse(RecordSchema.of(Trip.class).fits(SchemaDialect.OPENAI_STRICT));
        assertTrue(RecordSchema.of(Trip.class).fits(SchemaDialect.STANDARD));
        assertThrows(IllegalArgumentException.class, () -> RecordSchema.of(Trip.class).jsonSchema(SchemaDialect.OPENAI_STRICT),
                "refused every time, not only the first");
    }

    @Test
    void moonshotGivesEveryNodeATypeAndWritesNoNull() {
        String s = RecordSchema.of(Trip.class).jsonSchema(SchemaDialect.MOONSHOT).json();
        assertTrue(s.contains("\"payment\":{\"anyOf\":[{\"type\":\"object\",\"properties\":{\"type\":{\"type\":"
                + "\"string\",\"enum\":[\"Card\"]}"), "no type beside anyOf, the discriminator an enum: " + s);
        assertTrue(s.contains("\"tags\":{\"type\":\"array\",\"description\":\"no two items alike\",\"items\":"), s);
        assertTrue(s.contains("\"budget\":{\"type\":\"object\",\"properties\":{},\"required\":[],"
                + "\"additionalProperties\":{\"type\":\"integer\"}}"), s);
        assertTrue(s.contains("\"note\":{\"type\":\"string\"}"), s);
        assertTrue(!s.contains("null"), s);
        assertTrue(s.contains("\"required\":[\"name\",\"stops\",\"tags\",\"budget\",\"unit\",\"payment\"]"), s);
    }

    @Test
    void everyScalarHasItsJsonType() {
        String s = RecordSchema.of(Scalars.class).jsonSchema(SchemaDialect.STANDARD).json();
        assertEquals("{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"boolean\"},\"boxed\":{\"type\":\"boolean\"},"
                + "\"i\":{\"type\":\"integer\"},\"l\":{\"type\":\"integer\"},\"s\":{\"type\":\"integer\",\"minimum\":-32768,"
                + "\"maximum\":32767},\"by\":{\"type\":\"integer\",\"minimum\":-128,\"maximum\":127},\"d\":{\"type\":"
                + "\"number\"},\"f\":{\"type\":\"number\"},\"c\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1},"
                + "\"big\":{\"type\":\"integer\"},\"decimal\":{\"type\":\"number\"}},"
                + "\"required\":[\"b\",\"boxed\",\"i\",\"l\",\"s\",\"by\",\"d\",\"f\",\"c\",\"big\",\"decimal\"],"
                + "\"additionalProperties\":false}", s);
    }

    @Test
    void typesJsonSchemaCannotExpressAreRefusedNamingTheComponent() {
        assertRefused(Raw.class, "Raw.thing: java.lang.Object cannot be expressed as JSON Schema (a raw Object");
        assertRefused(Fixtures.Keys.class, "Keys.byNumber: java.util.Map<java.lang.Integer, java.lang.String> cannot be"
                + " expressed as JSON Schema (a map's keys must be Strings");
        assertRefused(Fixtures.Generic.class, "dev.alfred.llm.schema.Fixtures$Generic is generic: use it as a component");
        IllegalArgumentException notARecord = assertThrows(IllegalArgumentException.class,
                () -> RecordSchema.of((Class) String.class));
        assertTrue(notARecord.getMessage().contains("java.lang.String is not a record"), notARecord.getMessage());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void assertRefused(Class type, String start) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordSchema.of(type));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void aSchemaIsReadOnceAndWrittenOncePerDialect() {
        assertSame(RecordSchema.of(Trip.class), RecordSchema.of(Trip.class));
        assertSame(RecordSchema.of(Trip.class).jsonSchema(SchemaDialect.STANDARD),
                RecordSchema.of(Trip.class).jsonSchema(SchemaDialect.STANDARD));
    }

    @Test
    void dialectsFollowTheProvider() {
        assertEquals(SchemaDialect.OPENAI_STRICT, SchemaDialect.forProvider("openai"));
        assertEquals(SchemaDialect.MOONSHOT, SchemaDialect.forProvider("kimi"));
        assertEquals(SchemaDialect.MOONSHOT, SchemaDialect.forProvider("Moonshot"));
        assertEquals(SchemaDialect.ANTHROPIC, SchemaDialect.forProvider("anthropic"));
        assertEquals(SchemaDialect.STANDARD, SchemaDialect.forProvider("ollama"));
    }

    @Test
    void aWholeTripBinds() {
        Trip trip = RecordSchema.of(Trip.class).parse("{\"name\":\"spring\",\"stops\":[{\"city\":\"Paris\",\"nights\":2}],"
                + "\"tags\":[\"a\",\"b\"],\"budget\":{\"hotel\":300},\"unit\":\"CELSIUS\",\"note\":\"hi\","
                + "\"owner\":null,\"payment\":{\"type\":\"Cash\",\"currency\":\"EUR\",\"amount\":12.5}}");
        assertEquals(new Trip("spring", List.of(new Stop("Paris", 2)), Set.of("a", "b"), Map.of("hotel", 300), Unit.CELSIUS,
                Optional.of("hi"), null, new Cash("EUR", 12.5)), trip);
        Trip bare = RecordSchema.of(Trip.class).parse("{\"name\":\"x\",\"stops\":[],\"tags\":[],\"budget\":{},"
                + "\"unit\":\"FAHRENHEIT\",\"payment\":{\"type\":\"Card\",\"number\":\"4111\"}}");
        assertEquals(Optional.empty(), bare.note());
        assertEquals(null, bare.owner());
        assertEquals(new Card("4111"), bare.payment());
    }

    @Test
    void scalarsBindToTheirJavaTypesAndAWholeFloatIsAnInteger() {
        Scalars s = RecordSchema.of(Scalars.class).parse("{\"b\":true,\"boxed\":false,\"i\":3.0,\"l\":9007199254740993,"
                + "\"s\":-7,\"by\":127,\"d\":1.5,\"f\":2.25,\"c\":\"x\",\"big\":123456789012345678901234567890,"
                + "\"decimal\":0.1}");
        assertEquals(new Scalars(true, false, 3, 9007199254740993L, (short) -7, (byte) 127, 1.5, 2.25f, 'x',
                new BigInteger("123456789012345678901234567890"), new BigDecimal("0.1")), s);
    }
}
