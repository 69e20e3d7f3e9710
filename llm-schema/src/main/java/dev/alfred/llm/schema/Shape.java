package dev.alfred.llm.schema;

import java.lang.reflect.Constructor;
import java.util.List;

/**
 * What a Java type looks like as JSON: the model both the schema writer and the binder walk, read once
 * per record type. Closed: scalars, enums, arrays, string-keyed maps, records, sealed choices of records,
 * and references back to a record that contains itself.
 */
sealed interface Shape {

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
        NUMBER,
        /** An RFC 3339 date-time with its offset, to an {@code Instant} or {@code OffsetDateTime}. */
        DATE_TIME,
        /** An ISO 8601 date, to a {@code LocalDate}. */
        DATE,
        /** An RFC 3339 time with its offset, to an {@code OffsetTime}. */
        TIME,
        /** An ISO 8601 date-time without offset, to a {@code LocalDateTime}. */
        LOCAL_DATE_TIME,
        /** An ISO 8601 time without offset, to a {@code LocalTime}. */
        LOCAL_TIME,
        /** An ISO 8601 duration, to a {@code Duration}. */
        DURATION,
        /** A UUID, to a {@code UUID}. */
        UUID
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
     * @param type  the enum
     * @param names the constants' names, in declaration order
     */
    record EnumOf(Class<?> type, List<String> names) implements Shape {
    }

    /** What collects an array's elements. */
    enum Collection {
        /** A {@code List} (or {@code Collection}). */
        LIST,
        /** A {@code Set}: no two elements alike. */
        SET,
        /** A Java array. */
        ARRAY
    }

    /**
     * A {@code List}, {@code Set} or Java array.
     *
     * @param items       the elements' shape
     * @param collection  what collects them
     * @param elementType for a Java array, its component class; else null
     */
    record ArrayOf(Shape items, Collection collection, Class<?> elementType) implements Shape {
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
     * @param name        its name: the simple name, with its type arguments' for a generic record
     * @param description its {@code @Description}, or null
     * @param properties  its components, in declaration order
     * @param constructor its canonical constructor
     * @param recursive   whether it contains itself (a {@link Ref} to it is somewhere inside it)
     */
    record ObjectOf(Class<?> type, String name, String description, List<Property> properties,
                    Constructor<?> constructor, boolean recursive) implements Shape {
    }

    /**
     * A sealed interface whose permitted types are records: one of them, told apart by a discriminator.
     *
     * @param type          the interface
     * @param description   its {@code @Description}, or null
     * @param discriminator the name of the property that names the record
     * @param tags          each record's name in the discriminator, in the order of the alternatives
     * @param alternatives  the records, in the order {@code permits} lists them
     */
    record AnyOf(Class<?> type, String description, String discriminator, List<String> tags,
                 List<Shape> alternatives) implements Shape {
    }

    /**
     * A record that contains itself, where it appears inside itself: written as a {@code $ref}, bound as
     * the record. Its target is set once the record is read.
     */
    final class Ref implements Shape {
        private ObjectOf target;

        /**
         * The record referred to.
         *
         * @return the record
         */
        public ObjectOf target() {
            return target;
        }

        void target(ObjectOf record) {
            this.target = record;
        }
    }

    /**
     * A record component as a JSON property.
     *
     * @param name        the component's name
     * @param shape       its value's shape ({@code Optional}'s content for an {@code Optional})
     * @param optional    whether it is an {@code Optional}
     * @param nullable    whether it is marked nullable (an annotation named {@code Nullable})
     * @param description its {@code @Description}, or null
     */
    record Property(String name, Shape shape, boolean optional, boolean nullable, String description) {
        /** @return whether a value must be there: neither optional nor nullable */
        public boolean required() {
            return !optional && !nullable;
        }
    }
}
