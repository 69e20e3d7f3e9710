package dev.alfred.llm.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The testkit knows the port only, never a provider, so every provider can use it. */
class ArchitectureTest {

    private static final JavaClasses KIT = ArchitectureRules.classesOf("dev.alfred.llm.testkit");

    @Test
    void sharedRules() {
        ArchitectureRules.all("dev.alfred.llm.testkit").forEach(rule -> rule.check(KIT));
    }

    @Test
    void theCycleRuleSeesARootPackageAndItsOwnInternal() {
        String root = "dev.alfred.llm.testkit.fixtures.cycle";
        JavaClasses cycle = new ClassFileImporter().importPackages(root);
        AssertionError e = assertThrows(AssertionError.class, () -> ArchitectureRules.noPackageCycles(root).check(cycle));
        assertTrue(e.getMessage().contains("Front") && e.getMessage().contains("Engine"), e.getMessage());
        // the wave-1 rule sliced only sub-packages, so it could not see this cycle
        slices().matching(root + ".(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(cycle);
    }

    @Test
    void knowsNoProvider() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.alfred.llm.kimi..", "dev.alfred.llm.retry..")
                .check(KIT);
    }
}
