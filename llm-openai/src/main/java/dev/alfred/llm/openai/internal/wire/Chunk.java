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
    String refusal;
    /** Choice 0's annotations ({@code url_citation}...), or null. */
    Annotation[] annotations;
    int annotationCount;
    /** Fields nobody models: paths and raw JSON values, pairwise; null until the first. */
    String[] extras;
    /** How many kept string values a decoder remembers (a stream repeats one or two). */
    private static final int KEPT_STRINGS = 4;
    private final String[] keptTexts = new String[KEPT_STRINGS];
    private final String[] keptJson = new String[KEPT_STRINGS];
    private int nextKept;
    int extraCount;
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

    /**
     * One annotation of choice 0, such as OpenRouter's {@code url_citation}.
     *
     * @param type    the annotation's type
     * @param url     the cited URL, or null
     * @param title   the source's title, or null
     * @param content the cited text, or null
     * @param start   where the cited span starts in the answer's text, or -1
     * @param end     where it ends, or -1
     * @param json    the whole annotation as sent
     */
    public record Annotation(String type, String url, String title, String content, int start, int end, String json) {
    }

    void addAnnotation(Annotation a) {
        if (annotations == null || annotationCount == annotations.length) {
            annotations = Arrays.copyOf(annotations == null ? new Annotation[0] : annotations,
                    Math.max(2, annotationCount * 2));
        }
        annotations[annotationCount++] = a;
    }

    /**
     * The JSON text of a kept string value seen before by this chunk's decoder, or null: compared to the
     * parser's characters without making a string. Survives {@link #clear()}, which is what makes a
     * stream's repeated value free.
     */
    String keptString(char[] chars, int offset, int length) {
        for (int i = 0; i < KEPT_STRINGS; i++) {
            String text = keptTexts[i];
            if (text != null && text.length() == length) {
                int j = 0;
                while (j < length && text.charAt(j) == chars[offset + j]) {
                    j++;
                }
                if (j == length) {
                    return keptJson[i];
                }
            }
        }
        return null;
    }

    /** Remembers a kept string and its JSON text, replacing the oldest of the few remembered. */
    void rememberKeptString(String text, String json) {
        keptTexts[nextKept] = text;
        keptJson[nextKept] = json;
        nextKept = (nextKept + 1) % KEPT_STRINGS;
    }

    void addExtra(String path, String json) {
        if (extras == null || extraCount * 2 == extras.length) {
            extras = Arrays.copyOf(extras == null ? new String[0] : extras, Math.max(8, extraCount * 4));
        }
        extras[extraCount * 2] = path;
        extras[extraCount * 2 + 1] = json;
        extraCount++;
    }

    /** @return how many unmodelled fields the object carried */
    public int extraCount() {
        return extraCount;
    }

    /**
     * The path of an unmodelled field, such as {@code system_fingerprint} or {@code choices[0].delta.annotations}.
     *
     * @param i its position, below {@link #extraCount()}
     * @return the path
     */
    public String extraPath(int i) {
        return extras[i * 2];
    }

    /**
     * The raw JSON value of an unmodelled field.
     *
     * @param i its position, below {@link #extraCount()}
     * @return the value as sent
     */
    public String extraJson(int i) {
        return extras[i * 2 + 1];
    }

    /** @return how many annotations choice 0 carries */
    public int annotationCount() {
        return annotationCount;
    }

    /**
     * One of choice 0's annotations.
     *
     * @param i its position, below {@link #annotationCount()}
     * @return the annotation
     */
    public Annotation annotation(int i) {
        return annotations[i];
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
        refusal = null;
        annotationCount = 0;
        extraCount = 0;
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

    /** @return choice 0's refusal (OpenAI's {@code refusal}), or null */
    public String refusal() {
        return refusal;
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
