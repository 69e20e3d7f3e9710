package dev.alfred.llm.schema;

import dev.alfred.llm.schema.SchemaViolation.Kind;
import tools.jackson.databind.JsonNode;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Binds a JSON tree to a {@link Shape}, collecting every violation with its JSON Pointer. A value that
 * does not bind is {@code null} and leaves at least one violation; a record is constructed only when its
 * whole value is free of violations, so no half-filled record is ever made. Numbers bind exactly or not
 * at all: an integer past its type's range, a fraction for an integer, a number past {@code double}'s
 * range, are violations, never a rounded or infinite value. Stateless; one call per value.
 */
final class Binder {

    /** The most digits a {@code BigInteger} is bound with (a JSON number's text is bounded alike). */
    static final int MAX_INTEGER_DIGITS = 1000;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Binder() {
    }

    /**
     * Binds a value.
     *
     * @param shape      the shape
     * @param node       the JSON value
     * @param strict     whether a property the record does not have is a violation
     * @param violations where the violations go
     * @return the value, or null when there were violations
     */
    static Object bind(Shape shape, JsonNode node, boolean strict, List<SchemaViolation> violations) {
        return value(shape, node, "", strict, violations);
    }

    private static Object value(Shape shape, JsonNode n, String at, boolean strict, List<SchemaViolation> out) {
        if (shape instanceof Shape.Scalar) {
            return scalar((Shape.Scalar) shape, n, at, out);
        }
        if (shape instanceof Shape.EnumOf) {
            Shape.EnumOf e = (Shape.EnumOf) shape;
            if (!n.isString()) {
                return wrong(at, "one of " + e.names(), n, out);
            }
            int i = e.names().indexOf(n.stringValue());
            if (i >= 0) {
                return e.type().getEnumConstants()[i];
            }
            out.add(new SchemaViolation(at, Kind.UNKNOWN_ENUM_CONSTANT, quoted(n.stringValue()) + " is not one of "
                    + e.names()));
            return null;
        }
        if (shape instanceof Shape.ArrayOf) {
            return array((Shape.ArrayOf) shape, n, at, strict, out);
        }
        if (shape instanceof Shape.MapOf) {
            if (!n.isObject()) {
                return wrong(at, "an object", n, out);
            }
            int before = out.size();
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : n.properties()) {
                map.put(entry.getKey(), value(((Shape.MapOf) shape).values(), entry.getValue(),
                        at + "/" + escape(entry.getKey()), strict, out));
            }
            return out.size() > before ? null : Collections.unmodifiableMap(map);
        }
        if (shape instanceof Shape.ObjectOf) {
            return record((Shape.ObjectOf) shape, n, at, strict, null, out);
        }
        if (shape instanceof Shape.Ref) {
            return record(((Shape.Ref) shape).target(), n, at, strict, null, out);
        }
        return choice((Shape.AnyOf) shape, n, at, strict, out);
    }

    private static Object array(Shape.ArrayOf a, JsonNode n, String at, boolean strict, List<SchemaViolation> out) {
        if (!n.isArray()) {
            return wrong(at, "an array", n, out);
        }
        int before = out.size();
        List<Object> items = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            items.add(value(a.items(), n.get(i), at + "/" + i, strict, out));
        }
        if (out.size() > before) {
            return null;
        }
        switch (a.collection()) {
            case SET:
                Map<Object, Integer> first = new HashMap<>();
                for (int i = 0; i < items.size(); i++) {
                    Integer earlier = first.putIfAbsent(items.get(i), i);
                    if (earlier != null) {
                        out.add(new SchemaViolation(at + "/" + i, Kind.DUPLICATE_ITEM, "the same item as " + at + "/"
                                + earlier + "; a set holds each item once"));
                    }
                }
                return out.size() > before ? null : Collections.unmodifiableSet(new LinkedHashSet<>(items));
            case ARRAY:
                Object array = Array.newInstance(a.elementType(), items.size());
                for (int i = 0; i < items.size(); i++) {
                    Array.set(array, i, items.get(i));
                }
                return array;
            default:
                return Collections.unmodifiableList(items);
        }
    }

    /** One of a sealed interface's records, the one its discriminator names. */
    private static Object choice(Shape.AnyOf any, JsonNode n, String at, boolean strict, List<SchemaViolation> out) {
        if (!n.isObject()) {
            return wrong(at, "an object (" + any.type().getSimpleName() + ")", n, out);
        }
        String here = at + "/" + escape(any.discriminator());
        JsonNode tag = n.get(any.discriminator());
        if (tag == null) {
            out.add(new SchemaViolation(here, Kind.MISSING, "required " + quoted(any.discriminator()) + " is missing: it"
                    + " names which " + any.type().getSimpleName() + " this is, one of " + any.tags()));
            return null;
        }
        int i = tag.isString() ? any.tags().indexOf(tag.stringValue()) : -1;
        if (i < 0) {
            out.add(new SchemaViolation(here, Kind.NO_MATCHING_ALTERNATIVE, shown(tag) + " names none of the records "
                    + any.type().getSimpleName() + " allows, " + any.tags()));
            return null;
        }
        Shape alternative = any.alternatives().get(i);
        Shape.ObjectOf o = alternative instanceof Shape.Ref ? ((Shape.Ref) alternative).target()
                : (Shape.ObjectOf) alternative;
        return record(o, n, at, strict, any.discriminator(), out);
    }

    private static Object record(Shape.ObjectOf o, JsonNode n, String at, boolean strict, String discriminator,
                                 List<SchemaViolation> out) {
        if (!n.isObject()) {
            return wrong(at, "an object (" + o.type().getSimpleName() + ")", n, out);
        }
        int before = out.size();
        List<Shape.Property> properties = o.properties();
        Object[] args = new Object[properties.size()];
        for (int i = 0; i < args.length; i++) {
            Shape.Property p = properties.get(i);
            JsonNode v = n.get(p.name());
            String here = at + "/" + escape(p.name());
            if (v == null || v.isNull()) {
                if (p.optional()) {
                    args[i] = Optional.empty();
                } else if (p.nullable()) {
                    args[i] = null;
                } else if (v == null) {
                    out.add(new SchemaViolation(here, Kind.MISSING, "required " + describe(p.shape()) + " is missing"));
                } else {
                    out.add(new SchemaViolation(here, Kind.WRONG_TYPE, "expected " + describe(p.shape()) + ", got null"));
                }
                continue;
            }
            Object bound = value(p.shape(), v, here, strict, out);
            args[i] = p.optional() && bound != null ? Optional.of(bound) : bound;
        }
        if (strict) {
            unexpected(o, n, at, discriminator, out);
        }
        if (out.size() > before) {
            return null;
        }
        try {
            return o.constructor().newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable refused = e.getCause();
            if (refused instanceof VirtualMachineError) {
                throw (VirtualMachineError) refused;
            }
            out.add(new SchemaViolation(at, Kind.INVALID_VALUE, o.type().getSimpleName() + " refused the value: "
                    + (refused.getMessage() != null ? refused.getMessage() : refused.getClass().getSimpleName())));
            return null;
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            out.add(new SchemaViolation(at, Kind.INVALID_VALUE, o.type().getSimpleName() + " could not be constructed: "
                    + e));
            return null;
        }
    }

    /** Properties the record does not have (the discriminator aside). */
    private static void unexpected(Shape.ObjectOf o, JsonNode n, String at, String discriminator,
                                   List<SchemaViolation> out) {
        for (String name : n.propertyNames()) {
            if (!name.equals(discriminator) && o.properties().stream().noneMatch(p -> p.name().equals(name))) {
                out.add(new SchemaViolation(at + "/" + escape(name), Kind.UNEXPECTED_PROPERTY, o.type().getSimpleName()
                        + " has no property " + quoted(name)));
            }
        }
    }

    private static Object scalar(Shape.Scalar s, JsonNode n, String at, List<SchemaViolation> out) {
        switch (s.kind()) {
            case STRING:
                return n.isString() ? n.stringValue() : wrong(at, "a string", n, out);
            case CHAR:
                return n.isString() && n.stringValue().length() == 1 ? (Object) n.stringValue().charAt(0)
                        : wrong(at, "a string of one character", n, out);
            case BOOLEAN:
                return n.isBoolean() ? (Object) n.booleanValue() : wrong(at, "a boolean", n, out);
            case INTEGER:
                return n.isNumber() ? integer(s.javaType(), n, at, out) : wrong(at, "an integer", n, out);
            case NUMBER:
                return n.isNumber() ? number(s.javaType(), n, at, out) : wrong(at, "a number", n, out);
            default:
                return n.isString() ? text(s, n.stringValue(), at, out) : wrong(at, describeKind(s.kind()), n, out);
        }
    }

    private static Object integer(Class<?> t, JsonNode n, String at, List<SchemaViolation> out) {
        long min;
        long max;
        if (t == int.class || t == Integer.class) {
            min = Integer.MIN_VALUE;
            max = Integer.MAX_VALUE;
        } else if (t == short.class || t == Short.class) {
            min = Short.MIN_VALUE;
            max = Short.MAX_VALUE;
        } else if (t == byte.class || t == Byte.class) {
            min = Byte.MIN_VALUE;
            max = Byte.MAX_VALUE;
        } else {
            min = Long.MIN_VALUE;
            max = Long.MAX_VALUE;
        }
        BigDecimal value = n.decimalValue();
        if (value.stripTrailingZeros().scale() > 0) {
            return wrong(at, "an integer", n, out);
        }
        if (t == BigInteger.class) {
            if (value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
                return wrong(at, "an integer of at most " + MAX_INTEGER_DIGITS + " digits", n, out);
            }
            return value.toBigIntegerExact();
        }
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            return wrong(at, "an integer from " + min + " to " + max, n, out);
        }
        long l = value.longValueExact();
        if (t == int.class || t == Integer.class) {
            return (int) l;
        }
        if (t == short.class || t == Short.class) {
            return (short) l;
        }
        if (t == byte.class || t == Byte.class) {
            return (byte) l;
        }
        return l;
    }

    private static Object number(Class<?> t, JsonNode n, String at, List<SchemaViolation> out) {
        BigDecimal value = n.decimalValue();
        if (t == BigDecimal.class) {
            return value;
        }
        String text = value.toString();
        if (t == float.class || t == Float.class) {
            float f = Float.parseFloat(text);
            return Float.isInfinite(f) || (f == 0 && value.signum() != 0)
                    ? wrong(at, "a number within float's range", n, out) : (Object) f;
        }
        double d = Double.parseDouble(text);
        return Double.isInfinite(d) || (d == 0 && value.signum() != 0)
                ? wrong(at, "a number within double's range", n, out) : (Object) d;
    }

    /** A string in a format, parsed; a text that does not parse is the wrong type. */
    private static Object text(Shape.Scalar scalar, String s, String at, List<SchemaViolation> out) {
        Shape.ScalarKind kind = scalar.kind();
        try {
            switch (kind) {
                case DATE_TIME:
                    OffsetDateTime t = OffsetDateTime.parse(s);
                    return scalar.javaType() == OffsetDateTime.class ? t : t.toInstant();
                case DATE:
                    return LocalDate.parse(s);
                case TIME:
                    return OffsetTime.parse(s);
                case LOCAL_DATE_TIME:
                    return LocalDateTime.parse(s);
                case LOCAL_TIME:
                    return LocalTime.parse(s);
                case DURATION:
                    return Duration.parse(s);
                default:
                    if (UUID_TEXT.matcher(s).matches()) {
                        return UUID.fromString(s);
                    }
                    throw new DateTimeParseException("not a UUID", s, 0);
            }
        } catch (DateTimeParseException e) {
            out.add(new SchemaViolation(at, Kind.WRONG_TYPE, "expected " + describeKind(kind) + ", got " + quoted(s)));
            return null;
        }
    }

    /** Adds that the value is of the wrong type; binds nothing. */
    private static Object wrong(String at, String expected, JsonNode got, List<SchemaViolation> out) {
        out.add(new SchemaViolation(at, Kind.WRONG_TYPE, "expected " + expected + ", got " + shown(got)));
        return null;
    }

    private static String describe(Shape shape) {
        if (shape instanceof Shape.Scalar) {
            return describeKind(((Shape.Scalar) shape).kind());
        }
        if (shape instanceof Shape.EnumOf) {
            return "one of " + ((Shape.EnumOf) shape).names();
        }
        if (shape instanceof Shape.ArrayOf) {
            return "an array";
        }
        if (shape instanceof Shape.ObjectOf) {
            return "an object (" + ((Shape.ObjectOf) shape).type().getSimpleName() + ")";
        }
        if (shape instanceof Shape.Ref) {
            return "an object (" + ((Shape.Ref) shape).target().type().getSimpleName() + ")";
        }
        if (shape instanceof Shape.AnyOf) {
            return "an object (" + ((Shape.AnyOf) shape).type().getSimpleName() + ")";
        }
        return "an object";
    }

    private static String describeKind(Shape.ScalarKind kind) {
        switch (kind) {
            case STRING:
                return "a string";
            case CHAR:
                return "a string of one character";
            case BOOLEAN:
                return "a boolean";
            case INTEGER:
                return "an integer";
            case NUMBER:
                return "a number";
            case DATE_TIME:
                return "an RFC 3339 date-time with its offset";
            case DATE:
                return "an ISO 8601 date";
            case TIME:
                return "an RFC 3339 time with its offset";
            case LOCAL_DATE_TIME:
                return "an ISO 8601 date-time without offset";
            case LOCAL_TIME:
                return "an ISO 8601 time without offset";
            case DURATION:
                return "an ISO 8601 duration";
            default:
                return "a UUID";
        }
    }

    /** A JSON value, shortened, as a message shows it. */
    static String shown(JsonNode n) {
        String s = n.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    static String quoted(String s) {
        String q = s.length() <= 60 ? s : s.substring(0, 57) + "...";
        return "\"" + q + "\"";
    }

    /** A property name as a JSON Pointer token (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
