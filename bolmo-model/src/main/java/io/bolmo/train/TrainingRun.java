package io.bolmo.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A training run that steps, checkpoints and resumes exactly (a byteifying stage, a fine-tune, a teacher pretraining): what a job runner
 * needs to drive it chunk by chunk. Checkpoints are {@code output()/checkpoints/step-NNNNNN} directories written
 * atomically by {@link RunCheckpoints}, which also lists and prunes them. Only one run may step per JVM (DJL's
 * gradient collector is process-wide).
 */
public interface TrainingRun extends AutoCloseable {

    /** Called with the temporary directory while a checkpoint is being written (fault injection in tests). */
    @FunctionalInterface
    interface WriteHook {
        void partiallyWritten(Path tmp) throws IOException;
    }

    /** Upper-case name for logs ({@code STAGE1}, {@code STAGE2}, {@code FINETUNE}). */
    String name();

    /** One optimizer step on the next batch. */
    StepMetrics step();

    long stepCount();

    long totalSteps();

    boolean finished();

    /** The run's output directory ({@code checkpoints/}, {@code final/}, ...). */
    Path output();

    /** Writes the complete state at the current step atomically; returns the checkpoint directory. */
    Path saveCheckpoint();

    /** Writes the model alone as a Hugging Face directory (atomically). */
    Path exportFinal(Path hfDir);

    /** Fault injection: called while each checkpoint is half written (null: none). */
    void writeHook(WriteHook hook);

    /**
     * Scores the held-out split with the current weights (and keeps the best model, where the run does), or empty
     * when the run has no evaluation. Part of the state a checkpoint saves.
     */
    default Optional<HeldOutMetrics> evaluate() {
        return Optional.empty();
    }

    @Override
    void close();
}
