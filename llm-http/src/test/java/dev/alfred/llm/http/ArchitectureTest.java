package dev.alfred.llm.http;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * llm-http depends on the port, the JDK, jackson-core and SLF4J only; its layers point one way: the
 * exchange uses the SSE reader and the error mapping, which use neither it nor each other.
 */
class ArchitectureTest {

    private static final JavaClasses HTTP = ArchitectureRules.classesOf("dev.alfred.llm.http");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.http").forEach(rule -> rule.check(HTTP));
    }

    @Test
    void dependsOnlyOnThePortTheJdkJacksonCoreAndSlf4j() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.observe", "dev.alfred.llm.config", "dev.alfred.llm.http..", "java..",
                        "tools.jackson.core..", "org.slf4j..")
                .check(HTTP);
    }

    @Test
    void theReaderAndTheErrorMappingStandAlone() {
        noClasses().that().resideInAPackage("dev.alfred.llm.http.sse").should().dependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm.http", "dev.alfred.llm.http.error").check(HTTP);
        noClasses().that().resideInAPackage("dev.alfred.llm.http.error").should().dependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm.http", "dev.alfred.llm.http.sse").check(HTTP);
    }
}
