package dev.alfred.llm.schema;

import dev.alfred.llm.JsonSchema;
import dev.alfred.llm.schema.internal.Shape;
import dev.alfred.llm.schema.internal.ShapeReader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A record type as JSON: its JSON Schema in each {@link SchemaDialect}, and the binding of JSON text to
 * the record with validation. Made once per type and cached ({@link #of(Class)} returns the same
 * instance); thread-safe.
 *
 * <p>The schema comes from the record's components, by name (no {@code -parameters} needed), in
 * declaration order: every component is required unless it is an {@code Optional} or marked nullable
 * (an annotation named {@code Nullable}); primitives and their boxes, {@code String}, {@code char},
 * {@code BigInteger}, {@code BigDecimal}, enums, {@code List}, {@code Set}, {@code Map<String, …>}, nested
 * records and sealed interfaces of records ({@code anyOf}) are expressed; {@code @Description} on a record
 * or a component becomes its {@code description}. Anything else is refused, naming the component.
 *
 * <pre>{@code
 * record WeatherQuery(@Description("a city") String city, Optional<Integer> days) { }
 * RecordSchema<WeatherQuery> schema = RecordSchema.of(WeatherQuery.class);
 * JsonSchema json = schema.jsonSchema(SchemaDialect.STANDARD);
 * WeatherQuery q = schema.parse("{\"city\":\"Paris\"}");
 * }</pre>
 *
 * @param <R> the record type
 */
public final class RecordSchema<R extends Record> {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final ClassValue<RecordSchema<?>> CACHE = new ClassValue<>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected RecordSchema<?> computeValue(Class<?> type) {
            return new RecordSchema(type);
        }
    };

    private final Class<R> type;
    private final Shape.ObjectOf shape;
    private final Map<SchemaDialect, Object> schemas = new EnumMap<>(SchemaDialect.class);

    private RecordSchema(Class<R> type) {
        this.type = type;
        this.shape = ShapeReader.read(type);
    }

    /**
     * The schema of a record type, read once and cached per type.
     *
     * @param type the record class
     * @param <R>  the record type
     * @return the schema
     * @throws IllegalArgumentException naming the component when a type cannot be expressed
     * @throws NullPointerException     if type is null
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> RecordSchema<R> of(Class<R> type) {
        Objects.requireNonNull(type, "type");
        return (RecordSchema<R>) CACHE.get(type);
    }

    /**
     * The record type.
     *
     * @return the class
     */
    public Class<R> type() {
        return type;
    }

    /**
     * A name for the schema, as a response format asks for one: the record's simple name in snake case.
     *
     * @return such as {@code weather_query}
     */
    public String name() {
        return type.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /**
     * The JSON Schema in a dialect; written once per dialect, the same bytes every time.
     *
     * @param dialect the dialect
     * @return the schema
     * @throws IllegalArgumentException naming the component when the dialect cannot express a type (a
     *                                  {@code Map} in {@link SchemaDialect#OPENAI_STRICT})
     */
    public JsonSchema jsonSchema(SchemaDialect dialect) {
        Objects.requireNonNull(dialect, "dialect");
        synchronized (schemas) {
            Object s = schemas.computeIfAbsent(dialect, d -> {
                try {
                    return JsonSchema.of(SchemaWriter.write(shape, d));
                } catch (IllegalArgumentException e) {
                    return e;
                }
            });
            if (s instanceof IllegalArgumentException) {
                throw new IllegalArgumentException(((IllegalArgumentException) s).getMessage(), (Throwable) s);
            }
            return (JsonSchema) s;
        }
    }

    /**
     * Binds JSON text to the record, refusing properties the record does not have.
     *
     * @param json the text
     * @return the record
     * @throws StructuredOutputException with the text and every violation, when it does not fit
     * @throws NullPointerException      if json is null
     */
    public R parse(String json) {
        return parse(json, true);
    }

    /**
     * Binds JSON text to the record. The record is constructed only when the whole value fits; a
     * constructor that refuses a value (a compact constructor's check) is a violation too.
     *
     * @param json   the text
     * @param strict whether a property the record does not have is a violation
     * @return the record
     * @throws StructuredOutputException with the text and every violation, when it does not fit
     * @throws NullPointerException      if json is null
     */
    public R parse(String json, boolean strict) {
        Objects.requireNonNull(json, "json");
        List<SchemaViolation> violations = new ArrayList<>();
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JacksonException e) {
            violations.add(new SchemaViolation("", SchemaViolation.Kind.NOT_JSON, "not JSON: " + e.getOriginalMessage()));
            throw new StructuredOutputException(type, json, violations);
        }
        if (tree == null || tree.isMissingNode()) {
            violations.add(new SchemaViolation("", SchemaViolation.Kind.NOT_JSON, "no JSON value at all"));
            throw new StructuredOutputException(type, json, violations);
        }
        Object value = Binder.bind(shape, tree, strict, violations);
        if (!violations.isEmpty()) {
            throw new StructuredOutputException(type, json, violations);
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "RecordSchema{" + type.getName() + "}";
    }
}
