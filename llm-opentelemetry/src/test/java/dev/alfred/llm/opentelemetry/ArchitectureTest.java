package dev.alfred.llm.opentelemetry;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The decorator knows the port and the OpenTelemetry API, nothing of a provider and nothing of the SDK. */
class ArchitectureTest {

    private static final JavaClasses OTEL = ArchitectureRules.classesOf("dev.alfred.llm.opentelemetry");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.opentelemetry").forEach(rule -> rule.check(OTEL));
    }

    @Test
    void dependsOnlyOnThePortTheOpenTelemetryApiTheJdkAndSlf4j() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.observe", "dev.alfred.llm.config", "dev.alfred.llm.opentelemetry..",
                        "io.opentelemetry.api..", "io.opentelemetry.context..", "java..", "org.slf4j..")
                .check(OTEL);
    }
}
