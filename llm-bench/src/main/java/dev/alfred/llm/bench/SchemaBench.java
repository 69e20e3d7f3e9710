package dev.alfred.llm.bench;

import dev.alfred.llm.Description;
import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.schema.RecordSchema;
import dev.alfred.llm.schema.SchemaDialect;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * JSON Schema from a 20-component record, read and written anew (cold: what the first use of a type costs)
 * and from the cache; and the binding of a JSON answer to that record with validation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchemaBench {

    /** An enum component. */
    public enum Priority { LOW, NORMAL, HIGH }

    /** A nested record. */
    public record Address(String street, String city, String country) {
    }

    /** Twenty components of every common kind. */
    @Description("A support ticket")
    public record Ticket(String id, @Description("one line") String title, String body, Priority priority, int severity,
                         long createdAt, double score, boolean open, List<String> tags, Address address,
                         Optional<String> assignee, String reporter, String product, String version, int votes,
                         List<Integer> relatedIds, String channel, String locale, boolean vip, Optional<Double> eta) {
    }

    static final String JSON = "{\"id\":\"T-1\",\"title\":\"Login fails\",\"body\":\"Cannot log in since the update\","
            + "\"priority\":\"HIGH\",\"severity\":2,\"createdAt\":1764547200000,\"score\":0.87,\"open\":true,"
            + "\"tags\":[\"auth\",\"regression\"],\"address\":{\"street\":\"1 Main St\",\"city\":\"Paris\",\"country\":\"FR\"},"
            + "\"assignee\":\"ana\",\"reporter\":\"bob\",\"product\":\"app\",\"version\":\"4.2\",\"votes\":7,"
            + "\"relatedIds\":[3,5,8],\"channel\":\"mail\",\"locale\":\"fr-FR\",\"vip\":false,\"eta\":null}";

    private static final Constructor<?> FRESH;

    static {
        try {
            FRESH = RecordSchema.class.getDeclaredConstructor(Class.class);
            FRESH.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * @return the schema of a record read and written anew, as its first use does
     * @throws Exception if the reflective call fails
     */
    @Benchmark
    public JsonSchema schemaCold() throws Exception {
        return ((RecordSchema<?>) FRESH.newInstance(Ticket.class)).jsonSchema(SchemaDialect.STANDARD);
    }

    /** @return the schema from the cache */
    @Benchmark
    public JsonSchema schemaCached() {
        return RecordSchema.of(Ticket.class).jsonSchema(SchemaDialect.STANDARD);
    }

    /** @return the answer bound and validated */
    @Benchmark
    public Ticket bind20Fields() {
        return RecordSchema.of(Ticket.class).parse(JSON);
    }
}
