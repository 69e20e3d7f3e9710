package dev.alfred.llm.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The testkit knows the port only, never a provider, so every provider can use it. */
class ArchitectureTest {

    private static final JavaClasses KIT = ArchitectureRules.classesOf("dev.alfred.llm.testkit");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.testkit").forEach(rule -> rule.check(KIT));
    }

    @Test
    void knowsNoProvider() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.alfred.llm.kimi..", "dev.alfred.llm.retry..")
                .check(KIT);
    }
}
