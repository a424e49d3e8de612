package io.bolmo.train;

import io.bolmo.train.data.TrainingBatch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.OlmoModel;
import io.bolmo.tokenize.SubwordSuffixTrie;
import io.bolmo.tokenize.SubwordVocabulary;
import io.bolmo.train.optim.AdamW;
import io.bolmo.train.optim.BolmoOptimizers;
import io.bolmo.train.optim.LrSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One stage of byteifying as a sequence of optimizer steps: forward ({@link ByteifyObjective}), backward, clipping
 * by global norm, AdamW with {@code LinearWithWarmup}. The student is trained in place; the optimizer's state can
 * be saved and restored exactly. Only one trainer may step at a time per JVM (DJL's gradient collector is global).
 */
public final class ByteifyTrainer implements AutoCloseable {

    private final TrainingSettings settings;
    private final BolmoModel student;
    private final OlmoModel teacher;
    private final ByteifyObjective objective;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final NDArray teacherSpaceMask;

    /**
     * @param teacher required for Stage 1 (distillation, encoder loss, oracle patch representations), unused in
     *                Stage 2
     */
    public ByteifyTrainer(TrainingSettings settings, BolmoModel student, OlmoModel teacher, SubwordVocabulary vocab,
            SubwordSuffixTrie trie) {
        if (settings.stage() == Stage.STAGE1 && teacher == null) {
            throw new IllegalArgumentException("Stage 1 needs the subword teacher model");
        }
        this.settings = settings;
        this.student = student;
        this.teacher = teacher;
        this.objective = new ByteifyObjective(student, trie, settings.weights(), settings.encoderLossLayer(),
                settings.distillation());
        Map<String, NDArray> params = student.weights().all();
        AdamW.Builder builder = settings.stage() == Stage.STAGE1
                ? BolmoOptimizers.stage1()
                : BolmoOptimizers.stage2(settings.globalLrMultiplier());
        params.forEach((name, p) -> p.setRequiresGradient(
                settings.stage() == Stage.STAGE2 || TeacherInit.stage1Trainable(name)));
        this.optimizer = builder.build(params);
        this.schedule = LrSchedule.linearWithWarmup(settings.peakLr(), settings.totalSteps(),
                settings.warmupFraction(), 0.0);
        this.teacherSpaceMask = teacher == null ? null
                : ByteifyObjective.teacherSpaceMask(student.weights().manager(), vocab, teacher.config().vocabSize());
    }

    /** One optimizer step on {@code batch}. */
    public StepMetrics step(TrainingBatch batch) {
        long start = System.nanoTime();
        NDManager manager = student.weights().manager();
        try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
            ByteifyObjective.Losses losses;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                losses = settings.stage() == Stage.STAGE1
                        ? objective.stage1(m, batch, teacher, teacherSpaceMask)
                        : objective.stage2(m, batch);
                gc.backward(losses.total());
            }
            double norm = optimizer.clipGradNorm(settings.maxGradNorm());
            double lr = schedule.lr(optimizer.stepCount() + 1);
            optimizer.step(lr);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new StepMetrics(optimizer.stepCount(), value(losses.total()), value(losses.encoder()),
                    value(losses.crossEntropy()), value(losses.distillation()), value(losses.boundary()),
                    losses.boundaries().accuracy(), losses.boundaries().f1(), losses.bitsPerByte(),
                    losses.bytesPerPatch(), norm, lr, batch.realBytes(), seconds);
        }
    }

    /** Completed optimizer steps. */
    public long stepCount() {
        return optimizer.stepCount();
    }

    public boolean finished() {
        return optimizer.stepCount() >= settings.totalSteps();
    }

    public void saveOptimizer(Path file) {
        try {
            optimizer.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write optimizer state " + file, e);
        }
    }

    public void loadOptimizer(Path file) {
        try {
            optimizer.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read optimizer state " + file, e);
        }
    }

    public BolmoModel student() {
        return student;
    }

    public TrainingSettings settings() {
        return settings;
    }

    private static double value(NDArray scalar) {
        return scalar == null ? 0 : scalar.getFloat();
    }

    /** Frees the optimizer state; the models belong to the caller. */
    @Override
    public void close() {
        optimizer.close();
        if (teacherSpaceMask != null) {
            teacherSpaceMask.close();
        }
    }
}
