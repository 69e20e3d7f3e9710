package dev.alfred.llm.cli;

import java.io.PrintStream;

/** A small spinner on stderr while the first token is awaited; only ever on a terminal. */
final class Spinner {

    private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

    private final PrintStream err;
    private Thread thread;

    Spinner(PrintStream err) {
        this.err = err;
    }

    synchronized void start(String label) {
        thread = new Thread(() -> {
            int i = 0;
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    err.print("\r" + FRAMES.charAt(i++ % FRAMES.length()) + " " + label);
                    err.flush();
                    Thread.sleep(80);
                }
            } catch (InterruptedException done) {
                // stopping
            }
        }, "alfred-chat-spinner");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        err.print("\r\033[K");
        err.flush();
    }
}
