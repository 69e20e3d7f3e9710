package dev.alfred.llm.http.error;

/**
 * A provider's own reading of its errors, consulted by {@link ErrorMapper} before its standard table:
 * Kimi's "usage limit" 403, for instance, is a quota and not an authentication failure. Implementations
 * must be thread-safe and must not throw.
 */
@FunctionalInterface
public interface ErrorRules {

    /** No rules of its own: the standard table decides. */
    ErrorRules STANDARD = (status, type, message) -> null;

    /**
     * Classifies an error.
     *
     * @param status  the HTTP status, or {@code -1} for an error that came inside a stream
     * @param type    the error's type (or code when it has no type), or null
     * @param message the server's message (not yet scrubbed; never put it anywhere), never null
     * @return the kind, or null to let the standard table decide
     */
    ErrorKind classify(int status, String type, String message);

    /**
     * Advice to append to the message of a classified error, such as where to get the right key.
     *
     * @param status  the HTTP status, or {@code -1}
     * @param type    the error's type, or null
     * @param message the server's message, never null
     * @return the advice, or null for none
     */
    default String hint(int status, String type, String message) {
        return null;
    }
}
