package dev.alfred.llm.schema.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * What a Java type looks like as JSON: the model both the schema writer and the binder walk, read once
 * per record type. Closed: scalars, enums, arrays, string-keyed maps, records and sealed choices of records.
 */
public sealed interface Shape {

    /** The kinds of JSON scalar, with the Java types behind them. */
    enum ScalarKind {
        /** A JSON string, to a {@code String}. */
        STRING,
        /** A one-character string, to a {@code char}. */
        CHAR,
        /** A JSON boolean. */
        BOOLEAN,
        /** A JSON integer, to a {@code byte}, {@code short}, {@code int}, {@code long} or {@code BigInteger}. */
        INTEGER,
        /** A JSON number, to a {@code float}, {@code double} or {@code BigDecimal}. */
        NUMBER
    }

    /**
     * A scalar.
     *
     * @param kind     the JSON kind
     * @param javaType the Java type to bind to (primitive or boxed)
     */
    record Scalar(ScalarKind kind, Class<?> javaType) implements Shape {
    }

    /**
     * An enum, as its constants' names.
     *
     * @param type the enum
     */
    record EnumOf(Class<?> type) implements Shape {
        /** @return the constants' names, in declaration order */
        public List<String> names() {
            Object[] constants = type.getEnumConstants();
            String[] names = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                names[i] = ((Enum<?>) constants[i]).name();
            }
            return List.of(names);
        }
    }

    /**
     * A {@code List} or {@code Set}.
     *
     * @param items  the elements' shape
     * @param unique true for a {@code Set}
     */
    record ArrayOf(Shape items, boolean unique) implements Shape {
    }

    /**
     * A {@code Map<String, V>}.
     *
     * @param values the values' shape
     * @param where  the component that holds it, for messages
     */
    record MapOf(Shape values, String where) implements Shape {
    }

    /**
     * A record.
     *
     * @param type        the record class
     * @param description its {@code @Description}, or null
     * @param properties  its components, in declaration order
     * @param constructor its canonical constructor
     */
    record ObjectOf(Class<?> type, String description, List<Property> properties, Constructor<?> constructor)
            implements Shape {
    }

    /**
     * A sealed interface whose permitted types are records: one of them.
     *
     * @param type         the interface
     * @param description  its {@code @Description}, or null
     * @param alternatives the records, in the order {@code permits} lists them
     */
    record AnyOf(Class<?> type, String description, List<ObjectOf> alternatives) implements Shape {
    }

    /**
     * A record component as a JSON property.
     *
     * @param name        the component's name
     * @param shape       its value's shape ({@code Optional}'s content for an {@code Optional})
     * @param optional    whether it is an {@code Optional}
     * @param nullable    whether it is marked nullable (an annotation named {@code Nullable})
     * @param description its {@code @Description}, or null
     * @param component   the component
     */
    record Property(String name, Shape shape, boolean optional, boolean nullable, String description,
                    RecordComponent component) {
        /** @return whether a value must be there: neither optional nor nullable */
        public boolean required() {
            return !optional && !nullable;
        }
    }
}
