package dev.alfred.llm.kimi;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** llm-kimi depends on the port, the JDK, jackson-core and SLF4J only, and keeps its internals inside. */
class ArchitectureTest {

    private static final JavaClasses KIMI = ArchitectureRules.classesOf("dev.alfred.llm.kimi");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.kimi").forEach(rule -> rule.check(KIMI));
    }

    @Test
    void dependsOnlyOnThePortTheJdkJacksonCoreAndSlf4j() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.kimi..", "java..",
                        "tools.jackson.core..", "org.slf4j..")
                .check(KIMI);
    }
}
