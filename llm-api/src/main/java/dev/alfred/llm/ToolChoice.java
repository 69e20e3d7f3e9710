package dev.alfred.llm;

/**
 * Whether and which tool the model must call.
 *
 * @param mode     auto, none, required, or one named tool
 * @param toolName the tool for {@link Mode#TOOL}, else null
 */
public record ToolChoice(Mode mode, String toolName) {

    /** The model decides. */
    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    /** The model must not call a tool. */
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
    /** The model must call some tool. */
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

    /** The choices. */
    public enum Mode {
        /** The model decides. */
        AUTO,
        /** No tool. */
        NONE,
        /** Some tool. */
        REQUIRED,
        /** The named tool. */
        TOOL
    }

    /**
     * Validates the choice.
     *
     * @param mode the mode, never null
     * @param toolName the tool, set exactly for {@link Mode#TOOL}
     * @throws IllegalArgumentException if mode is null, or toolName is missing for TOOL or set otherwise
     */
    public ToolChoice {
        if (mode == null) {
            throw new IllegalArgumentException("tool choice mode must not be null");
        }
        if ((mode == Mode.TOOL) != (toolName != null && !toolName.isBlank())) {
            throw new IllegalArgumentException("a tool name goes with mode TOOL and only with it; mode " + mode
                    + ", tool name " + toolName);
        }
    }

    /**
     * The model must call this tool.
     *
     * @param name the tool's name
     * @return the choice
     * @throws IllegalArgumentException if name is blank
     */
    public static ToolChoice tool(String name) {
        return new ToolChoice(Mode.TOOL, name);
    }
}
