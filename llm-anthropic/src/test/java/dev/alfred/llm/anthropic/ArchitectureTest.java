package dev.alfred.llm.anthropic;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * llm-anthropic depends on the port, llm-http, the JDK, jackson-core and SLF4J only, never on another
 * provider; its layers point one way: the provider uses the stream and the wire, the stream the wire.
 */
class ArchitectureTest {

    private static final JavaClasses ANTHROPIC = ArchitectureRules.classesOf("dev.alfred.llm.anthropic");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.anthropic", "dev.alfred.llm.http").forEach(rule -> rule.check(ANTHROPIC));
    }

    @Test
    void dependsOnlyOnThePortLlmHttpTheJdkJacksonCoreAndSlf4j() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.observe", "dev.alfred.llm.config", "dev.alfred.llm.anthropic..",
                        "dev.alfred.llm.http..", "java..", "tools.jackson.core..", "org.slf4j..")
                .check(ANTHROPIC);
    }

    @Test
    void theWireKnowsNeitherTheStreamNorTheProvider() {
        noClasses().that().resideInAPackage("dev.alfred.llm.anthropic.internal.wire").should().dependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm.anthropic", "dev.alfred.llm.anthropic.internal.stream").check(ANTHROPIC);
    }
}
