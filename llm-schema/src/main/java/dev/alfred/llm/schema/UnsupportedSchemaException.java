package dev.alfred.llm.schema;

import java.util.List;

/**
 * A record that a {@link SchemaDialect} cannot take: a type the dialect cannot express (a {@code Map} in
 * a strict dialect, a record that contains itself for Anthropic) or a schema over the server's documented
 * limits. Thrown before anything is sent, so a server never sees a schema it would refuse. Tools and
 * structured answers do not throw it: they fall back to {@link SchemaDialect#STANDARD} without strict
 * mode (see {@link RecordSchema#fits}).
 */
public final class UnsupportedSchemaException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The dialect that cannot take the schema. */
    private final SchemaDialect dialect;
    /** Why, one reason each. */
    private final transient List<String> problems;

    /**
     * Creates the exception.
     *
     * @param type     the record
     * @param dialect  the dialect
     * @param problems why, at least one
     * @throws IllegalArgumentException if there is no problem
     */
    public UnsupportedSchemaException(Class<?> type, SchemaDialect dialect, List<String> problems) {
        super(type.getSimpleName() + " does not fit " + dialect + ": " + String.join("; ", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an unsupported schema needs at least one problem");
        }
        this.dialect = dialect;
        this.problems = List.copyOf(problems);
    }

    /**
     * The dialect that cannot take the schema.
     *
     * @return the dialect
     */
    public SchemaDialect dialect() {
        return dialect;
    }

    /**
     * Why the dialect cannot take it, each naming the component or the limit.
     *
     * @return the problems
     */
    public List<String> problems() {
        return problems;
    }
}
