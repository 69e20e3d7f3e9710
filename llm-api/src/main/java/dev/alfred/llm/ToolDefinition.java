package dev.alfred.llm;

/**
 * A tool the model may call: a function described by a JSON Schema of its arguments, or a tool the
 * provider runs itself (Kimi's {@code $web_search}).
 *
 * @param type        a function, or the provider's builtin
 * @param name        the name the model calls it by
 * @param description what it does, for the model; empty when none
 * @param parameters  the schema of the arguments (an object schema); null for a builtin
 * @param strict      whether to ask the provider to hold the model to the schema exactly
 */
public record ToolDefinition(Type type, String name, String description, JsonSchema parameters, boolean strict) {

    /** What kind of tool. */
    public enum Type {
        /** A function the caller runs. */
        FUNCTION,
        /** A tool the provider knows by name, such as Kimi's {@code $web_search}. */
        BUILTIN
    }

    /**
     * Validates the definition. Provider-specific name rules are checked by the provider.
     *
     * @param type the type, never null
     * @param name the name, never null or blank
     * @param description the description, never null
     * @param parameters the schema; required for a function, absent for a builtin
     * @param strict strict mode
     * @throws IllegalArgumentException naming what is wrong
     */
    public ToolDefinition {
        if (type == null) {
            throw new IllegalArgumentException("tool type must not be null");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tool name must not be null or blank");
        }
        if (description == null) {
            throw new IllegalArgumentException("tool description must not be null (use \"\")");
        }
        if (type == Type.FUNCTION && parameters == null) {
            throw new IllegalArgumentException("function tool '" + name + "' needs a parameters schema");
        }
        if (type == Type.BUILTIN && (parameters != null || strict)) {
            throw new IllegalArgumentException("builtin tool '" + name + "' takes no schema and no strict mode");
        }
    }

    /**
     * A function tool.
     *
     * @param name        the name the model calls it by
     * @param description what it does
     * @param parameters  the schema of its arguments
     * @return the definition
     * @throws IllegalArgumentException if a value is missing
     */
    public static ToolDefinition function(String name, String description, JsonSchema parameters) {
        return new ToolDefinition(Type.FUNCTION, name, description, parameters, false);
    }

    /**
     * A builtin tool of the provider, such as Kimi's {@code $web_search}.
     *
     * @param name the provider's name for it
     * @return the definition
     * @throws IllegalArgumentException if name is blank
     */
    public static ToolDefinition builtin(String name) {
        return new ToolDefinition(Type.BUILTIN, name, "", null, false);
    }

    /**
     * This definition with strict mode set or cleared.
     *
     * @param strict whether the provider should hold the model to the schema
     * @return the definition
     * @throws IllegalArgumentException for a builtin asked to be strict
     */
    public ToolDefinition withStrict(boolean strict) {
        return new ToolDefinition(type, name, description, parameters, strict);
    }
}
