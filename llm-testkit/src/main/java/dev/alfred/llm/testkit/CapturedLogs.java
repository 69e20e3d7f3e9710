package dev.alfred.llm.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The log lines written through SLF4J while the testkit's capture is the bound SLF4J provider: every
 * level is captured, nothing is printed, no mocking framework needed.
 *
 * <p>Capture is opt-in: the testkit's jar registers no SLF4J provider, so an application's tests keep
 * their own logging (slf4j-simple, Logback) and SLF4J warns of no second provider. A test suite that
 * asserts on log lines asks for the capture in one of two ways:
 * <ul>
 *   <li>the system property {@value #PROVIDER_PROPERTY}{@code =}{@value #PROVIDER_CLASS} (SLF4J 2.0.9+
 *       binds the named provider and ignores the others), for instance in the Surefire plugin's
 *       {@code <systemPropertyVariables>}; or</li>
 *   <li>a file {@code src/test/resources/META-INF/services/org.slf4j.spi.SLF4JServiceProvider} holding
 *       the line {@value #PROVIDER_CLASS}, when no other provider is on the test class path (this
 *       project's modules do it so).</li>
 * </ul>
 * SLF4J binds once per JVM, on first use, so the choice holds for the whole test run. Reading lines
 * while another provider is bound fails with an {@link IllegalStateException} that says how to opt in,
 * so a test that looks for the absence of a line cannot pass because nothing was captured.
 * Thread-safe.
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

    /** The system property SLF4J reads for an explicitly chosen provider. */
    public static final String PROVIDER_PROPERTY = "slf4j.provider";
    /** The capturing provider's class name, the value that opts in. */
    public static final String PROVIDER_CLASS = "dev.alfred.llm.testkit.CapturingSlf4jProvider";

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
     * @throws IllegalStateException if the capture is not the bound SLF4J provider (the message says how
     *                               to opt in)
     */
    public static List<Line> lines() {
        requireActive(isActive());
        return new ArrayList<>(LINES);
    }

    /** Forgets the captured lines; does nothing while the capture is not bound (nothing was captured). */
    public static void clear() {
        LINES.clear();
    }

    /**
     * Fails unless the capture is bound, saying how to bind it.
     *
     * @param active whether it is
     * @throws IllegalStateException if it is not
     */
    static void requireActive(boolean active) {
        if (!active) {
            throw new IllegalStateException("the testkit's log capture is not the bound SLF4J provider ("
                    + org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName() + " is): opt in with -D"
                    + PROVIDER_PROPERTY + "=" + PROVIDER_CLASS + ", or a test resource"
                    + " META-INF/services/org.slf4j.spi.SLF4JServiceProvider naming " + PROVIDER_CLASS);
        }
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
