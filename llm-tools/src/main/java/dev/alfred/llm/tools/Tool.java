package dev.alfred.llm.tools;

import dev.alfred.llm.ToolDefinition;
import dev.alfred.llm.schema.RecordSchema;
import dev.alfred.llm.schema.SchemaDialect;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A tool the model may call: a name, a description, the record its arguments bind to (its JSON Schema is
 * what the model sees), the function that runs it, and optionally a deadline of its own. The function's
 * result goes back to the model as text: a {@code String} as it is, anything else (a record, a list, a
 * number) as JSON. Immutable and thread-safe when the function is.
 *
 * <pre>{@code
 * record WeatherQuery(@Description("a city") String city) { }
 * Tool weather = Tool.of("get_weather", "The weather now in a city", WeatherQuery.class, q -> forecast(q.city()));
 * Tool slow = weather.withTimeout(Duration.ofSeconds(5));
 * }</pre>
 *
 * @param <A> the arguments' record type
 */
public final class Tool<A extends Record> {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_-]{0,63}");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final String name;
    private final String description;
    private final RecordSchema<A> arguments;
    private final Function<? super A, ?> function;
    private final Duration timeout;

    private Tool(String name, String description, RecordSchema<A> arguments, Function<? super A, ?> function,
                 Duration timeout) {
        this.name = name;
        this.description = description;
        this.arguments = arguments;
        this.function = function;
        this.timeout = timeout;
    }

    /**
     * Makes a tool.
     *
     * @param name        the name the model calls it by: a letter or underscore, then up to 63 letters,
     *                    digits, underscores or hyphens (what every provider accepts)
     * @param description what it does, for the model
     * @param arguments   the record its arguments bind to
     * @param function    what it does; its result goes back as text (a String) or JSON (anything else)
     * @param <A>         the arguments' record type
     * @return the tool, with the loop's deadline
     * @throws IllegalArgumentException if the name is not allowed or the description is blank, or naming the
     *                                  component when the record cannot be expressed as JSON Schema
     * @throws NullPointerException     if an argument is null
     */
    public static <A extends Record> Tool<A> of(String name, String description, Class<A> arguments,
                                                Function<? super A, ?> function) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(function, "function");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tool name '" + name + "' must match " + NAME.pattern());
        }
        if (description.isBlank()) {
            throw new IllegalArgumentException("tool '" + name + "' needs a description: the model chooses tools by it");
        }
        return new Tool<>(name, description, RecordSchema.of(Objects.requireNonNull(arguments, "arguments")), function,
                null);
    }

    /**
     * This tool with a deadline of its own, instead of the loop's ({@link ToolLoop.Builder#toolTimeout}):
     * a call still running when it passes is interrupted and abandoned (never waited for), and the model
     * is told it did not finish.
     *
     * @param timeout how long one call may run, positive
     * @return the tool with that deadline
     * @throws IllegalArgumentException if timeout is not positive
     * @throws NullPointerException     if timeout is null
     */
    public Tool<A> withTimeout(Duration timeout) {
        return new Tool<>(name, description, arguments, function, ToolLoop.positive("timeout", timeout));
    }

    /**
     * The tool's own deadline.
     *
     * @return the deadline, or empty for the loop's
     */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * The tool's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * What the tool does.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The schema of the arguments.
     *
     * @return the record schema
     */
    public RecordSchema<A> arguments() {
        return arguments;
    }

    /**
     * The tool as a request declares it to a server of a dialect: strict (the server holds the model to
     * the schema) when the dialect is strict and the arguments' record fits it, the schema then in that
     * dialect; otherwise not strict, in {@link SchemaDialect#STANDARD} for a strict dialect and in the
     * dialect itself for the others. A loop declaring several tools to Anthropic also keeps within its
     * per-request limits ({@link RecordSchema#strictTogether}).
     *
     * @param dialect the provider's schema dialect
     * @return the definition
     * @throws NullPointerException if dialect is null
     */
    public ToolDefinition definition(SchemaDialect dialect) {
        return definition(dialect, RecordSchema.strictTogether(dialect, List.of(arguments)).get(0));
    }

    ToolDefinition definition(SchemaDialect dialect, boolean strict) {
        SchemaDialect written = strict || !dialect.isStrict() ? dialect : SchemaDialect.STANDARD;
        return new ToolDefinition(ToolDefinition.Type.FUNCTION, name, description, arguments.jsonSchema(written), strict);
    }

    /**
     * Binds the arguments and runs the function.
     *
     * @param json the call's arguments
     * @return the result as text
     * @throws dev.alfred.llm.schema.StructuredOutputException when the arguments do not fit the record
     * @throws RuntimeException                                 whatever the function throws (checked ones too,
     *                                                          when it throws them sneakily)
     */
    String call(String json) {
        Object result = function.apply(arguments.parse(json));
        if (result instanceof String) {
            return (String) result;
        }
        return MAPPER.writeValueAsString(result);
    }

    @Override
    public String toString() {
        return "Tool{" + name + "(" + arguments.type().getSimpleName() + ")" + (timeout == null ? "" : ", ≤ " + timeout)
                + "}";
    }
}
