package dev.alfred.llm.schema;

import org.junit.jupiter.api.Test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Numbers bound exactly, every failure of parse a StructuredOutputException, duplicates refused. */
class ExactBindingTest {

    record Money(BigDecimal amount) {
    }

    record Whole(int i, long l, BigInteger big) {
    }

    record Real(double d) {
    }

    record Tags(Set<String> tags) {
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    @interface Nullable {
    }

    record NullableAge(String name, @Nullable int age) {
    }

    private static <R extends Record> List<SchemaViolation> violations(Class<R> type, String json) {
        StructuredOutputException e = assertThrows(StructuredOutputException.class, () -> RecordSchema.of(type).parse(json));
        return e.violations();
    }

    @Test
    void bigDecimalsBindFromTheJsonTextExactlyWithTheirScale() {
        assertEquals(new BigDecimal("12345678901234567890.123456789"),
                RecordSchema.of(Money.class).parse("{\"amount\":12345678901234567890.123456789}").amount());
        BigDecimal tenCents = RecordSchema.of(Money.class).parse("{\"amount\":0.10}").amount();
        assertEquals(new BigDecimal("0.10"), tenCents);
        assertEquals(2, tenCents.scale());
    }

    @Test
    void anIntegerPastEveryRangeIsAViolationWithItsPointerNeverARawException() {
        List<SchemaViolation> v = violations(Whole.class, "{\"i\":1e400,\"l\":1e400,\"big\":1e400000000}");
        assertEquals(List.of("/i", "/l", "/big"), v.stream().map(SchemaViolation::pointer).toList(), v.toString());
    }

    @Test
    void aNumberPastDoublesRangeIsAViolationNeverInfinity() {
        List<SchemaViolation> v = violations(Real.class, "{\"d\":1e400}");
        assertEquals("/d", v.get(0).pointer(), v.toString());
    }

    @Test
    void duplicateKeysAreAViolation() {
        List<SchemaViolation> v = violations(Money.class, "{\"amount\":1,\"amount\":2}");
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).message().contains("amount"), v.toString());
    }

    @Test
    void aSetsDuplicatesAreAViolation() {
        List<SchemaViolation> v = violations(Tags.class, "{\"tags\":[\"a\",\"b\",\"a\"]}");
        assertEquals("/tags/2", v.get(0).pointer(), v.toString());
    }

    @Test
    void aNullablePrimitiveIsRefusedWhenTheSchemaIsReadNamingTheComponent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordSchema.of(NullableAge.class));
        assertTrue(e.getMessage().startsWith("NullableAge.age: "), e.getMessage());
    }

    @Test
    void textAfterTheValueIsAViolation() {
        assertEquals(SchemaViolation.Kind.NOT_JSON, violations(Money.class, "{\"amount\":1} and more").get(0).kind());
    }
}
