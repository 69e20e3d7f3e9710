package dev.alfred.llm;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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

    /** The port's packages, one slice: they are defined in one another's types. */
    private static final java.util.Set<String> PORT = java.util.Set.of("dev.alfred.llm", "dev.alfred.llm.spi",
            "dev.alfred.llm.observe", "dev.alfred.llm.config");

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

    /**
     * Every package is a slice, the root included (root, spi, observe and config together are the port), so the root
     * and its own internal cannot depend on each other both ways. The same rule as the testkit's
     * ArchitectureRules.noPackageCycles, which llm-api cannot use (the testkit depends on it).
     */
    @Test
    void hasNoCyclesBetweenPackagesRootIncluded() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public String getDescription() {
                return "the packages of llm-api, the port's four as one";
            }

            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                return SliceIdentifier.of(PORT.contains(p) ? "dev.alfred.llm" : p);
            }
        }).should().beFreeOfCycles().check(API);
    }

    @Test
    void spiDoesNotReachIntoInternal() {
        noClasses().that().resideInAnyPackage("dev.alfred.llm.spi..", "dev.alfred.llm.observe..")
                .should().dependOnClassesThat().resideInAPackage("dev.alfred.llm.internal..")
                .check(API);
    }
}
