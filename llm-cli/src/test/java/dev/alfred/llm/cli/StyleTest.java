package dev.alfred.llm.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Faint type only on a terminal, and never with NO_COLOR set to something (no-color.org). */
class StyleTest {

    @Test
    void faintOnATerminalOnly() {
        assertEquals("\u001b[2mhmm\u001b[22m", Style.of(true, Map.of()).dim("hmm"));
        assertEquals("hmm", Style.of(false, Map.of()).dim("hmm"));
    }

    @Test
    void noColorSetToAnythingTurnsItOffButEmptyDoesNot() {
        assertEquals("hmm", Style.of(true, Map.of("NO_COLOR", "1")).dim("hmm"));
        assertEquals("hmm", Style.of(true, Map.of("NO_COLOR", "false")).dim("hmm"));
        assertEquals("\u001b[2mhmm\u001b[22m", Style.of(true, Map.of("NO_COLOR", "")).dim("hmm"));
    }
}
