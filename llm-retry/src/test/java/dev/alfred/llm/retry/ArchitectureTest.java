package dev.alfred.llm.retry;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The decorator depends on the port only: it works around any provider, Kimi included, without knowing it. */
class ArchitectureTest {

    private static final JavaClasses RETRY = ArchitectureRules.classesOf("dev.alfred.llm.retry");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.retry").forEach(rule -> rule.check(RETRY));
    }

    @Test
    void dependsOnlyOnThePortTheJdkAndSlf4j() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.observe", "dev.alfred.llm.config", "dev.alfred.llm.retry..", "java..", "org.slf4j..")
                .check(RETRY);
    }
}
