package dev.alfred.llm.schema;

import java.util.Objects;

/**
 * One way a JSON value breaks a record's schema, where, and how.
 *
 * @param pointer where, as a JSON Pointer (RFC 6901): {@code ""} for the whole value, {@code /stops/0/city}
 * @param kind    what kind of break
 * @param message what is wrong, for people and for the model (a repair round sends it back)
 */
public record SchemaViolation(String pointer, Kind kind, String message) {

    /** The kinds of violation. */
    public enum Kind {
        /** The text is not JSON at all. */
        NOT_JSON,
        /** A required component has no value. */
        MISSING,
        /**
         * A value of the wrong JSON type (a string for a number, a number out of its type's range or with a
         * fraction for an integer, a text that is not in its format, a null).
         */
        WRONG_TYPE,
        /** A string that names no constant of the enum. */
        UNKNOWN_ENUM_CONSTANT,
        /** A property the record does not have, where extra properties are refused. */
        UNEXPECTED_PROPERTY,
        /** A discriminator that names none of a sealed interface's records. */
        NO_MATCHING_ALTERNATIVE,
        /** A value the record's own constructor refused. */
        INVALID_VALUE,
        /** A property that appears twice in one object (JSON leaves the meaning open; it is refused). */
        DUPLICATE_PROPERTY,
        /** An item of a {@code Set} equal to an earlier one. */
        DUPLICATE_ITEM,
        /**
         * An answer that ended before its value did: cut at its length limit or stopped by the provider's
         * content filter. Not repaired: the same request would be cut again.
         */
        TRUNCATED
    }

    /**
     * Validates the violation.
     *
     * @param pointer where
     * @param kind    what kind
     * @param message what is wrong
     * @throws NullPointerException if an argument is null
     */
    public SchemaViolation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /**
     * One line: where, then what.
     *
     * @return such as {@code /days: expected an integer, got "three"}
     */
    @Override
    public String toString() {
        return (pointer.isEmpty() ? "(the whole value)" : pointer) + ": " + message;
    }
}
