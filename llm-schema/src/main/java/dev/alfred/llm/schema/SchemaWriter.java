package dev.alfred.llm.schema;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a record's {@link Shape} as JSON Schema text in a dialect, in one pass that also measures what
 * the dialect's server limits (properties, nesting, characters, enum values, optional properties,
 * unions) and collects why the dialect cannot take it. Keys come in one order: {@code $ref} or
 * {@code type}, {@code description}, then {@code format}, {@code pattern}, {@code minimum},
 * {@code maximum}, {@code minLength}, {@code maxLength}, then {@code enum} or {@code const}, or
 * {@code items} and {@code uniqueItems}, or {@code properties}, {@code required} and
 * {@code additionalProperties}, or {@code anyOf}; {@code $defs} last in the root. One writer per schema
 * written; not thread-safe.
 */
final class SchemaWriter {

    /**
     * What a server's strict mode takes at most, {@link Integer#MAX_VALUE} where it does not say.
     *
     * @param properties     properties in all objects
     * @param depth          levels of nesting, the root at 0
     * @param chars          characters of property names, definition names, enum and const values
     * @param enumValues     enum values in all
     * @param largeEnum      values of one enum past which its characters are bounded
     * @param largeEnumChars characters of such an enum's values
     * @param optional       properties left out of {@code required}
     * @param unions         {@code anyOf}s and {@code null}-typed unions
     */
    record Limits(int properties, int depth, int chars, int enumValues, int largeEnum, int largeEnumChars,
                  int optional, int unions) {
        /** No limit. */
        static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
        /** OpenAI's documented limits on a strict schema. */
        static final Limits OPENAI = new Limits(5000, 10, 120_000, 1000, 250, 15_000, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
        /** Anthropic's documented limits on strict schemas (per request; one schema cannot pass them either). */
        static final Limits ANTHROPIC = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 24, 16);

        static Limits of(SchemaDialect d) {
            return d == SchemaDialect.OPENAI_STRICT ? OPENAI : d == SchemaDialect.ANTHROPIC ? ANTHROPIC : NONE;
        }
    }

    static final String LOCAL_DATE_TIME_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?$";
    static final String LOCAL_TIME_PATTERN = "^\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?$";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * A schema as written.
     *
     * @param json     the text
     * @param problems why the dialect cannot take it; empty when it fits
     * @param optional the properties left out of {@code required}
     * @param unions   the {@code anyOf}s and {@code null}-typed unions
     */
    record Written(String json, List<String> problems, int optional, int unions) {
    }

    /** A record written once in {@code $defs}: the record, and the discriminator it carries there, if any. */
    private record Def(Shape.ObjectOf record, String discriminator, String tag) {
    }

    private final Shape.ObjectOf root;
    private final SchemaDialect d;
    private final JsonGenerator g;
    private final List<String> problems = new ArrayList<>();
    private final Map<Def, String> defs = new LinkedHashMap<>();
    private final Set<String> defNames = new HashSet<>();
    private final Limits limits;
    private int properties;
    private int chars;
    private int enumValues;
    private int depth;
    private int optional;
    private int unions;

    private SchemaWriter(Shape.ObjectOf root, SchemaDialect d, Limits limits, StringWriter out) {
        this.root = root;
        this.d = d;
        this.limits = limits;
        this.g = JSON.createGenerator(ObjectWriteContext.empty(), out);
    }

    /**
     * The schema of a record, as text.
     *
     * @param root the record's shape
     * @param d    the dialect
     * @return the text and what the dialect cannot take
     */
    static Written write(Shape.ObjectOf root, SchemaDialect d) {
        return write(root, d, Limits.of(d));
    }

    /** The schema, measured against the given limits. */
    static Written write(Shape.ObjectOf root, SchemaDialect d, Limits limits) {
        StringWriter out = new StringWriter(256);
        SchemaWriter w = new SchemaWriter(root, d, limits, out);
        w.body(root, null, false, null, null, 0, true);
        w.g.close();
        w.limits();
        return new Written(out.toString(), List.copyOf(w.problems), w.optional, w.unions);
    }

    private void limits() {
        check(properties <= limits.properties(), "it has " + properties + " properties, over the limit of "
                + limits.properties());
        check(depth <= limits.depth(), "it nests " + depth + " levels deep, over the limit of " + limits.depth());
        check(chars <= limits.chars(), "its property names, definition names and enum and const values come to "
                + chars + " characters, over the limit of " + limits.chars());
        check(enumValues <= limits.enumValues(), "it has " + enumValues + " enum values, over the limit of "
                + limits.enumValues());
        check(optional <= limits.optional(), "it has " + optional + " optional properties, over the limit of "
                + limits.optional());
        check(unions <= limits.unions(), "it has " + unions + " unions (anyOf or a type with null), over the limit of "
                + limits.unions());
    }

    private void check(boolean ok, String problem) {
        if (!ok) {
            problems.add(root.name() + ": " + problem);
        }
    }

    /** Writes a value's schema. */
    private void value(Shape shape, String description, boolean nullable, int level) {
        depth = Math.max(depth, level);
        if (shape instanceof Shape.Scalar) {
            scalar((Shape.Scalar) shape, description, nullable);
        } else if (shape instanceof Shape.EnumOf) {
            List<String> names = ((Shape.EnumOf) shape).names();
            start(type("string", nullable), description, null);
            g.writeArrayPropertyStart("enum");
            int length = 0;
            for (String name : names) {
                g.writeString(name);
                length += name.length();
            }
            if (nullable && d.writesNull()) {
                g.writeNull();
            }
            g.writeEndArray();
            g.writeEndObject();
            enumValues += names.size();
            chars += length;
            if (names.size() > limits.largeEnum() && length > limits.largeEnumChars()) {
                problems.add(((Shape.EnumOf) shape).type().getSimpleName() + ": an enum of " + names.size()
                        + " values and " + length + " characters, over the limit of " + limits.largeEnumChars()
                        + " characters for an enum of more than " + limits.largeEnum() + " values");
            }
        } else if (shape instanceof Shape.ArrayOf) {
            Shape.ArrayOf a = (Shape.ArrayOf) shape;
            boolean set = a.collection() == Shape.Collection.SET;
            start(type("array", nullable), description, set && !d.writesLengths() ? "no two items alike" : null);
            g.writeName("items");
            value(a.items(), null, false, level + 1);
            if (set && d.writesLengths()) {
                g.writeBooleanProperty("uniqueItems", true);
            }
            g.writeEndObject();
        } else if (shape instanceof Shape.MapOf) {
            Shape.MapOf m = (Shape.MapOf) shape;
            if (!d.writesMaps()) {
                problems.add(m.where() + ": a Map cannot be expressed in " + d + ", which wants additionalProperties:"
                        + " false on every object; use a List of records");
            }
            start(type("object", nullable), description, null);
            if (d == SchemaDialect.MOONSHOT) {
                g.writeObjectPropertyStart("properties");
                g.writeEndObject();
                g.writeArrayPropertyStart("required");
                g.writeEndArray();
            }
            g.writeName("additionalProperties");
            value(m.values(), null, false, level + 1);
            g.writeEndObject();
        } else if (shape instanceof Shape.ObjectOf) {
            Shape.ObjectOf o = (Shape.ObjectOf) shape;
            if (o.recursive()) {
                reference(o, null, null, description, nullable);
            } else {
                body(o, description, nullable, null, null, level, false);
            }
        } else if (shape instanceof Shape.AnyOf) {
            anyOf((Shape.AnyOf) shape, description, nullable, level);
        } else {
            reference(((Shape.Ref) shape).target(), null, null, description, nullable);
        }
    }

    private void scalar(Shape.Scalar s, String description, boolean nullable) {
        Class<?> t = s.javaType();
        switch (s.kind()) {
            case CHAR:
                start(type("string", nullable), description, d.writesLengths() ? null : "one character");
                if (d.writesLengths()) {
                    g.writeNumberProperty("minLength", 1);
                    g.writeNumberProperty("maxLength", 1);
                }
                break;
            case BOOLEAN:
                start(type("boolean", nullable), description, null);
                break;
            case INTEGER:
                long bound = t == byte.class || t == Byte.class ? Byte.MAX_VALUE
                        : t == short.class || t == Short.class ? Short.MAX_VALUE : 0;
                boolean ranged = bound != 0 && d.writesRanges();
                start(type("integer", nullable), description, bound != 0 && !ranged
                        ? "an integer from " + (-bound - 1) + " to " + bound : null);
                if (ranged) {
                    g.writeNumberProperty("minimum", -bound - 1);
                    g.writeNumberProperty("maximum", bound);
                }
                break;
            case NUMBER:
                start(type("number", nullable), description, null);
                break;
            case STRING:
                start(type("string", nullable), description, null);
                break;
            default:
                formatted(s.kind(), description, nullable);
        }
        g.writeEndObject();
    }

    /** A string in a format: {@code format} or {@code pattern} where the dialect writes them, else a hint. */
    private void formatted(Shape.ScalarKind kind, String description, boolean nullable) {
        String format;
        String pattern = null;
        String hint;
        switch (kind) {
            case DATE_TIME:
                format = "date-time";
                hint = "an RFC 3339 date-time with its offset, such as 2026-01-31T10:15:30Z";
                break;
            case DATE:
                format = "date";
                hint = "an ISO 8601 date, such as 2026-01-31";
                break;
            case TIME:
                format = "time";
                hint = "an RFC 3339 time with its offset, such as 10:15:30Z";
                break;
            case LOCAL_DATE_TIME:
                format = null;
                pattern = LOCAL_DATE_TIME_PATTERN;
                hint = "an ISO 8601 date-time without offset, such as 2026-01-31T10:15:30";
                break;
            case LOCAL_TIME:
                format = null;
                pattern = LOCAL_TIME_PATTERN;
                hint = "an ISO 8601 time without offset, such as 10:15:30";
                break;
            case DURATION:
                format = "duration";
                hint = "an ISO 8601 duration, such as PT1M30S";
                break;
            default:
                format = "uuid";
                hint = "a UUID, such as 123e4567-e89b-12d3-a456-426614174000";
        }
        boolean written = d.writesFormats();
        start(type("string", nullable), description, written ? null : hint);
        if (written && format != null) {
            g.writeStringProperty("format", format);
        }
        if (written && pattern != null) {
            g.writeStringProperty("pattern", pattern);
        }
    }

    /** Writes a record's own schema, its discriminator first when it is a sealed interface's alternative. */
    private void body(Shape.ObjectOf o, String description, boolean nullable, String discriminator, String tag,
                      int level, boolean top) {
        depth = Math.max(depth, level);
        start(type("object", nullable), description != null ? description : o.description(), null);
        g.writeObjectPropertyStart("properties");
        if (discriminator != null) {
            g.writeObjectPropertyStart(discriminator);
            g.writeStringProperty("type", "string");
            if (d.writesConstants()) {
                g.writeStringProperty("const", tag);
            } else {
                g.writeArrayPropertyStart("enum");
                g.writeString(tag);
                g.writeEndArray();
            }
            g.writeEndObject();
            properties++;
            chars += discriminator.length() + tag.length();
        }
        for (Shape.Property p : o.properties()) {
            g.writeName(p.name());
            properties++;
            chars += p.name().length();
            value(p.shape(), p.description(), !p.required(), level + 1);
        }
        g.writeEndObject();
        g.writeArrayPropertyStart("required");
        if (discriminator != null) {
            g.writeString(discriminator);
        }
        for (Shape.Property p : o.properties()) {
            if (p.required() || d.requiresAll()) {
                g.writeString(p.name());
            } else {
                optional++;
            }
        }
        g.writeEndArray();
        g.writeBooleanProperty("additionalProperties", false);
        if (top) {
            definitions(level);
        }
        g.writeEndObject();
    }

    /** Writes every record referred to by {@code $ref}, including those the definitions themselves refer to. */
    private void definitions(int level) {
        if (defs.isEmpty()) {
            return;
        }
        g.writeObjectPropertyStart("$defs");
        Set<Def> written = new HashSet<>();
        while (written.size() < defs.size()) {
            for (Map.Entry<Def, String> e : new ArrayList<>(defs.entrySet())) {
                if (written.add(e.getKey())) {
                    g.writeName(e.getValue());
                    chars += e.getValue().length();
                    Def def = e.getKey();
                    body(def.record(), null, false, def.discriminator(), def.tag(), level + 1, false);
                }
            }
        }
        g.writeEndObject();
    }

    private void anyOf(Shape.AnyOf a, String description, boolean nullable, int level) {
        g.writeStartObject();
        describe(description != null ? description : a.description(), null);
        g.writeArrayPropertyStart("anyOf");
        unions++;
        for (int i = 0; i < a.alternatives().size(); i++) {
            Shape alternative = a.alternatives().get(i);
            Shape.ObjectOf o = alternative instanceof Shape.Ref ? ((Shape.Ref) alternative).target()
                    : (Shape.ObjectOf) alternative;
            if (o.recursive()) {
                reference(o, a.discriminator(), a.tags().get(i), null, false);
            } else {
                body(o, null, false, a.discriminator(), a.tags().get(i), level + 1, false);
            }
        }
        if (nullable && d.writesNull()) {
            g.writeStartObject();
            g.writeStringProperty("type", "null");
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A {@code $ref} to a record that contains itself: {@code #} for the root, else its entry in {@code $defs}. */
    private void reference(Shape.ObjectOf o, String discriminator, String tag, String description, boolean nullable) {
        if (d == SchemaDialect.ANTHROPIC) {
            String problem = o.name() + " contains itself, which Anthropic's strict mode cannot express";
            if (!problems.contains(problem)) {
                problems.add(problem);
            }
        }
        String ref = o == root && discriminator == null ? "#" : "#/$defs/" + defName(new Def(o, discriminator, tag));
        boolean withNull = nullable && d.writesNull();
        g.writeStartObject();
        if (withNull) {
            describe(description, null);
            g.writeArrayPropertyStart("anyOf");
            unions++;
            g.writeStartObject();
        }
        g.writeStringProperty("$ref", ref);
        if (!withNull) {
            describe(description, null);
        } else {
            g.writeEndObject();
            g.writeStartObject();
            g.writeStringProperty("type", "null");
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private String defName(Def def) {
        String name = defs.get(def);
        if (name == null) {
            String base = def.tag() == null ? def.record().name() : def.record().name() + "_" + def.tag();
            name = base;
            for (int i = 2; !defNames.add(name); i++) {
                name = base + "_" + i;
            }
            defs.put(def, name);
        }
        return name;
    }

    /** The type to write: the JSON type, or it and {@code null}. */
    private String[] type(String type, boolean nullable) {
        if (nullable && d.writesNull()) {
            unions++;
            return new String[] {type, "null"};
        }
        return new String[] {type};
    }

    private void start(String[] type, String description, String hint) {
        g.writeStartObject();
        if (type.length == 1) {
            g.writeStringProperty("type", type[0]);
        } else {
            g.writeArrayPropertyStart("type");
            g.writeString(type[0]);
            g.writeString(type[1]);
            g.writeEndArray();
        }
        describe(description, hint);
    }

    /** The description, with what the dialect cannot write as a keyword said in it. */
    private void describe(String description, String hint) {
        String text = hint == null ? description : description == null ? hint : description + " (" + hint + ")";
        if (text != null) {
            g.writeStringProperty("description", text);
        }
    }

    @Override
    public String toString() {
        return "SchemaWriter{" + Objects.toString(root.name()) + ", " + d + "}";
    }
}
