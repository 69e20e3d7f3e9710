package dev.alfred.llm.tools;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The tool loop stands on the port and the schema module; it knows no provider. */
class ArchitectureTest {

    private static final JavaClasses TOOLS = ArchitectureRules.classesOf("dev.alfred.llm.tools");

    @Test
    void dependsOnlyOnThePortTheSchemaModuleJacksonAndTheJdk() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.observe", "dev.alfred.llm.schema", "dev.alfred.llm.tools..", "tools.jackson..",
                        "java..", "org.slf4j..")
                .check(TOOLS);
    }

    @Test
    void noCyclesAndNoInternals() {
        ArchitectureRules.noAccessToOtherModulesInternals("dev.alfred.llm.tools").check(TOOLS);
        ArchitectureRules.noPackageCycles("dev.alfred.llm.tools").check(TOOLS);
    }
}
