package dev.alfred.llm.cli;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.terminal.spi.SystemStream;
import org.jline.terminal.spi.TerminalExt;
import org.jline.terminal.spi.TerminalProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The conversation's prompt, on JLine: line editing (arrows, Home/End, Ctrl-A/E/K/U/W, word moves) and
 * this session's history (up and down arrows, Ctrl-R). Ctrl-C at the prompt comes back as
 * {@link CtrlC} with what was typed; Ctrl-C while no prompt is shown (an answer under way) runs the
 * handler given. The history lives in memory only: nothing the user typed is written to disk. Not
 * thread-safe: one thread reads.
 */
final class LineEditor implements AutoCloseable {

    /** What one read gave. */
    sealed interface Input permits Line, CtrlC, End {
    }

    /**
     * A line the user entered.
     *
     * @param text the line, without its end
     */
    record Line(String text) implements Input {
    }

    /**
     * Ctrl-C at the prompt.
     *
     * @param typed what was on the line, perhaps empty
     */
    record CtrlC(String typed) implements Input {
    }

    /** Ctrl-D on an empty line, or the end of the input. */
    record End() implements Input {
    }

    /** Opens the terminal a conversation reads from. */
    @FunctionalInterface
    interface Opener {
        /**
         * Opens it.
         *
         * @return the terminal, which the editor closes
         * @throws IOException if no terminal can be had
         */
        Terminal open() throws IOException;
    }

    private final Terminal terminal;
    private final LineReader reader;

    /**
     * An editor on a terminal.
     *
     * @param terminal the terminal, closed with this editor
     * @param onCtrlC  what Ctrl-C does when no prompt is shown
     */
    LineEditor(Terminal terminal, Runnable onCtrlC) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        terminal.handle(Terminal.Signal.INT, signal -> onCtrlC.run());
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("alfred-chat")
                // a prompt is prose: "!" is not a history event, nor is a quote left open a reason to wait
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .build();
    }

    /**
     * Shows the prompt and reads one line.
     *
     * @param prompt the prompt
     * @return the line, Ctrl-C, or the end
     */
    Input read(String prompt) {
        try {
            return new Line(reader.readLine(prompt));
        } catch (UserInterruptException e) {
            return new CtrlC(e.getPartialLine() == null ? "" : e.getPartialLine());
        } catch (EndOfFileException e) {
            return new End();
        }
    }

    /**
     * What the terminal is, for {@code --debug}: its type and JLine's provider, such as
     * {@code xterm-256color through JLine's jni terminal}.
     *
     * @return the description
     */
    String describe() {
        String provider = terminal instanceof TerminalExt t && t.getProvider() != null ? t.getProvider().name()
                : terminal.getClass().getSimpleName();
        return terminal.getType() + " through JLine's " + provider + " terminal";
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }

    /**
     * The process's terminal, through JLine's JNI terminal, else its exec one (stty); never the FFM one,
     * which needs Java 22. The prompt and the echo go to standard error when it is a terminal (so
     * standard output keeps only the answers), else to standard output. JLine takes over SIGINT and
     * passes it on to the handler given to the editor.
     *
     * @return the terminal
     * @throws IOException if it cannot be opened
     */
    static Terminal system() throws IOException {
        return TerminalBuilder.builder().name("alfred-chat").system(true).ffm(false).jni(true).exec(true)
                .systemOutput(TerminalBuilder.SystemOutput.SysErrOrSysOut).nativeSignals(true).build();
    }

    /**
     * A terminal over plain streams, with a terminal's line discipline (Ctrl-C raises SIGINT in it): for
     * tests, and to drive the editor from anything that is not the process's terminal.
     *
     * @param in  what the user types
     * @param out where the prompt and the echo go
     * @return the terminal
     * @throws IOException if it cannot be made
     */
    static Terminal on(InputStream in, OutputStream out) throws IOException {
        return new ExternalTerminal("alfred-chat", "xterm", in, out, StandardCharsets.UTF_8);
    }

    /**
     * Whether standard input is a terminal, asked of JLine's exec provider ({@code test -t 0}), which
     * loads no native code; false when it cannot tell (then standard input is read as a pipe is, as
     * Simon Willison's {@code llm} does).
     *
     * @return true when standard input is a terminal
     */
    static boolean stdinIsTerminal() {
        try {
            return TerminalProvider.load("exec").isSystemStream(SystemStream.Input);
        } catch (IOException | RuntimeException | LinkageError cannotTell) {
            return false;
        }
    }
}
