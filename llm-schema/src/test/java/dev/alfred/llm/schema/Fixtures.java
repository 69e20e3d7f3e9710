package dev.alfred.llm.schema;

import dev.alfred.llm.Description;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The records the schema tests describe and bind. */
final class Fixtures {

    private Fixtures() {
    }

    /** Any annotation named Nullable marks a component nullable. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    @interface Nullable {
    }

    enum Unit { CELSIUS, FAHRENHEIT }

    @Description("A place to stay")
    record Stop(@Description("a city name") String city, int nights) {
    }

    sealed interface Payment permits Card, Cash {
    }

    record Card(String number) implements Payment {
    }

    record Cash(String currency, double amount) implements Payment {
    }

    record Trip(String name, List<Stop> stops, Set<String> tags, Map<String, Integer> budget, Unit unit,
                Optional<String> note, @Nullable String owner, Payment payment) {
    }

    record StrictTrip(String name, List<Stop> stops, Unit unit, Optional<String> note, Payment payment) {
    }

    record Positive(int value) {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive, was " + value);
            }
        }
    }

    record Scalars(boolean b, Boolean boxed, int i, long l, short s, byte by, double d, float f, char c,
                   BigInteger big, BigDecimal decimal) {
    }

    record Node(String name, List<Node> children) {
    }

    record Raw(String name, Object thing) {
    }

    record Keys(Map<Integer, String> byNumber) {
    }

    record Generic<T>(T value) {
    }
}
