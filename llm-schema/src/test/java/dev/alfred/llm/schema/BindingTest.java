package dev.alfred.llm.schema;

import dev.alfred.llm.schema.Fixtures.Positive;
import dev.alfred.llm.schema.Fixtures.Scalars;
import dev.alfred.llm.schema.Fixtures.Stop;
import dev.alfred.llm.schema.Fixtures.Trip;
import dev.alfred.llm.schema.SchemaViolation.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of violation, with its JSON Pointer; all of a value's violations at once; never a half-filled record. */
class BindingTest {

    private static <R extends Record> List<SchemaViolation> violations(Class<R> type, String json) {
        StructuredOutputException e = assertThrows(StructuredOutputException.class, () -> RecordSchema.of(type).parse(json));
        assertEquals(json, e.rawText(), "the raw text is kept");
        return e.violations();
    }


    @Test
    void everyViolationOfAValueIsReportedAtOnceWithItsPointer() {
        List<SchemaViolation> v = violations(Trip.class, "{\"name\":3,\"stops\":[{\"city\":\"Paris\"},{\"city\":\"Rome\","
                + "\"nights\":\"two\",\"pool\":true}],\"tags\":[],\"budget\":{\"a/b~c\":\"x\"},\"unit\":\"KELVIN\","
                + "\"payment\":{\"type\":\"Card\",\"number\":\"1\"},\"extra\":1}");
        assertEquals(List.of(
                new SchemaViolation("/name", Kind.WRONG_TYPE, "expected a string, got 3"),
                new SchemaViolation("/stops/0/nights", Kind.MISSING, "required an integer is missing"),
                new SchemaViolation("/stops/1/nights", Kind.WRONG_TYPE, "expected an integer, got \"two\""),
                new SchemaViolation("/stops/1/pool", Kind.UNEXPECTED_PROPERTY, "Stop has no property \"pool\""),
                new SchemaViolation("/budget/a~1b~0c", Kind.WRONG_TYPE, "expected an integer, got \"x\""),
                new SchemaViolation("/unit", Kind.UNKNOWN_ENUM_CONSTANT, "\"KELVIN\" is not one of [CELSIUS, FAHRENHEIT]"),
                new SchemaViolation("/extra", Kind.UNEXPECTED_PROPERTY, "Trip has no property \"extra\"")), v);
    }

    @Test
    void extraPropertiesAreAllowedWhenNotStrict() {
        Stop s = RecordSchema.of(Stop.class).parse("{\"city\":\"Paris\",\"nights\":1,\"x\":2}", false);
        assertEquals(new Stop("Paris", 1), s);
    }

    @Test
    void aNullForAComponentThatIsNeitherOptionalNorNullableIsTheWrongType() {
        assertEquals(List.of(new SchemaViolation("/city", Kind.WRONG_TYPE, "expected a string, got null")),
                violations(Stop.class, "{\"city\":null,\"nights\":1}"));
    }

    @Test
    void textThatIsNotJsonOrNotAnObjectIsSaidSo() {
        List<SchemaViolation> v = violations(Stop.class, "Sure! Here is the JSON: {");
        assertEquals(Kind.NOT_JSON, v.get(0).kind());
        assertTrue(v.get(0).message().startsWith("not JSON: "), v.get(0).message());
        assertEquals(Kind.NOT_JSON, violations(Stop.class, "").get(0).kind());
        assertEquals(List.of(new SchemaViolation("", Kind.WRONG_TYPE, "expected an object (Stop), got [1,2]")),
                violations(Stop.class, "[1,2]"));
    }

    @Test
    void aSealedValueIsBoundToTheRecordItsDiscriminatorNamesAndSaysWhatIsMissingThere() {
        String head = "{\"name\":\"x\",\"stops\":[],\"tags\":[],\"budget\":{},\"unit\":\"CELSIUS\",\"payment\":";
        assertEquals(List.of(new SchemaViolation("/payment/amount", Kind.MISSING, "required a number is missing")),
                violations(Trip.class, head + "{\"type\":\"Cash\",\"currency\":\"EUR\"}}"));
        assertEquals(List.of(new SchemaViolation("/payment/type", Kind.MISSING, "required \"type\" is missing: it names"
                + " which Payment this is, one of [Card, Cash]")), violations(Trip.class, head + "{\"currency\":\"EUR\"}}"));
        assertEquals(List.of(new SchemaViolation("/payment/type", Kind.NO_MATCHING_ALTERNATIVE, "\"Cheque\" names none"
                + " of the records Payment allows, [Card, Cash]")), violations(Trip.class, head + "{\"type\":\"Cheque\"}}"));
        assertEquals(Kind.NO_MATCHING_ALTERNATIVE, violations(Trip.class, head + "{\"type\":1}}").get(0).kind());
        assertEquals(List.of(new SchemaViolation("/payment", Kind.WRONG_TYPE, "expected an object (Payment), got 1")),
                violations(Trip.class, head + "1}"));
    }

    @Test
    void aValueTheConstructorRefusesIsAViolationNotAHalfFilledRecord() {
        assertEquals(List.of(new SchemaViolation("", Kind.INVALID_VALUE, "Positive refused the value: value must be"
                + " positive, was -1")), violations(Positive.class, "{\"value\":-1}"));
        assertEquals(new Positive(1), RecordSchema.of(Positive.class).parse("{\"value\":1}"));
    }

    @Test
    void numbersOutOfRangeAndTheWrongScalarsAreTheWrongType() {
        String ok = "\"b\":true,\"boxed\":false,\"l\":1,\"s\":1,\"by\":1,\"d\":1,\"f\":1,\"big\":1,\"decimal\":1";
        assertEquals(List.of(new SchemaViolation("/i", Kind.WRONG_TYPE, "expected an integer from -2147483648 to"
                + " 2147483647, got 2147483648"), new SchemaViolation("/c", Kind.WRONG_TYPE,
                "expected a string of one character, got \"xy\"")), violations(Scalars.class, "{" + ok + ",\"i\":2147483648,\"c\":\"xy\"}"));
        assertEquals(List.of(new SchemaViolation("/i", Kind.WRONG_TYPE, "expected an integer, got 1.5"),
                new SchemaViolation("/c", Kind.WRONG_TYPE, "expected a string of one character, got 1")),
                violations(Scalars.class, "{" + ok + ",\"i\":1.5,\"c\":1}"));
        assertEquals(Kind.WRONG_TYPE, violations(Scalars.class, "{" + ok.replace("\"b\":true", "\"b\":\"true\"")
                + ",\"i\":1,\"c\":\"x\"}").get(0).kind());
        assertEquals(Kind.WRONG_TYPE, violations(Scalars.class, "{" + ok.replace("\"by\":1", "\"by\":128")
                + ",\"i\":1,\"c\":\"x\"}").get(0).kind());
        assertEquals(Kind.WRONG_TYPE, violations(Scalars.class, "{" + ok.replace("\"f\":1", "\"f\":1e300")
                + ",\"i\":1,\"c\":\"x\"}").get(0).kind());
    }

    @Test
    void theMessageShowsTheFirstViolationsAndCountsTheRest() {
        StringBuilder json = new StringBuilder("{\"city\":\"x\",\"nights\":1");
        for (int i = 0; i < 7; i++) {
            json.append(",\"x").append(i).append("\":0");
        }
        StructuredOutputException e = assertThrows(StructuredOutputException.class,
                () -> RecordSchema.of(Stop.class).parse(json.append('}').toString()));
        assertTrue(e.getMessage().startsWith("the answer does not fit Stop: 7 violations - /x0: Stop has no property"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("; and 2 more"), e.getMessage());
        assertEquals(7, e.violations().size());
        assertEquals("(the whole value): x", new SchemaViolation("", Kind.INVALID_VALUE, "x").toString());
        assertThrows(IllegalArgumentException.class, () -> new StructuredOutputException(Stop.class, "", List.of()));
    }
}
