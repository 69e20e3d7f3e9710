package dev.alfred.llm.testkit;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log capture is opt-in: the kit's own classes register no SLF4J provider (an application's tests
 * keep their logging and SLF4J sees one provider); this module's tests opt in through a test resource.
 */
class CapturedLogsTest {

    private static final String SERVICES = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";

    @Test
    void theKitsMainClassesRegisterNoSlf4jProvider() throws Exception {
        Path main = Path.of(CapturingSlf4jProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(main), "the kit's classes are read from " + main);
        assertFalse(Files.exists(main.resolve(SERVICES)), "the kit's jar would register a provider: " + main.resolve(SERVICES));
        List<URL> registrations = Collections.list(getClass().getClassLoader().getResources(SERVICES));
        assertEquals(1, registrations.size(), registrations.toString());
        assertTrue(registrations.get(0).toString().contains("test-classes"), "only the tests opt in: " + registrations);
    }

    @Test
    void aTestThatOptedInCapturesEveryLevel() {
        assertTrue(CapturedLogs.isActive());
        CapturedLogs.clear();
        LoggerFactory.getLogger("capture-test").debug("a {} line", "debug", new IllegalStateException("why"));
        CapturedLogs.Line line = CapturedLogs.lines().stream().filter(l -> l.logger().equals("capture-test"))
                .findFirst().orElseThrow();
        assertEquals(new CapturedLogs.Line("DEBUG", "capture-test", "a debug line",
                "java.lang.IllegalStateException: why"), line);
        assertEquals("a debug line java.lang.IllegalStateException: why", line.text());
    }

    @Test
    void readingLinesWithoutTheCaptureBoundSaysHowToOptIn() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CapturedLogs.requireActive(false));
        assertTrue(e.getMessage().contains("-Dslf4j.provider=dev.alfred.llm.testkit.CapturingSlf4jProvider"), e.getMessage());
        assertTrue(e.getMessage().contains(SERVICES), e.getMessage());
        CapturedLogs.requireActive(true);
    }
}
