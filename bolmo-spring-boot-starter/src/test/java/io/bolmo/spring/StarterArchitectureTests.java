package io.bolmo.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The starter is glue: it calls {@code io.bolmo.Bolmo} and never touches tensors or model components. */
class StarterArchitectureTests {

    private static final JavaClasses MAIN_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.bolmo.spring");

    @Test
    void theStarterHoldsNoModelMath() {
        noClasses().that().resideInAPackage("io.bolmo.spring..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl.ndarray..", "io.bolmo.nn..",
                        "io.bolmo.train..")
                .check(MAIN_CLASSES);
    }

    /**
     * The ChatModel side ({@code io.bolmo.spring.ai}, Spring AI's "model module") needs neither Boot nor a resilience
     * library: admission and time limits come through {@code GenerationGuard}, implemented in the auto-configuration.
     */
    @Test
    void theChatModelDependsOnNoResilienceLibraryAndNoBoot() {
        noClasses().that().resideInAPackage("io.bolmo.spring.ai..")
                .should().dependOnClassesThat().resideInAnyPackage("io.github.resilience4j..",
                        "org.springframework.boot..", "io.bolmo.spring.autoconfigure..")
                .check(MAIN_CLASSES);
    }
}
