package dev.alfred.llm.openai;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.alfred.llm.testkit.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * llm-openai depends on the port, llm-http, the JDK, jackson-core, SLF4J and jtokkit (OpenAI's tokenizers) only; its layers point one
 * way: the provider uses the stream and the wire, the stream the wire, and both the dialect, which
 * uses none of them.
 */
class ArchitectureTest {

    private static final JavaClasses OPENAI = ArchitectureRules.classesOf("dev.alfred.llm.openai");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.openai", "dev.alfred.llm.http").forEach(rule -> rule.check(OPENAI));
    }

    @Test
    void dependsOnlyOnThePortLlmHttpTheJdkJacksonCoreSlf4jAndJtokkit() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm", "dev.alfred.llm.spi", "dev.alfred.llm.observe", "dev.alfred.llm.config", "dev.alfred.llm.openai..", "dev.alfred.llm.http..",
                        "java..", "tools.jackson.core..", "org.slf4j..", "com.knuddels.jtokkit..")
                .check(OPENAI);
    }

    @Test
    void theLayersPointOneWay() {
        noClasses().that().resideInAPackage("dev.alfred.llm.openai.internal.wire").should().dependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm.openai", "dev.alfred.llm.openai.internal.stream").check(OPENAI);
        noClasses().that().resideInAPackage("dev.alfred.llm.openai.dialect").should().dependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm.openai", "dev.alfred.llm.openai.internal..").check(OPENAI);
    }
}
