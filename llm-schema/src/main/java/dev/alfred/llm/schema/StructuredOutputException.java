package dev.alfred.llm.schema;

import dev.alfred.llm.LlmException;

import java.util.List;

/**
 * An answer that does not fit the record it was asked for: it holds the raw text and every violation
 * found, never a half-filled record. Not retryable as such; a repair round (see
 * {@link StructuredOutput#repairOnce(boolean)}) sends the violations back to the model once.
 */
public final class StructuredOutputException extends LlmException {

    private static final long serialVersionUID = 1L;
    private static final int SHOWN = 5;

    /** The text that did not fit, as the model wrote it. */
    private final String rawText;
    private final transient List<SchemaViolation> violations;

    /**
     * Creates the exception.
     *
     * @param type       the record type asked for
     * @param rawText    the text that did not fit
     * @param violations every violation, at least one
     * @throws IllegalArgumentException if there is no violation
     */
    public StructuredOutputException(Class<?> type, String rawText, List<SchemaViolation> violations) {
        super(message(type, violations), null);
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a structured-output failure needs at least one violation");
        }
        this.rawText = rawText;
        this.violations = List.copyOf(violations);
    }

    private static String message(Class<?> type, List<SchemaViolation> violations) {
        StringBuilder m = new StringBuilder("the answer does not fit ").append(type.getSimpleName()).append(": ")
                .append(violations.size()).append(violations.size() == 1 ? " violation" : " violations");
        for (int i = 0; i < Math.min(SHOWN, violations.size()); i++) {
            m.append(i == 0 ? " - " : "; ").append(violations.get(i));
        }
        if (violations.size() > SHOWN) {
            m.append("; and ").append(violations.size() - SHOWN).append(" more");
        }
        return m.toString();
    }

    /**
     * The text that did not fit, as the model wrote it.
     *
     * @return the raw text
     */
    public String rawText() {
        return rawText;
    }

    /**
     * Every violation found, in document order.
     *
     * @return the violations
     */
    public List<SchemaViolation> violations() {
        return violations;
    }
}
