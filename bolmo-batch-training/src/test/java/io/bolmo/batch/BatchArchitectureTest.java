package io.bolmo.batch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The batch module's layering: jobs are thin glue over the library (no loss formulas, no model internals), and the
 * partitioning infrastructure (local or remote) knows no particular job.
 */
class BatchArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.bolmo.batch");

    @Test
    void jobsHoldNoLossFormulasOrModelInternals() {
        // reading records (BoundaryMetrics, a result; StageWeights, the default loss weights a parameter shows) is
        // fine; computing losses or running modules is not
        noClasses().that().resideInAPackage("io.bolmo.batch..")
                .should().dependOnClassesThat(resideInAnyPackage("io.bolmo.train.loss..", "io.bolmo.nn..")
                        .and(not(simpleName("BoundaryMetrics"))).and(not(simpleName("StageWeights"))))
                .check(classes);
    }

    @Test
    void partitioningKnowsNoJob() {
        noClasses().that().resideInAPackage("io.bolmo.batch.partition..")
                .should().dependOnClassesThat().resideInAPackage("io.bolmo.batch")
                .check(classes);
    }
}
