package dev.alfred.llm.cli;

import java.util.Map;

/**
 * Whether alfred-chat styles its side output (reasoning, warnings) with ANSI codes: only on a terminal,
 * and never when {@code NO_COLOR} is set to anything but the empty string (no-color.org). Immutable.
 *
 * @param ansi whether escape codes are written
 */
record Style(boolean ansi) {

    /** ANSI faint on and off. */
    static final String DIM = "\u001b[2m";
    static final String UNDIM = "\u001b[22m";

    /**
     * The style for a stream.
     *
     * @param terminal    whether the stream is a terminal
     * @param environment the environment, for {@code NO_COLOR}
     * @return the style
     */
    static Style of(boolean terminal, Map<String, String> environment) {
        String noColor = environment.get("NO_COLOR");
        return new Style(terminal && (noColor == null || noColor.isEmpty()));
    }

    /**
     * Text set in faint type, or as it is without styling.
     *
     * @param text the text
     * @return the text, styled or not
     */
    String dim(String text) {
        return ansi ? DIM + text + UNDIM : text;
    }
}
