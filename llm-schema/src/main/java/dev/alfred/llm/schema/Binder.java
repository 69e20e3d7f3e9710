package dev.alfred.llm.schema;

import dev.alfred.llm.schema.SchemaViolation.Kind;
import dev.alfred.llm.schema.internal.Shape;
import tools.jackson.databind.JsonNode;

import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a JSON tree to a {@link Shape}, collecting every violation with its JSON Pointer. A record is
 * constructed only when its whole value is free of violations, so no half-filled record is ever made.
 * Stateless; one call per value.
 */
final class Binder {

    /** What a value that could not be bound stands in for, until the violations are thrown. */
    private static final Object INVALID = new Object();

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
        Object v = value(shape, node, "", strict, violations);
        return v == INVALID || !violations.isEmpty() ? null : v;
    }

    private static Object value(Shape shape, JsonNode n, String at, boolean strict, List<SchemaViolation> out) {
        if (shape instanceof Shape.Scalar) {
            return scalar((Shape.Scalar) shape, n, at, out);
        }
        if (shape instanceof Shape.EnumOf) {
            Class<?> type = ((Shape.EnumOf) shape).type();
            if (!n.isString()) {
                return wrong(at, "one of " + ((Shape.EnumOf) shape).names(), n, out);
            }
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(n.stringValue())) {
                    return constant;
                }
            }
            out.add(new SchemaViolation(at, Kind.UNKNOWN_ENUM_CONSTANT, quoted(n.stringValue()) + " is not one of "
                    + ((Shape.EnumOf) shape).names()));
            return INVALID;
        }
        if (shape instanceof Shape.ArrayOf) {
            Shape.ArrayOf a = (Shape.ArrayOf) shape;
            if (!n.isArray()) {
                return wrong(at, "an array", n, out);
            }
            List<Object> items = new ArrayList<>(n.size());
            boolean ok = true;
            for (int i = 0; i < n.size(); i++) {
                Object item = value(a.items(), n.get(i), at + "/" + i, strict, out);
                ok &= item != INVALID;
                items.add(item);
            }
            if (!ok) {
                return INVALID;
            }
            return a.unique() ? Set.copyOf(new LinkedHashSet<>(items)) : List.copyOf(items);
        }
        if (shape instanceof Shape.MapOf) {
            if (!n.isObject()) {
                return wrong(at, "an object", n, out);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            boolean ok = true;
            for (String key : n.propertyNames()) {
                Object v = value(((Shape.MapOf) shape).values(), n.get(key), at + "/" + escape(key), strict, out);
                ok &= v != INVALID;
                map.put(key, v);
            }
            return ok ? Map.copyOf(map) : INVALID;
        }
        if (shape instanceof Shape.ObjectOf) {
            return record((Shape.ObjectOf) shape, n, at, strict, out);
        }
        Shape.AnyOf any = (Shape.AnyOf) shape;
        List<String> why = new ArrayList<>();
        for (Shape.ObjectOf alternative : any.alternatives()) {
            List<SchemaViolation> tried = new ArrayList<>();
            Object v = record(alternative, n, at, true, tried);
            if (v != INVALID && tried.isEmpty()) {
                return v;
            }
            why.add(alternative.type().getSimpleName() + ": " + tried.get(0));
        }
        out.add(new SchemaViolation(at, Kind.NO_MATCHING_ALTERNATIVE, "matches none of the records "
                + any.type().getSimpleName() + " allows (" + String.join("; ", why) + ")"));
        return INVALID;
    }

    private static Object record(Shape.ObjectOf o, JsonNode n, String at, boolean strict, List<SchemaViolation> out) {
        if (!n.isObject()) {
            return wrong(at, "an object (" + o.type().getSimpleName() + ")", n, out);
        }
        int before = out.size();
        Object[] args = new Object[o.properties().size()];
        for (int i = 0; i < args.length; i++) {
            Shape.Property p = o.properties().get(i);
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
            args[i] = p.optional() && bound != INVALID ? Optional.of(bound) : bound;
        }
        if (strict) {
            for (String name : n.propertyNames()) {
                if (o.properties().stream().noneMatch(p -> p.name().equals(name))) {
                    out.add(new SchemaViolation(at + "/" + escape(name), Kind.UNEXPECTED_PROPERTY, o.type().getSimpleName()
                            + " has no property " + quoted(name)));
                }
            }
        }
        if (out.size() > before) {
            return INVALID;
        }
        try {
            return o.constructor().newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable refused = e.getCause();
            out.add(new SchemaViolation(at, Kind.INVALID_VALUE, o.type().getSimpleName() + " refused the value: "
                    + (refused.getMessage() != null ? refused.getMessage() : refused.getClass().getSimpleName())));
            return INVALID;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(o.type().getName() + " cannot be constructed: " + e, e);
        }
    }

    private static Object scalar(Shape.Scalar s, JsonNode n, String at, List<SchemaViolation> out) {
        Class<?> t = s.javaType();
        switch (s.kind()) {
            case STRING:
                return n.isString() ? n.stringValue() : wrong(at, "a string", n, out);
            case CHAR:
                return n.isString() && n.stringValue().length() == 1 ? (Object) n.stringValue().charAt(0)
                        : wrong(at, "a string of one character", n, out);
            case BOOLEAN:
                return n.isBoolean() ? (Object) n.booleanValue() : wrong(at, "a boolean", n, out);
            case INTEGER:
                return integer(t, n, at, out);
            default:
                if (!n.isNumber()) {
                    return wrong(at, "a number", n, out);
                }
                if (t == BigDecimal.class) {
                    return n.decimalValue();
                }
                double d = n.doubleValue();
                if (t == float.class || t == Float.class) {
                    return Float.isFinite((float) d) ? (Object) (float) d : wrong(at, "a number within float's range", n, out);
                }
                return d;
        }
    }

    private static Object integer(Class<?> t, JsonNode n, String at, List<SchemaViolation> out) {
        BigInteger value;
        if (n.isIntegralNumber()) {
            value = n.bigIntegerValue();
        } else if (n.isFloatingPointNumber() && isWhole(n.decimalValue())) {
            value = n.decimalValue().toBigIntegerExact(); // 3.0 is taken as 3
        } else {
            return wrong(at, "an integer", n, out);
        }
        if (t == BigInteger.class) {
            return value;
        }
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
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            return wrong(at, "an integer from " + min + " to " + max, n, out);
        }
        long l = value.longValue();
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

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static Object wrong(String at, String expected, JsonNode got, List<SchemaViolation> out) {
        out.add(new SchemaViolation(at, Kind.WRONG_TYPE, "expected " + expected + ", got " + shown(got)));
        return INVALID;
    }

    private static String describe(Shape shape) {
        if (shape instanceof Shape.Scalar) {
            switch (((Shape.Scalar) shape).kind()) {
                case STRING:
                    return "a string";
                case CHAR:
                    return "a string of one character";
                case BOOLEAN:
                    return "a boolean";
                case INTEGER:
                    return "an integer";
                default:
                    return "a number";
            }
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
        return "an object";
    }

    /** A JSON value, shortened, as a message shows it. */
    private static String shown(JsonNode n) {
        String s = n.toString();
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static String quoted(String s) {
        String q = s.length() <= 60 ? s : s.substring(0, 57) + "...";
        return "\"" + q + "\"";
    }

    /** A property name as a JSON Pointer token (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
