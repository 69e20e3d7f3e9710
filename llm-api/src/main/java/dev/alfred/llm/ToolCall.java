package dev.alfred.llm;

/**
 * A call of a tool the model asked for. The id is kept byte for byte as the provider sent it (it must
 * go back unchanged with the result); the arguments are the raw JSON text the model wrote.
 *
 * <p>Only a {@link Status#COMPLETE} call should be run: a {@link Status#TRUNCATED} one was cut off
 * (the output hit its limit, or the stream broke) and an {@link Status#INVALID_JSON} one does not
 * parse. A call is judged only at the provider's end of the answer, never because a prefix of its
 * arguments happens to parse.
 *
 * @param id        the provider's id of the call, never null or empty
 * @param name      the tool's name, never null or empty
 * @param arguments the arguments as JSON text, never null
 * @param status    whether the arguments are whole and parse
 */
public record ToolCall(String id, String name, String arguments, Status status) {

    /** Whether a call can be run. */
    public enum Status {
        /** The call ended normally and its arguments are a JSON object. */
        COMPLETE,
        /** The answer ended before the call did (length limit, or a broken stream). */
        TRUNCATED,
        /** The call ended but its arguments are not a JSON object. */
        INVALID_JSON
    }

    /**
     * Validates the call.
     *
     * @param id the provider's id, never null or empty
     * @param name the tool's name, never null or empty
     * @param arguments the JSON text, never null
     * @param status the status, never null
     * @throws IllegalArgumentException naming the component that is null or empty
     */
    public ToolCall {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("tool call id must not be null or empty");
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tool call name must not be null or empty");
        }
        if (arguments == null) {
            throw new IllegalArgumentException("tool call arguments must not be null");
        }
        if (status == null) {
            throw new IllegalArgumentException("tool call status must not be null");
        }
    }

    /**
     * Whether the call may be run.
     *
     * @return true for {@link Status#COMPLETE}
     */
    public boolean isComplete() {
        return status == Status.COMPLETE;
    }

    @Override
    public String toString() {
        return "ToolCall[" + id + " " + name + " " + status + ", " + arguments.length() + " chars of arguments]";
    }
}
