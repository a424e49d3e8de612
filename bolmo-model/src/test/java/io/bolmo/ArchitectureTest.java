package io.bolmo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The dependency direction of docs/architecture.md: everything points inward to the model. */
class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.bolmo");

    @Test
    void theModelKnowsNothingOfFilesTokenizersGenerationOrTraining() {
        noClasses().that().resideInAPackage("io.bolmo.nn..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.io..", "io.bolmo.tokenize..",
                        "io.bolmo.generate..", "io.bolmo.train..", "io.bolmo.cli..")
                .check(classes);
    }

    @Test
    void configurationDependsOnNothingElseOfOurs() {
        noClasses().that().resideInAPackage("io.bolmo.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.nn..", "io.bolmo.io..",
                        "io.bolmo.tokenize..", "io.bolmo.generate..", "io.bolmo.train..", "io.bolmo.cli..")
                .check(classes);
    }

    @Test
    void tokenizationIsIndependentOfTheModel() {
        noClasses().that().resideInAPackage("io.bolmo.tokenize..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.nn..", "io.bolmo.io..",
                        "io.bolmo.generate..", "io.bolmo.train..", "io.bolmo.cli..")
                .check(classes);
    }

    @Test
    void generationAndTrainingDoNotDependOnEachOtherOrOnTheCli() {
        noClasses().that().resideInAPackage("io.bolmo.generate..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.train..", "io.bolmo.cli..")
                .check(classes);
        noClasses().that().resideInAPackage("io.bolmo.train..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.generate..", "io.bolmo.cli..")
                .check(classes);
    }

    @Test
    void chartsAreAFrontEndOnlyTheCommandLineUses() {
        noClasses().that().resideOutsideOfPackages("io.bolmo.plot..", "io.bolmo.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.plot..", "org.jfree..")
                .check(classes);
    }
}
