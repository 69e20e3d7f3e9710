package dev.alfred.llm.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules every alfred-llm module checks, for its own root package: the hexagon's
 * dependencies point at the port only, nobody reaches into another module's {@code internal}, there
 * are no package cycles, and the usual coding rules hold.
 *
 * <pre>{@code
 * ArchitectureRules.all("dev.alfred.llm.kimi").forEach(rule -> rule.check(importedClasses));
 * }</pre>
 */
public final class ArchitectureRules {

    /** The port's root package; every module's root is this or below it. */
    public static final String PORT = "dev.alfred.llm";
    /** The port's packages: the caller's types, the listener API, configuration and discovery, and the SPI. */
    private static final Set<String> PORT_PACKAGES = Set.of(PORT, PORT + ".spi", PORT + ".observe", PORT + ".config");

    private ArchitectureRules() {
    }

    /**
     * A module's own production classes, as its architecture test checks them: compiled classes only,
     * no tests, no jars (dependencies are judged by name, which is all the rules need).
     *
     * @param ownRoot the module's root package
     * @return the classes
     */
    public static JavaClasses classesOf(String ownRoot) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(ownRoot);
    }

    /**
     * Every rule, for a module.
     *
     * @param ownRoot the module's root package, such as {@code dev.alfred.llm.kimi}
     * @param mayUse  the root packages of the other modules it may depend on (their public packages
     *                only): providers may use {@code dev.alfred.llm.http}, Kimi {@code dev.alfred.llm.openai}
     * @return the rules
     */
    public static List<ArchRule> all(String ownRoot, String... mayUse) {
        return List.of(noAccessToOtherModulesInternals(ownRoot), noDependencyOnOtherModules(ownRoot, mayUse),
                noPackageCycles(ownRoot),
                GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS,
                GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS,
                GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING,
                GeneralCodingRules.NO_CLASSES_SHOULD_USE_JODATIME);
    }

    /**
     * A module uses no other module's {@code internal} package.
     *
     * @param ownRoot the module's root package
     * @return the rule
     */
    public static ArchRule noAccessToOtherModulesInternals(String ownRoot) {
        return noClasses().that().resideInAPackage(ownRoot + "..")
                .should().dependOnClassesThat(new DescribedPredicate<JavaClass>("are in another module's internal package") {
                    @Override
                    public boolean test(JavaClass c) {
                        String p = c.getPackageName();
                        return p.startsWith(PORT) && p.contains(".internal") && !moduleOf(p).equals(ownRoot);
                    }
                }).allowEmptyShould(true);
    }

    /**
     * A module depends on the port and on itself, never on another provider or decorator, except the
     * modules it is allowed to build on: the hexagon's arrows point inwards.
     *
     * @param ownRoot the module's root package
     * @param mayUse  the root packages of the modules it may depend on
     * @return the rule
     */
    public static ArchRule noDependencyOnOtherModules(String ownRoot, String... mayUse) {
        Set<String> allowed = Set.of(mayUse);
        return noClasses().that().resideInAPackage(ownRoot + "..")
                .should().dependOnClassesThat(new DescribedPredicate<JavaClass>("are in another provider or decorator module") {
                    @Override
                    public boolean test(JavaClass c) {
                        String p = c.getPackageName();
                        if (!p.startsWith(PORT + ".") || PORT_PACKAGES.contains(p) || p.startsWith(PORT + ".internal")) {
                            return false;
                        }
                        String module = moduleOf(p);
                        return !module.equals(ownRoot) && !allowed.contains(module);
                    }
                }).allowEmptyShould(true);
    }

    /**
     * No cycles between a module's packages: every package is a slice of its own, the module's root
     * included, so a root package and its own {@code internal} cannot depend on each other both ways.
     * The port's packages (root, {@code spi}, {@code observe}, {@code config}) count as one slice, the
     * port, since they are defined in one another's types.
     *
     * @param ownRoot the module's root package
     * @return the rule
     */
    public static ArchRule noPackageCycles(String ownRoot) {
        return slices().assignedFrom(new SliceAssignment() {
            @Override
            public String getDescription() {
                return "the packages of " + ownRoot + ", one slice each (the port's root and spi as one)";
            }

            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!p.equals(ownRoot) && !p.startsWith(ownRoot + ".")) {
                    return SliceIdentifier.ignore();
                }
                return SliceIdentifier.of(PORT_PACKAGES.contains(p) ? PORT : p);
            }
        }).should().beFreeOfCycles().allowEmptyShould(true);
    }

    /** The root package of the module a package belongs to: {@code dev.alfred.llm} or one level below. */
    private static String moduleOf(String pkg) {
        if (!pkg.startsWith(PORT + ".")) {
            return pkg;
        }
        String rest = pkg.substring(PORT.length() + 1);
        String first = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
        return first.equals("spi") || first.equals("internal") || first.equals("observe") || first.equals("config")
                ? PORT : PORT + "." + first;
    }
}
