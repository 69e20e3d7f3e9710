package dev.alfred.llm.schema;

import dev.alfred.llm.schema.SchemaViolation.Kind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each scalar at the edges of its type, each format, and what a missing value of each kind is called. */
class ScalarBindingTest {

    record Bytes(byte b, Byte boxed, short s, long l) {
    }

    record Big(BigInteger big) {
    }

    record Reals(float f, double d, BigDecimal exact) {
    }

    record Times(Instant at, OffsetDateTime zoned, LocalDate day, OffsetTime time, LocalDateTime local, LocalTime clock,
                 Duration took, UUID id) {
    }

    record Containers(List<String> list, Set<Integer> set, Map<String, Integer> map, int[] ints, Fixtures.Stop[] stops) {
    }

    record AllMissing(String s, char c, boolean b, int i, double d, Instant at, LocalDate day, OffsetTime time,
                      LocalDateTime local, LocalTime clock, Duration took, UUID id, Fixtures.Unit unit, List<String> l,
                      Fixtures.Stop stop, Fixtures.Payment payment, Everything.Tree tree, Map<String, String> m) {
    }

    record Boom(int x) {
        Boom {
            if (x == 7) {
                throw new OutOfMemoryError("boom");
            }
        }
    }

    private static <R extends Record> List<SchemaViolation> violations(Class<R> type, String json) {
        return assertThrows(StructuredOutputException.class, () -> RecordSchema.of(type).parse(json)).violations();
    }

    private static <R extends Record> String only(Class<R> type, String json) {
        List<SchemaViolation> v = violations(type, json);
        assertEquals(1, v.size(), v.toString());
        return v.get(0).toString();
    }

    @Test
    void integersBindUpToTheEdgesOfTheirTypeAndNoFurther() {
        assertEquals(new Bytes((byte) -128, (byte) 127, (short) -32768, Long.MIN_VALUE), RecordSchema.of(Bytes.class)
                .parse("{\"b\":-128,\"boxed\":127,\"s\":-32768,\"l\":-9223372036854775808}"));
        assertEquals(new Bytes((byte) 100, (byte) 0, (short) 32767, Long.MAX_VALUE), RecordSchema.of(Bytes.class)
                .parse("{\"b\":1e2,\"boxed\":0.0,\"s\":32767,\"l\":9223372036854775807}"));
        assertEquals("/b: expected an integer from -128 to 127, got -129",
                only(Bytes.class, "{\"b\":-129,\"boxed\":0,\"s\":0,\"l\":0}"));
        assertEquals("/boxed: expected an integer from -128 to 127, got 128",
                only(Bytes.class, "{\"b\":0,\"boxed\":128,\"s\":0,\"l\":0}"));
        assertEquals("/s: expected an integer from -32768 to 32767, got 32768",
                only(Bytes.class, "{\"b\":0,\"boxed\":0,\"s\":32768,\"l\":0}"));
        assertEquals("/l: expected an integer from -9223372036854775808 to 9223372036854775807, got 9223372036854775808",
                only(Bytes.class, "{\"b\":0,\"boxed\":0,\"s\":0,\"l\":9223372036854775808}"));
        assertEquals("/b: expected an integer, got 1.5", only(Bytes.class, "{\"b\":1.5,\"boxed\":0,\"s\":0,\"l\":0}"));
        assertEquals("/b: expected an integer, got \"1\"", only(Bytes.class, "{\"b\":\"1\",\"boxed\":0,\"s\":0,\"l\":0}"));
    }

    @Test
    void aBigIntegerHasAtMostAThousandDigits() {
        String thousand = "9".repeat(1000);
        assertEquals(new BigInteger(thousand), RecordSchema.of(Big.class).parse("{\"big\":" + thousand + "}").big());
        assertEquals(BigInteger.TEN.pow(999), RecordSchema.of(Big.class).parse("{\"big\":1e999}").big());
        assertEquals(Kind.WRONG_TYPE, violations(Big.class, "{\"big\":1e1000}").get(0).kind());
        assertEquals("/big: expected an integer of at most 1000 digits, got 1E+1000", only(Big.class, "{\"big\":1e1000}"));
        assertEquals(new BigInteger("-12"), RecordSchema.of(Big.class).parse("{\"big\":-1.2e1}").big());
    }

    @Test
    void realsBindWithinTheirRangeAndExactDecimalsAsWritten() {
        assertEquals(new Reals(0.5f, 3.0, new BigDecimal("3")), RecordSchema.of(Reals.class)
                .parse("{\"f\":0.5,\"d\":3,\"exact\":3}"));
        assertEquals(new Reals(0f, 0.0, new BigDecimal("0.000")), RecordSchema.of(Reals.class)
                .parse("{\"f\":0.0,\"d\":-0.0,\"exact\":0.000}"));
        assertEquals(0.1, RecordSchema.of(Reals.class).parse("{\"f\":0,\"d\":0.1,\"exact\":1}").d());
        assertEquals("/f: expected a number within float's range, got 1E+39",
                only(Reals.class, "{\"f\":1e39,\"d\":0,\"exact\":0}"));
        assertEquals("/f: expected a number within float's range, got 1E-50",
                only(Reals.class, "{\"f\":1e-50,\"d\":0,\"exact\":0}"));
        assertEquals("/d: expected a number within double's range, got 1E-400",
                only(Reals.class, "{\"f\":0,\"d\":1e-400,\"exact\":0}"));
        assertEquals("/d: expected a number within double's range, got -1E+400",
                only(Reals.class, "{\"f\":0,\"d\":-1e400,\"exact\":0}"));
        assertEquals("/exact: expected a number, got true", only(Reals.class, "{\"f\":0,\"d\":0,\"exact\":true}"));
        assertEquals(new BigDecimal("1E+400"), RecordSchema.of(Reals.class).parse("{\"f\":0,\"d\":0,\"exact\":1e400}")
                .exact());
    }

    @Test
    void timesAndUuidsBindFromTheirFormatsAndSayWhichOneOtherwise() {
        String ok = "{\"at\":\"2026-11-25T10:15:30+01:00\",\"zoned\":\"2026-11-25T10:15:30+01:00\",\"day\":\"2026-11-25\","
                + "\"time\":\"10:15:30Z\",\"local\":\"2026-11-25T10:15\",\"clock\":\"10:15:30.5\",\"took\":\"PT1M30S\","
                + "\"id\":\"123e4567-E89B-12d3-a456-426614174000\"}";
        Times t = RecordSchema.of(Times.class).parse(ok);
        assertEquals(new Times(Instant.parse("2026-11-25T09:15:30Z"), OffsetDateTime.parse("2026-11-25T10:15:30+01:00"),
                LocalDate.of(2026, 11, 25), OffsetTime.parse("10:15:30Z"), LocalDateTime.of(2026, 11, 25, 10, 15),
                LocalTime.of(10, 15, 30, 500_000_000), Duration.ofSeconds(90),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000")), t);
        List<SchemaViolation> v = violations(Times.class, "{\"at\":\"2026-11-25T10:15:30\",\"zoned\":\"yesterday\","
                + "\"day\":\"25.11.2026\",\"time\":\"10:15\",\"local\":\"2026-11-25\",\"clock\":\"25:00\",\"took\":\"90s\","
                + "\"id\":\"1-1-1-1-1\"}");
        assertEquals(List.of(
                "/at: expected an RFC 3339 date-time with its offset, got \"2026-11-25T10:15:30\"",
                "/zoned: expected an RFC 3339 date-time with its offset, got \"yesterday\"",
                "/day: expected an ISO 8601 date, got \"25.11.2026\"",
                "/time: expected an RFC 3339 time with its offset, got \"10:15\"",
                "/local: expected an ISO 8601 date-time without offset, got \"2026-11-25\"",
                "/clock: expected an ISO 8601 time without offset, got \"25:00\"",
                "/took: expected an ISO 8601 duration, got \"90s\"",
                "/id: expected a UUID, got \"1-1-1-1-1\""), v.stream().map(SchemaViolation::toString).toList());
        assertEquals("/at: expected an RFC 3339 date-time with its offset, got 1", violations(Times.class,
                ok.replace("\"2026-11-25T10:15:30+01:00\",\"zoned\"", "1,\"zoned\"")).get(0).toString());
    }

    @Test
    void containersKeepTheirOrderAndCannotBeChanged() {
        Containers c = RecordSchema.of(Containers.class).parse("{\"list\":[\"b\",\"a\"],\"set\":[3,1,2],\"map\":{\"z\":1,"
                + "\"a\":2},\"ints\":[3,4],\"stops\":[{\"city\":\"Oslo\",\"nights\":1}]}");
        assertEquals(List.of("b", "a"), c.list());
        assertEquals(List.of(3, 1, 2), List.copyOf(c.set()));
        assertEquals(List.of("z", "a"), List.copyOf(c.map().keySet()));
        assertArrayEquals(new int[] {3, 4}, c.ints());
        assertArrayEquals(new Fixtures.Stop[] {new Fixtures.Stop("Oslo", 1)}, c.stops());
        assertThrows(UnsupportedOperationException.class, () -> c.list().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> c.set().add(9));
        assertThrows(UnsupportedOperationException.class, () -> c.map().put("x", 1));
        assertEquals(List.of("/list/1: expected a string, got 1", "/set/1: expected an integer, got \"x\"",
                "/map/a: expected an integer, got null", "/ints/0: expected an integer, got 1.5",
                "/stops/0/nights: required an integer is missing"), violations(Containers.class,
                "{\"list\":[\"b\",1],\"set\":[3,\"x\"],\"map\":{\"z\":1,\"a\":null},\"ints\":[1.5],\"stops\":[{\"city\":\"Oslo\"}]}")
                .stream().map(SchemaViolation::toString).toList());
        assertEquals(List.of("/list: expected an array, got {}", "/set: expected an array, got 1",
                "/map: expected an object, got []", "/ints: expected an array, got \"1\"", "/stops: expected an array, got null"),
                violations(Containers.class, "{\"list\":{},\"set\":1,\"map\":[],\"ints\":\"1\",\"stops\":null}").stream()
                        .map(SchemaViolation::toString).toList());
        assertEquals("/set/2: the same item as /set/0; a set holds each item once", violations(Containers.class,
                "{\"list\":[],\"set\":[1,2,1],\"map\":{},\"ints\":[],\"stops\":[]}").get(0).toString());
    }

    @Test
    void aMissingValueIsCalledByWhatItShouldBe() {
        assertEquals(List.of("a string", "a string of one character", "a boolean", "an integer", "a number",
                        "an RFC 3339 date-time with its offset", "an ISO 8601 date", "an RFC 3339 time with its offset",
                        "an ISO 8601 date-time without offset", "an ISO 8601 time without offset", "an ISO 8601 duration",
                        "a UUID", "one of [CELSIUS, FAHRENHEIT]", "an array", "an object (Stop)", "an object (Payment)",
                        "an object (Tree)", "an object"),
                violations(AllMissing.class, "{}").stream().map(v -> v.message().substring("required ".length(),
                        v.message().length() - " is missing".length())).toList());
        assertEquals("/tree: expected an object (Tree), got null", violations(AllMissing.class, "{\"tree\":null}").get(16)
                .toString());
    }

    @Test
    void aJvmErrorFromAConstructorIsNotAViolation() {
        assertEquals(new Boom(1), RecordSchema.of(Boom.class).parse("{\"x\":1}"));
        assertEquals("boom", assertThrows(OutOfMemoryError.class, () -> RecordSchema.of(Boom.class).parse("{\"x\":7}"))
                .getMessage());
    }

    @Test
    void longValuesAreShortenedInMessages() {
        String sixty = "x".repeat(56);
        assertEquals("/name: expected a string, got [\"" + sixty + "\"]", violations(Fixtures.Trip.class,
                "{\"name\":[\"" + sixty + "\"]}").get(0).toString());
        assertEquals("/name: expected a string, got [\"" + "x".repeat(55) + "...", violations(Fixtures.Trip.class,
                "{\"name\":[\"" + "x".repeat(57) + "\"]}").get(0).toString());
        assertEquals("/unit: \"" + "K".repeat(60) + "\" is not one of [CELSIUS, FAHRENHEIT]", violations(
                Fixtures.Trip.class, "{\"unit\":\"" + "K".repeat(60) + "\"}").stream().filter(v -> v.pointer().equals("/unit"))
                .findFirst().orElseThrow().toString());
        assertEquals("/unit: \"" + "K".repeat(57) + "...\" is not one of [CELSIUS, FAHRENHEIT]", violations(
                Fixtures.Trip.class, "{\"unit\":\"" + "K".repeat(61) + "\"}").stream().filter(v -> v.pointer().equals("/unit"))
                .findFirst().orElseThrow().toString());
    }

    @Test
    void theTextAroundTheValueIsChecked() {
        assertEquals("(the whole value): not JSON: text follows the value at character 14",
                only(Fixtures.Stop.class, "{\"city\":\"a\"} 1"));
        assertEquals("(the whole value): no JSON value at all", only(Fixtures.Stop.class, "   "));
        assertEquals("/x/1/b: the property \"b\" appears more than once; give it once",
                only(Fixtures.Stop.class, "{\"x\":[{\"a\":1},{\"b\":1,\"b\":{\"z\":1}}]}"));
        assertEquals(9007199254740993L, RecordSchema.of(Bytes.class)
                .parse("{\"b\":0,\"boxed\":0,\"s\":0,\"l\":9007199254740993}").l());
    }
}
