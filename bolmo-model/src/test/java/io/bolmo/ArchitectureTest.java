package io.bolmo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.bolmo.train.RunCheckpoints;
import io.bolmo.train.TrainingRun;
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
                        "io.bolmo.generate..", "io.bolmo.train..", "io.bolmo.cli..", "io.bolmo.engine..")
                .check(classes);
    }

    @Test
    void configurationDependsOnNothingElseOfOurs() {
        noClasses().that().resideInAPackage("io.bolmo.config..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.nn..", "io.bolmo.io..",
                        "io.bolmo.tokenize..", "io.bolmo.generate..", "io.bolmo.train..", "io.bolmo.cli..",
                        "io.bolmo.engine..")
                .check(classes);
    }

    @Test
    void tokenizationIsIndependentOfTheModel() {
        noClasses().that().resideInAPackage("io.bolmo.tokenize..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.nn..", "io.bolmo.io..",
                        "io.bolmo.generate..", "io.bolmo.train..", "io.bolmo.cli..")
                .check(classes);
    }

    /** Engines run models; what runs on them (generation, evaluation, training, the CLI, the facade) is above. */
    @Test
    void enginesDoNotDependOnGenerationOrTheFacade() {
        noClasses().that().resideInAPackage("io.bolmo.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo", "io.bolmo.generate..",
                        "io.bolmo.eval..", "io.bolmo.train..", "io.bolmo.cli..")
                .check(classes);
    }

    /** The engine interface names no engine and no DJL type, so a Java engine implements it without DJL. */
    @Test
    void theEngineInterfaceIsFreeOfEveryEngine() {
        noClasses().that().resideInAPackage("io.bolmo.engine")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.engine.*..", "ai.djl..",
                        "io.bolmo.nn..")
                .check(classes);
    }

    /**
     * Generation and evaluation talk to {@code io.bolmo.engine.Engine} only: one decode loop on any engine.
     * Generation does not touch the model's DJL classes at all.
     */
    @Test
    void generationAndEvaluationDependOnTheEngineInterfaceNotOnAnEngine() {
        noClasses().that().resideInAnyPackage("io.bolmo.generate..", "io.bolmo.eval..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.engine.*..")
                .check(classes);
        noClasses().that().resideInAPackage("io.bolmo.generate..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.nn..", "ai.djl..")
                .check(classes);
    }

    /** In the facade's package only the factory ({@link Engines}) names a concrete engine. */
    @Test
    void onlyTheFactoryChoosesAnEngine() {
        noClasses().that().resideInAPackage("io.bolmo").and().doNotHaveSimpleName("Engines")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.engine.*..")
                .check(classes);
    }

    @Test
    void theJavaEngineKnowsNothingOfDjlTensorsGenerationTokenizationOrTheCli() {
        noClasses().that().resideInAPackage("io.bolmo.engine.vector..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.nn..", "io.bolmo.generate..",
                        "io.bolmo.tokenize..", "io.bolmo.train..", "io.bolmo.eval..", "io.bolmo.cli..",
                        "io.bolmo.bench..", "io.bolmo.engine.djl..", "ai.djl.ndarray", "ai.djl.engine..")
                .check(classes);
    }

    @Test
    void benchmarksAreNotPartOfTheCliNorOfTheModel() {
        noClasses().that().resideInAPackage("io.bolmo.bench..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.cli..")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.bolmo.nn..", "io.bolmo.engine..", "io.bolmo.generate..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.bench..")
                .check(classes);
    }

    @Test
    void constraintsAreAboutBytesNotTheModel() {
        noClasses().that().resideInAPackage("io.bolmo.generate.constraint..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.nn..", "io.bolmo.io..", "io.bolmo.config..",
                        "io.bolmo.train..", "io.bolmo.cli..", "io.bolmo.eval..", "ai.djl..")
                .check(classes);
        noClasses().that().resideInAPackage("io.bolmo.generate.constraint..")
                .should().dependOnClassesThat().resideInAPackage("io.bolmo.generate")
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
    void trainingDoesNotReachTheApplicationFacades() {
        // the facades load models for applications; training loads them through io.bolmo.io (HfCheckpoint)
        noClasses().that().resideInAPackage("io.bolmo.train..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.bolmo")
                        .and(JavaClass.Predicates.simpleNameStartingWith("Bolmo")
                                .or(JavaClass.Predicates.simpleNameStartingWith("Olmo"))))
                .check(classes);
    }

    @Test
    void theCliHasNoTrainingLoop() {
        // a command parses, hands the run to the library's RunDriver and prints: it never steps, checkpoints or prunes
        // a run itself (the training benchmark, which times raw trainer steps, is the one exception)
        DescribedPredicate<JavaClass> runMachinery = JavaClass.Predicates.assignableTo(TrainingRun.class)
                .or(JavaClass.Predicates.equivalentTo(RunCheckpoints.class))
                .or(JavaClass.Predicates.simpleNameEndingWith("Trainer"));
        noClasses().that().resideInAPackage("io.bolmo.cli..")
                .and().haveSimpleNameNotEndingWith("BenchCommand")
                .should().callMethodWhere(JavaCall.Predicates.target(HasName.Predicates.nameMatching(
                        "step|saveCheckpoint|prune|write|resume|restoreOptimizer"))
                        .and(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(runMachinery))))
                .check(classes);
    }

    @Test
    void chartsAreAFrontEndOnlyTheCommandLineUses() {
        noClasses().that().resideOutsideOfPackages("io.bolmo.plot..", "io.bolmo.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.bolmo.plot..", "org.jfree..")
                .check(classes);
    }
}
