package dev.alfred.llm.kimi;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * llm-kimi is a preset: it depends on the port, llm-openai's public packages, llm-http's, the JDK, SLF4J, and
 * jackson-core (for the token estimate's and the catalogue's bodies) only.
 */
class ArchitectureTest {

    private static final JavaClasses KIMI = ArchitectureRules.classesOf("dev.alfred.llm.kimi");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.kimi", "dev.alfred.llm.openai", "dev.alfred.llm.http").forEach(rule -> rule.check(KIMI));
    }

    @Test
    void dependsOnlyOnThePortTheOpenAiEngineTheJdkSlf4jAndJacksonCore() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.observe", "dev.alfred.llm.config", "dev.alfred.llm.kimi..", "java..",
                        "dev.alfred.llm.openai", "dev.alfred.llm.openai.dialect", "dev.alfred.llm.http",
                        "dev.alfred.llm.http.error", "org.slf4j..", "tools.jackson.core..")
                .check(KIMI);
    }
}
