package dev.alfred.llm;

/**
 * An answer went past a bound the library keeps so a runaway or hostile server cannot exhaust memory:
 * too many tool calls, or a call's arguments too long. Not retryable; the message names the bound
 * and how to raise it.
 */
public class ResponseTooLargeException extends LlmException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message    which bound, and by how much
     * @param providerId the provider, or null
     */
    public ResponseTooLargeException(String message, String providerId) {
        super(message, providerId, -1, null, false, null, null);
    }
}
