package dev.alfred.llm.openai.internal.wire;

import dev.alfred.llm.Usage;

import java.util.Arrays;

/**
 * What one chat-completions JSON object carries (a stream chunk or a whole non-stream response),
 * reduced to what the port needs. Fields are null when absent. A streaming decoder reuses one chunk
 * and its tool-call fragments, so a fragment is valid only until the next decode.
 */
public final class Chunk {
    String id;
    String model;
    String content;
    String reasoning;
    /** OpenRouter's reasoning_details entries, JSON text joined with commas (no brackets), or null. */
    String reasoningDetails;
    String finishReason;
    Usage usage;
    String errorType;
    String errorMessage;
    String errorCode;
    boolean error;
    ToolFragment[] tools = new ToolFragment[0];
    int toolCount;

    /** One entry of choice 0's {@code tool_calls}: a whole call, its start, or a fragment of its arguments. */
    public static final class ToolFragment {
        /** The index on the wire; {@link #NO_INDEX} when absent or not a usable number. */
        long index;
        String id;
        String name;
        String arguments;
        String extraContent;

        /** No usable {@code index} on the wire. */
        public static final long NO_INDEX = -1;

        void clear() {
            index = NO_INDEX;
            id = null;
            name = null;
            arguments = null;
            extraContent = null;
        }

        /** @return the wire index, or {@link #NO_INDEX} */
        public long index() {
            return index;
        }

        /** @return the call id, or null */
        public String id() {
            return id;
        }

        /** @return the function name, or null */
        public String name() {
            return name;
        }

        /** @return the call's {@code extra_content} as JSON text, or null */
        public String extraContent() {
            return extraContent;
        }

        /** @return the argument fragment, or null */
        public String arguments() {
            return arguments;
        }
    }

    ToolFragment nextTool() {
        if (toolCount == tools.length) {
            tools = Arrays.copyOf(tools, Math.max(2, toolCount * 2));
            for (int i = toolCount; i < tools.length; i++) {
                tools[i] = new ToolFragment();
            }
        }
        ToolFragment f = tools[toolCount++];
        f.clear();
        return f;
    }

    void clear() {
        id = null;
        model = null;
        content = null;
        reasoning = null;
        reasoningDetails = null;
        finishReason = null;
        usage = null;
        errorType = null;
        errorMessage = null;
        errorCode = null;
        error = false;
        toolCount = 0;
    }

    /** @return the response id, or null */
    public String id() {
        return id;
    }

    /** @return the model, or null */
    public String model() {
        return model;
    }

    /** @return choice 0's content, or null */
    public String content() {
        return content;
    }

    /** @return choice 0's reasoning_content, or null */
    public String reasoning() {
        return reasoning;
    }

    /** @return OpenRouter's reasoning_details entries as JSON text joined with commas, or null */
    public String reasoningDetails() {
        return reasoningDetails;
    }

    /** @return choice 0's finish_reason, or null */
    public String finishReason() {
        return finishReason;
    }

    /** @return the usage, top-level preferred over choice 0's, or null */
    public Usage usage() {
        return usage;
    }

    /** @return how many tool-call entries choice 0 carries */
    public int toolCount() {
        return toolCount;
    }

    /**
     * One of choice 0's tool-call entries.
     *
     * @param i its position, below {@link #toolCount()}
     * @return the entry, valid until the next decode
     */
    public ToolFragment tool(int i) {
        return tools[i];
    }

    /** @return whether the object has a top-level {@code error} */
    public boolean isError() {
        return error;
    }

    /** @return the error's type, or null */
    public String errorType() {
        return errorType;
    }

    /** @return the error's message, or null */
    public String errorMessage() {
        return errorMessage;
    }

    /** @return the error's code, or null */
    public String errorCode() {
        return errorCode;
    }
}
