package io.bolmo.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The starter is glue: it calls {@code io.bolmo.Bolmo} and never touches tensors or model components. */
class StarterArchitectureTests {

    @Test
    void theStarterHoldsNoModelMath() {
        noClasses().that().resideInAPackage("io.bolmo.spring..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl.ndarray..", "io.bolmo.nn..",
                        "io.bolmo.train..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.bolmo.spring"));
    }
}
