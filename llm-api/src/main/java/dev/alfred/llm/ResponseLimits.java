package dev.alfred.llm;

/**
 * The bounds every answer is held to, so a runaway or hostile server cannot exhaust memory: past one,
 * the call fails with a {@link ResponseTooLargeException} that keeps what came before it, never an
 * {@link OutOfMemoryError}. A streamed answer keeps only what it folds (text, reasoning, tool calls),
 * each bounded here; a whole (non-streamed) body is held in memory, so its bytes are bounded too.
 * Immutable and thread-safe.
 *
 * @param maxTextChars     the most characters of the answer's text, and separately of its reasoning
 * @param maxToolCalls     the most tool calls in one answer
 * @param maxArgumentChars the most characters of one tool call's arguments
 * @param maxBodyBytes     the most bytes of a non-streamed response body
 */
public record ResponseLimits(int maxTextChars, int maxToolCalls, int maxArgumentChars, int maxBodyBytes) {

    /** The defaults: 8 Mi characters of text and of reasoning, 128 calls, 8 Mi characters of arguments, 32 MiB bodies. */
    public static final ResponseLimits DEFAULT = new ResponseLimits(8 << 20, 128, 8 << 20, 32 << 20);
    /** No bound at all, for a decorator that re-folds parts a bounded provider already checked. */
    public static final ResponseLimits NONE = new ResponseLimits(Integer.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MAX_VALUE, Integer.MAX_VALUE);

    /**
     * Validates the bounds.
     *
     * @param maxTextChars     a positive count
     * @param maxToolCalls     a positive count
     * @param maxArgumentChars a positive count
     * @param maxBodyBytes     a positive count
     * @throws IllegalArgumentException naming a bound that is not positive
     */
    public ResponseLimits {
        positive("maxTextChars", maxTextChars);
        positive("maxToolCalls", maxToolCalls);
        positive("maxArgumentChars", maxArgumentChars);
        positive("maxBodyBytes", maxBodyBytes);
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
