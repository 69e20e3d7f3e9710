package dev.alfred.llm.schema;

import dev.alfred.llm.JsonSchema;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A record type as JSON: its JSON Schema in each {@link SchemaDialect}, and the binding of JSON text to
 * the record with validation. Made once per type and cached ({@link #of(Class)} returns the same
 * instance); thread-safe.
 *
 * <p>The schema comes from the record's components, by name (no {@code -parameters} needed), in
 * declaration order: every component is required unless it is an {@code Optional} or marked nullable
 * (an annotation named {@code Nullable}; a primitive cannot be). Expressed: primitives and their boxes,
 * {@code String}, {@code char}, {@code BigInteger}, {@code BigDecimal}, enums, {@code Instant},
 * {@code OffsetDateTime}, {@code LocalDate}, {@code OffsetTime}, {@code LocalDateTime}, {@code LocalTime},
 * {@code Duration}, {@code UUID}, arrays, {@code List}, {@code Set}, {@code Map<String, …>}, nested
 * records (generic ones resolved from the type they are declared with, recursive ones by {@code $ref}),
 * and sealed interfaces of records (an {@code anyOf}, each record with a constant discriminator, see
 * {@link TypeField} and {@link TypeName}); {@code @Description} on a record or a component becomes its
 * {@code description}. Anything else is refused, naming the component.
 *
 * <p>Binding is exact: numbers from their JSON text ({@code BigDecimal} keeps digits and scale); a number
 * out of its type's range, a property given twice, a {@code Set} item given twice, a text not in its
 * format are violations with their JSON Pointer.
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

    /** Per type, the schema read for it; an entry of an older generation is read anew. */
    private static final ClassValue<AtomicReference<RecordSchema<?>>> CACHE = new ClassValue<>() {
        @Override
        protected AtomicReference<RecordSchema<?>> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };
    /** Bumped by {@link #forgetAll()}: the schemas of earlier generations are stale. */
    private static volatile int generation;
    /** The most tools Anthropic holds to their schemas in one request. */
    static final int ANTHROPIC_MAX_STRICT_TOOLS = 20;

    private final Class<R> type;
    private final Shape.ObjectOf shape;
    private final int born = generation;
    /** Each dialect's schema, written on first use; published racily (its fields are final). */
    private final SchemaWriter.Written[] written = new SchemaWriter.Written[SchemaDialect.values().length];
    private final JsonSchema[] schemas = new JsonSchema[SchemaDialect.values().length];

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
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <R extends Record> RecordSchema<R> of(Class<R> type) {
        AtomicReference<RecordSchema<?>> cached = CACHE.get(Objects.requireNonNull(type, "type"));
        RecordSchema<?> s = cached.get();
        while (s == null || s.born != generation) {
            RecordSchema<?> fresh = new RecordSchema(type);
            s = cached.compareAndSet(s, fresh) ? fresh : cached.get();
        }
        return (RecordSchema<R>) s;
    }

    /**
     * Forgets every schema read so far: each type is read and written anew on its next use. For tests
     * that must see the reading and writing happen (mutation testing runs many in one JVM).
     */
    static void forgetAll() {
        generation++;
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
     * @throws UnsupportedSchemaException naming the component or limit when the dialect cannot take the
     *                                    record (see {@link #fits})
     * @throws NullPointerException       if dialect is null
     */
    public JsonSchema jsonSchema(SchemaDialect dialect) {
        JsonSchema s = schemas[dialect.ordinal()];
        if (s != null) {
            return s;
        }
        SchemaWriter.Written w = written(dialect);
        if (!w.problems().isEmpty()) {
            throw new UnsupportedSchemaException(type, dialect, w.problems());
        }
        s = JsonSchema.of(w.json());
        schemas[dialect.ordinal()] = s;
        return s;
    }

    /**
     * Whether a dialect can take the record: {@link SchemaDialect#STANDARD} and
     * {@link SchemaDialect#MOONSHOT} take every record; the strict dialects refuse a {@code Map}, OpenAI's a
     * schema over its size and nesting limits, Anthropic's a record that contains itself or one with more
     * than 24 optional properties or 16 unions.
     *
     * @param dialect the dialect
     * @return true when {@link #jsonSchema} gives a schema in it
     * @throws NullPointerException if dialect is null
     */
    public boolean fits(SchemaDialect dialect) {
        return written(dialect).problems().isEmpty();
    }

    private SchemaWriter.Written written(SchemaDialect dialect) {
        SchemaWriter.Written w = written[dialect.ordinal()];
        if (w == null) {
            w = SchemaWriter.write(shape, dialect);
            written[dialect.ordinal()] = w;
        }
        return w;
    }

    /**
     * Which of several schemas a server holds the model to in one request, in order: for a dialect that
     * is not {@linkplain SchemaDialect#isStrict strict}, none; for {@link SchemaDialect#OPENAI_STRICT},
     * each that {@linkplain #fits fits}; for {@link SchemaDialect#ANTHROPIC}, those that fit while the
     * request stays within Anthropic's limits (20 strict tools, 24 optional properties and 16 unions
     * across them), the first ones first. The others go without strict mode, in
     * {@link SchemaDialect#STANDARD}.
     *
     * @param dialect the dialect of the request
     * @param schemas the tools' schemas, in the order they are declared
     * @return for each schema, whether it is sent strict
     * @throws NullPointerException if an argument is null
     */
    public static List<Boolean> strictTogether(SchemaDialect dialect, List<? extends RecordSchema<?>> schemas) {
        List<Boolean> strict = new ArrayList<>(schemas.size());
        int tools = 0;
        int optional = 0;
        int unions = 0;
        for (RecordSchema<?> s : schemas) {
            boolean ok = dialect.isStrict() && s.fits(dialect);
            if (ok && dialect == SchemaDialect.ANTHROPIC) {
                SchemaWriter.Written w = s.written(dialect);
                ok = tools < ANTHROPIC_MAX_STRICT_TOOLS && optional + w.optional() <= SchemaWriter.Limits.ANTHROPIC.optional()
                        && unions + w.unions() <= SchemaWriter.Limits.ANTHROPIC.unions();
                if (ok) {
                    tools++;
                    optional += w.optional();
                    unions += w.unions();
                }
            }
            strict.add(ok);
        }
        return List.copyOf(strict);
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
        JsonNode tree = JsonTree.read(json, violations);
        Object value = tree == null ? null : Binder.bind(shape, tree, strict, violations);
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
