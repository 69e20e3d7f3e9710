package dev.alfred.llm.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The log lines written through SLF4J while the testkit is the SLF4J provider on the class path (it
 * registers itself; no mocking framework needed). Every level is captured; nothing is printed.
 */
public final class CapturedLogs {

    /**
     * One captured line.
     *
     * @param level   TRACE, DEBUG, INFO, WARN or ERROR
     * @param logger  the logger's name
     * @param message the formatted message
     * @param thrown  the attached throwable's toString, or null
     */
    public record Line(String level, String logger, String message, String thrown) {
        /** @return the message and throwable, as one searchable text */
        public String text() {
            return thrown == null ? message : message + " " + thrown;
        }
    }

    private static final List<Line> LINES = new CopyOnWriteArrayList<>();

    private CapturedLogs() {
    }

    static void add(Line line) {
        LINES.add(line);
    }

    /**
     * Every line captured since the last {@link #clear()}.
     *
     * @return a snapshot
     */
    public static List<Line> lines() {
        return new ArrayList<>(LINES);
    }

    /** Forgets the captured lines. */
    public static void clear() {
        LINES.clear();
    }

    /**
     * Whether SLF4J is bound to this capture (and not to another provider on the class path).
     *
     * @return true when lines are captured here
     */
    public static boolean isActive() {
        return org.slf4j.LoggerFactory.getILoggerFactory() instanceof CapturingLoggerFactory;
    }
}
