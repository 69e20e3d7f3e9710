package dev.alfred.llm.schema.internal;

import dev.alfred.llm.Description;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a record type into its {@link Shape}, from the record's components (their names are in the
 * class file, so no {@code -parameters} flag is needed). A type JSON Schema cannot express here, a raw
 * {@code Object}, a cycle, a generic record, is refused with a message naming the component. Stateless.
 */
public final class ShapeReader {

    private ShapeReader() {
    }

    /**
     * Reads a record.
     *
     * @param type the record class
     * @return its shape
     * @throws IllegalArgumentException naming the component when a type cannot be expressed
     */
    public static Shape.ObjectOf read(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        return record(type, new HashSet<>(), type.getSimpleName());
    }

    private static Shape.ObjectOf record(Class<?> type, Set<Class<?>> visiting, String where) {
        if (!visiting.add(type)) {
            throw new IllegalArgumentException(where + ": " + type.getSimpleName() + " contains itself (a cycle), which"
                    + " a JSON Schema written out in full cannot express");
        }
        if (type.getTypeParameters().length > 0) {
            throw new IllegalArgumentException(type.getName() + " is generic; give a record with concrete types");
        }
        RecordComponent[] components = type.getRecordComponents();
        List<Shape.Property> properties = new ArrayList<>(components.length);
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            parameterTypes[i] = c.getType();
            String component = type.getSimpleName() + "." + c.getName();
            Type t = c.getGenericType();
            boolean optional = false;
            if (t instanceof ParameterizedType && ((ParameterizedType) t).getRawType() == Optional.class) {
                optional = true;
                t = ((ParameterizedType) t).getActualTypeArguments()[0];
            }
            Shape shape = shapeOf(t, component, visiting);
            Description d = c.getAnnotation(Description.class);
            properties.add(new Shape.Property(c.getName(), shape, optional, nullable(c), d == null ? null : d.value(), c));
        }
        visiting.remove(type);
        Constructor<?> canonical;
        try {
            canonical = type.getDeclaredConstructor(parameterTypes);
            canonical.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException(type.getName() + ": its canonical constructor cannot be used: " + e, e);
        }
        Description d = type.getAnnotation(Description.class);
        return new Shape.ObjectOf(type, d == null ? null : d.value(), List.copyOf(properties), canonical);
    }

    /** An annotation named {@code Nullable}, of any package (JSpecify, Jakarta, JetBrains…), on the component or its type. */
    private static boolean nullable(RecordComponent c) {
        for (Annotation a : c.getAnnotations()) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        for (Annotation a : c.getAnnotatedType().getAnnotations()) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        return false;
    }

    private static Shape shapeOf(Type t, String where, Set<Class<?>> visiting) {
        if (t instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) t;
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class || raw == Collection.class) {
                return new Shape.ArrayOf(shapeOf(args[0], where + "[]", visiting), false);
            }
            if (raw == Set.class) {
                return new Shape.ArrayOf(shapeOf(args[0], where + "[]", visiting), true);
            }
            if (raw == Map.class) {
                if (args[0] != String.class) {
                    throw refuse(where, t, "a map's keys must be Strings, as JSON object keys are");
                }
                return new Shape.MapOf(shapeOf(args[1], where + "{}", visiting), where);
            }
            if (raw == Optional.class) {
                throw refuse(where, t, "Optional is for a record component itself, not inside another type");
            }
            throw refuse(where, t, null);
        }
        if (!(t instanceof Class)) {
            throw refuse(where, t, "wildcards and type variables have no one JSON shape");
        }
        Class<?> c = (Class<?>) t;
        if (c == String.class) {
            return new Shape.Scalar(Shape.ScalarKind.STRING, c);
        }
        if (c == char.class || c == Character.class) {
            return new Shape.Scalar(Shape.ScalarKind.CHAR, c);
        }
        if (c == boolean.class || c == Boolean.class) {
            return new Shape.Scalar(Shape.ScalarKind.BOOLEAN, c);
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class
                || c == Short.class || c == byte.class || c == Byte.class || c == BigInteger.class) {
            return new Shape.Scalar(Shape.ScalarKind.INTEGER, c);
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class || c == BigDecimal.class) {
            return new Shape.Scalar(Shape.ScalarKind.NUMBER, c);
        }
        if (c.isEnum()) {
            return new Shape.EnumOf(c);
        }
        if (c.isRecord()) {
            return record(c, visiting, where);
        }
        if (c.isInterface() && c.isSealed()) {
            List<Shape.ObjectOf> alternatives = new ArrayList<>();
            for (Class<?> permitted : c.getPermittedSubclasses()) {
                if (!permitted.isRecord()) {
                    throw refuse(where, t, "every type a sealed interface permits must be a record; "
                            + permitted.getSimpleName() + " is not");
                }
                alternatives.add(record(permitted, visiting, where));
            }
            Description d = c.getAnnotation(Description.class);
            return new Shape.AnyOf(c, d == null ? null : d.value(), List.copyOf(alternatives));
        }
        if (c == Object.class) {
            throw refuse(where, t, "a raw Object has no JSON shape to describe");
        }
        throw refuse(where, t, null);
    }

    private static IllegalArgumentException refuse(String where, Type t, String why) {
        return new IllegalArgumentException(where + ": " + t.getTypeName() + " cannot be expressed as JSON Schema"
                + (why == null ? "" : " (" + why + ")") + "; use a String, number, boolean, enum, List, Set,"
                + " Map<String, …>, record or sealed interface of records");
    }
}
