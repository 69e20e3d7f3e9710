package dev.alfred.llm.schema;

import dev.alfred.llm.Description;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads a record type into its {@link Shape}, from the record's components (their names are in the
 * class file, so no {@code -parameters} flag is needed). A generic record's type variables are resolved
 * from the type it is declared with; a record that contains itself becomes a {@link Shape.Ref} where it
 * recurs. A type JSON Schema cannot express here (a raw {@code Object}, a wildcard, a type variable left
 * open, a primitive marked nullable) is refused with a message naming the component. One reader per
 * record read; not thread-safe.
 */
final class ShapeReader {

    private static final String DEFAULT_DISCRIMINATOR = "type";

    /** Records read whole, by their resolved type: a record used twice is read once. */
    private final Map<String, Shape.ObjectOf> read = new HashMap<>();
    /** Records being read, by their resolved type; the value is the reference made once one recurs. */
    private final Map<String, Shape.Ref> open = new HashMap<>();

    private ShapeReader() {
    }

    /**
     * Reads a record.
     *
     * @param type the record class
     * @return its shape
     * @throws IllegalArgumentException naming the component when a type cannot be expressed
     */
    static Shape.ObjectOf read(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        if (type.getTypeParameters().length > 0) {
            throw new IllegalArgumentException(type.getName() + " is generic: use it as a component declared with its"
                    + " type arguments (Page<Stop> page), or give a record with concrete types");
        }
        return (Shape.ObjectOf) new ShapeReader().record(type, type, Map.of(), type.getSimpleName());
    }

    private Shape record(Class<?> raw, Type declared, Map<TypeVariable<?>, Type> outer, String where) {
        Map<TypeVariable<?>, Type> bindings = bind(raw, declared, outer, where);
        String key = key(raw, bindings);
        Shape.ObjectOf done = read.get(key);
        if (done != null) {
            return done;
        }
        if (open.containsKey(key)) {
            return open.computeIfAbsent(key, k -> new Shape.Ref());
        }
        open.put(key, null);
        RecordComponent[] components = raw.getRecordComponents();
        List<Shape.Property> properties = new ArrayList<>(components.length);
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            parameterTypes[i] = c.getType();
            String component = raw.getSimpleName() + "." + c.getName();
            Type t = resolve(c.getGenericType(), bindings, component);
            boolean optional = false;
            if (t instanceof ParameterizedType && ((ParameterizedType) t).getRawType() == Optional.class) {
                optional = true;
                t = ((ParameterizedType) t).getActualTypeArguments()[0];
            }
            boolean nullable = nullable(c);
            if (nullable && c.getType().isPrimitive()) {
                throw new IllegalArgumentException(component + ": a " + c.getType() + " cannot be null, yet it is marked"
                        + " nullable; declare it as its box or as an Optional");
            }
            Shape shape = shapeOf(t, component);
            Description d = c.getAnnotation(Description.class);
            properties.add(new Shape.Property(c.getName(), shape, optional, nullable, d == null ? null : d.value()));
        }
        Constructor<?> canonical;
        try {
            canonical = raw.getDeclaredConstructor(parameterTypes);
            canonical.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException(raw.getName() + ": its canonical constructor cannot be used: " + e, e);
        }
        Description d = raw.getAnnotation(Description.class);
        Shape.Ref ref = open.remove(key);
        Shape.ObjectOf o = new Shape.ObjectOf(raw, name(raw, bindings), d == null ? null : d.value(),
                List.copyOf(properties), canonical, ref != null);
        if (ref != null) {
            ref.target(o);
        }
        read.put(key, o);
        return o;
    }

    /** The record's type variables bound to the types it is declared with. */
    private static Map<TypeVariable<?>, Type> bind(Class<?> raw, Type declared, Map<TypeVariable<?>, Type> outer,
                                                   String where) {
        TypeVariable<?>[] variables = raw.getTypeParameters();
        if (variables.length == 0) {
            return Map.of();
        }
        if (!(declared instanceof ParameterizedType)) {
            throw refuse(where, declared, raw.getSimpleName() + " is generic and is used without type arguments");
        }
        Type[] args = ((ParameterizedType) declared).getActualTypeArguments();
        Map<TypeVariable<?>, Type> bindings = new HashMap<>();
        for (int i = 0; i < variables.length; i++) {
            bindings.put(variables[i], resolve(args[i], outer, where));
        }
        return bindings;
    }

    /** The type with every type variable replaced by the type bound to it. */
    private static Type resolve(Type t, Map<TypeVariable<?>, Type> bindings, String where) {
        if (t instanceof TypeVariable) {
            Type bound = bindings.get(t);
            if (bound == null) {
                throw refuse(where, t, "the type variable " + t.getTypeName() + " is given no type");
            }
            return bound;
        }
        if (t instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) t;
            Type[] args = p.getActualTypeArguments();
            Type[] resolved = new Type[args.length];
            boolean changed = false;
            for (int i = 0; i < args.length; i++) {
                resolved[i] = resolve(args[i], bindings, where);
                changed |= resolved[i] != args[i];
            }
            return changed ? new Resolved((Class<?>) p.getRawType(), resolved) : p;
        }
        if (t instanceof GenericArrayType) {
            Type component = resolve(((GenericArrayType) t).getGenericComponentType(), bindings, where);
            return component instanceof Class ? java.lang.reflect.Array.newInstance((Class<?>) component, 0).getClass()
                    : new ResolvedArray(component);
        }
        return t;
    }

    private static String key(Class<?> raw, Map<TypeVariable<?>, Type> bindings) {
        if (bindings.isEmpty()) {
            return raw.getName();
        }
        StringBuilder k = new StringBuilder(raw.getName()).append('<');
        for (TypeVariable<?> v : raw.getTypeParameters()) {
            k.append(bindings.get(v).getTypeName()).append(',');
        }
        return k.append('>').toString();
    }

    /** The record's simple name, followed by its type arguments' for a generic record: {@code Page_Stop}. */
    private static String name(Class<?> raw, Map<TypeVariable<?>, Type> bindings) {
        StringBuilder n = new StringBuilder(raw.getSimpleName());
        for (TypeVariable<?> v : raw.getTypeParameters()) {
            n.append('_').append(simpleName(bindings.get(v)));
        }
        return n.toString();
    }

    private static String simpleName(Type t) {
        if (t instanceof Class) {
            Class<?> c = (Class<?>) t;
            return c.isArray() ? simpleName(c.getComponentType()) + "Array" : c.getSimpleName();
        }
        if (t instanceof ParameterizedType) {
            StringBuilder n = new StringBuilder(simpleName(((ParameterizedType) t).getRawType()));
            for (Type a : ((ParameterizedType) t).getActualTypeArguments()) {
                n.append('_').append(simpleName(a));
            }
            return n.toString();
        }
        return simpleName(((GenericArrayType) t).getGenericComponentType()) + "Array";
    }

    /** An annotation named {@code Nullable}, of any package (JSpecify, Jakarta, JetBrains…), on the component or its type. */
    private static boolean nullable(RecordComponent c) {
        return named(c.getAnnotations()) || named(c.getAnnotatedType().getAnnotations());
    }

    private static boolean named(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a.annotationType().getSimpleName().equals("Nullable")) {
                return true;
            }
        }
        return false;
    }

    /** The shape of a type whose type variables are resolved. */
    private Shape shapeOf(Type t, String where) {
        if (t instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) t;
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class || raw == Collection.class) {
                return new Shape.ArrayOf(shapeOf(args[0], where + "[]"), Shape.Collection.LIST, null);
            }
            if (raw == Set.class) {
                return new Shape.ArrayOf(shapeOf(args[0], where + "[]"), Shape.Collection.SET, null);
            }
            if (raw == Map.class) {
                if (args[0] != String.class) {
                    throw refuse(where, t, "a map's keys must be Strings, as JSON object keys are");
                }
                return new Shape.MapOf(shapeOf(args[1], where + "{}"), where);
            }
            if (raw == Optional.class) {
                throw refuse(where, t, "Optional is for a record component itself, not inside another type");
            }
            if (raw.isRecord()) {
                return record(raw, p, Map.of(), where);
            }
            if (raw.isSealed()) {
                return sealed(raw, where);
            }
            throw refuse(where, t, null);
        }
        if (t instanceof GenericArrayType) {
            Type component = ((GenericArrayType) t).getGenericComponentType();
            return new Shape.ArrayOf(shapeOf(component, where + "[]"), Shape.Collection.ARRAY, erasure(component));
        }
        if (!(t instanceof Class)) {
            throw refuse(where, t, "a wildcard has no one JSON shape");
        }
        Class<?> c = (Class<?>) t;
        Shape.ScalarKind kind = scalarKind(c);
        if (kind != null) {
            return new Shape.Scalar(kind, c);
        }
        if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            List<String> names = new ArrayList<>(constants.length);
            for (Object constant : constants) {
                names.add(((Enum<?>) constant).name());
            }
            return new Shape.EnumOf(c, List.copyOf(names));
        }
        if (c.isArray()) {
            return new Shape.ArrayOf(shapeOf(c.getComponentType(), where + "[]"), Shape.Collection.ARRAY,
                    c.getComponentType());
        }
        if (c.isRecord()) {
            return record(c, c, Map.of(), where);
        }
        if (c.isSealed()) {
            return sealed(c, where);
        }
        if (c == Object.class) {
            throw refuse(where, t, "a raw Object has no JSON shape to describe");
        }
        throw refuse(where, t, null);
    }

    private Shape.AnyOf sealed(Class<?> c, String where) {
        if (c.getTypeParameters().length > 0) {
            throw refuse(where, c, "a generic sealed interface has no one JSON shape per record");
        }
        TypeField field = c.getAnnotation(TypeField.class);
        String discriminator = field == null ? DEFAULT_DISCRIMINATOR : field.value();
        List<Shape> alternatives = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> permitted : c.getPermittedSubclasses()) {
            if (!permitted.isRecord()) {
                throw refuse(where, c, "every type a sealed interface permits must be a record; "
                        + permitted.getSimpleName() + " is not");
            }
            for (RecordComponent rc : permitted.getRecordComponents()) {
                if (rc.getName().equals(discriminator)) {
                    throw new IllegalArgumentException(permitted.getSimpleName() + "." + discriminator + ": the component"
                            + " has the name of " + c.getSimpleName() + "'s discriminator; rename it, or name the"
                            + " discriminator otherwise with @TypeField on " + c.getSimpleName());
                }
            }
            TypeName name = permitted.getAnnotation(TypeName.class);
            String tag = name == null ? permitted.getSimpleName() : name.value();
            if (!seen.add(tag)) {
                throw refuse(where, c, "two of its records are named \"" + tag + "\" in the discriminator; give"
                        + " them different @TypeName values");
            }
            tags.add(tag);
            alternatives.add(record(permitted, permitted, Map.of(), where));
        }
        Description d = c.getAnnotation(Description.class);
        return new Shape.AnyOf(c, d == null ? null : d.value(), discriminator, List.copyOf(tags),
                List.copyOf(alternatives));
    }

    private static Shape.ScalarKind scalarKind(Class<?> c) {
        if (c == String.class) {
            return Shape.ScalarKind.STRING;
        }
        if (c == char.class || c == Character.class) {
            return Shape.ScalarKind.CHAR;
        }
        if (c == boolean.class || c == Boolean.class) {
            return Shape.ScalarKind.BOOLEAN;
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class
                || c == Short.class || c == byte.class || c == Byte.class || c == BigInteger.class) {
            return Shape.ScalarKind.INTEGER;
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class || c == BigDecimal.class) {
            return Shape.ScalarKind.NUMBER;
        }
        return TIME_KINDS.get(c);
    }

    private static final Map<Class<?>, Shape.ScalarKind> TIME_KINDS = Map.of(
            Instant.class, Shape.ScalarKind.DATE_TIME,
            OffsetDateTime.class, Shape.ScalarKind.DATE_TIME,
            LocalDate.class, Shape.ScalarKind.DATE,
            OffsetTime.class, Shape.ScalarKind.TIME,
            LocalDateTime.class, Shape.ScalarKind.LOCAL_DATE_TIME,
            LocalTime.class, Shape.ScalarKind.LOCAL_TIME,
            Duration.class, Shape.ScalarKind.DURATION,
            UUID.class, Shape.ScalarKind.UUID);

    private static Class<?> erasure(Type t) {
        if (t instanceof Class) {
            return (Class<?>) t;
        }
        if (t instanceof ParameterizedType) {
            return (Class<?>) ((ParameterizedType) t).getRawType();
        }
        return java.lang.reflect.Array.newInstance(erasure(((GenericArrayType) t).getGenericComponentType()), 0)
                .getClass();
    }

    private static IllegalArgumentException refuse(String where, Type t, String why) {
        return new IllegalArgumentException(where + ": " + t.getTypeName() + " cannot be expressed as JSON Schema"
                + (why == null ? "" : " (" + why + ")") + "; use a String, number, boolean, enum, java.time type,"
                + " UUID, array, List, Set, Map<String, …>, record or sealed interface of records");
    }

    /** A parameterized type whose arguments were resolved. */
    private record Resolved(Class<?> raw, Type[] args) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return args.clone();
        }

        @Override
        public Type getRawType() {
            return raw;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }

        @Override
        public String getTypeName() {
            StringBuilder n = new StringBuilder(raw.getTypeName()).append('<');
            for (int i = 0; i < args.length; i++) {
                n.append(i == 0 ? "" : ", ").append(args[i].getTypeName());
            }
            return n.append('>').toString();
        }
    }

    /** An array whose component type was resolved to a parameterized type. */
    private record ResolvedArray(Type component) implements GenericArrayType {
        @Override
        public Type getGenericComponentType() {
            return component;
        }

        @Override
        public String getTypeName() {
            return component.getTypeName() + "[]";
        }
    }
}
