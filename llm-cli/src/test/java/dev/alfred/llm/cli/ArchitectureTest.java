package dev.alfred.llm.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The CLI is the living example of how the bot consumes the library: public API and discovery only. */
class ArchitectureTest {

    private static final JavaClasses CLI = ArchitectureRules.classesOf("dev.alfred.llm.cli");

    @Test
    void usesNoInternalPackage() {
        ArchitectureRules.noAccessToOtherModulesInternals("dev.alfred.llm.cli").check(CLI);
        ArchitectureRules.noPackageCycles("dev.alfred.llm.cli").check(CLI);
    }

    @Test
    void namesNoProviderOrDecoratorFindingThemThroughDiscovery() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.alfred.llm.kimi..", "dev.alfred.llm.retry..",
                        "dev.alfred.llm.opentelemetry..")
                .check(CLI);
    }
}
