package dev.alfred.llm;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** llm-api is the hexagon's core: it knows the JDK and SLF4J, nothing else. */
class ArchitectureTest {

    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.alfred.llm");

    @Test
    void dependsOnlyOnTheJdkAndSlf4j() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.alfred.llm..", "java..", "org.slf4j..")
                .check(API);
    }

    @Test
    void knowsNoHttpAndNoJson() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("java.net.http..", "com.fasterxml..", "tools.jackson..")
                .check(API);
    }

    @Test
    void hasNoCyclesBetweenSubpackages() {
        slices().matching("dev.alfred.llm.(*)..").should().beFreeOfCycles().check(API);
    }

    @Test
    void spiDoesNotReachIntoInternal() {
        noClasses().that().resideInAPackage("dev.alfred.llm.spi..")
                .should().dependOnClassesThat().resideInAPackage("dev.alfred.llm.internal..")
                .check(API);
    }
}
