package dev.alfred.llm.schema;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The schema module knows the port (its one scrubber in the SPI included) and Jackson, nothing of a provider. */
class ArchitectureTest {

    private static final JavaClasses SCHEMA = ArchitectureRules.classesOf("dev.alfred.llm.schema");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.schema").forEach(rule -> rule.check(SCHEMA));
    }

    @Test
    void dependsOnlyOnThePortJacksonAndTheJdk() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.schema..", "tools.jackson..", "java..")
                .check(SCHEMA);
    }
}
