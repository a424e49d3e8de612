package io.bolmo.train;

import io.bolmo.train.data.TrainingBatch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import io.bolmo.io.CheckpointException;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.NoGrad;
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
        this(settings, student, teacher, vocab, trie, false);
    }

    /**
     * @param freezeGlobal Stage 2 only: keep the global blocks fixed and train the local models alone (Stage 1
     *                     always freezes them)
     */
    public ByteifyTrainer(TrainingSettings settings, BolmoModel student, OlmoModel teacher, SubwordVocabulary vocab,
            SubwordSuffixTrie trie, boolean freezeGlobal) {
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
                : freezeGlobal ? BolmoOptimizers.stage2LocalOnly()
                : BolmoOptimizers.stage2(settings.globalLrMultiplier());
        boolean allTrainable = settings.stage() == Stage.STAGE2 && !freezeGlobal;
        params.forEach((name, p) -> p.setRequiresGradient(allTrainable || StudentInit.stage1Trainable(name)));
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
            StepMetrics.Losses terms = new StepMetrics.Losses(value(losses.total()), value(losses.encoder()),
                    value(losses.crossEntropy()), value(losses.distillation()), value(losses.boundary()));
            StepMetrics.Boundaries boundaries = new StepMetrics.Boundaries(losses.boundaries().accuracy(),
                    losses.boundaries().f1(), losses.bytesPerPatch());
            return new StepMetrics(optimizer.stepCount(), terms, boundaries, losses.bitsPerByte(), norm, lr,
                    batch.realBytes(), seconds);
        }
    }

    /**
     * The Stage 2 objective on {@code batch} without gradients or an update (held-out evaluation): the plain per-byte
     * sums over the positions that count (a batch loss mask included), for {@link HeldOutMetrics} to average.
     */
    public HeldOutMetrics.Batch evaluate(TrainingBatch batch) {
        NDManager manager = student.weights().manager();
        try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
            // a full mask where there is none: the masked path normalises per counted byte (the plain mean)
            TrainingBatch b = batch.lossMask() != null ? batch : withLossMask(batch, ones(batch.inputIds()));
            int n = countedPositions(b);
            if (n == 0) {
                return new HeldOutMetrics.Batch(0, 0, 0, 0);
            }
            ByteifyObjective.Losses l = objective.stage2(m, b);
            return new HeldOutMetrics.Batch(n, value(l.crossEntropy()) * n, value(l.boundary()) * n,
                    l.bitsPerByte() * n);
        }
    }

    /** Positions t with a label (x_{t+1} not padding) whose byte x_{t+1} is trained, as {@code LossMask} counts them. */
    static int countedPositions(TrainingBatch b) {
        int n = 0;
        for (int r = 0; r < b.batchSize(); r++) {
            int[] x = b.inputIds()[r];
            for (int t = 0; t + 1 < x.length; t++) {
                n += x[t + 1] != 0 && b.lossMask()[r][t + 1] != 0 ? 1 : 0;
            }
        }
        return n;
    }

    private static int[][] ones(int[][] like) {
        int[][] o = new int[like.length][];
        for (int i = 0; i < like.length; i++) {
            o[i] = new int[like[i].length];
            java.util.Arrays.fill(o[i], 1);
        }
        return o;
    }

    private static TrainingBatch withLossMask(TrainingBatch b, int[][] mask) {
        return new TrainingBatch(b.inputIds(), b.patchLens(), b.teacherIds(), b.realRows(), b.realBytes(),
                b.realTokens(), b.next(), mask);
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

    /**
     * Restores the optimizer of checkpoint directory {@code checkpoint} ({@code optimizer.safetensors}), whose
     * {@code state.json} says {@code step}; a failure or another step count is a {@link CheckpointException} naming it.
     */
    public void restoreOptimizer(Path checkpoint, long step) {
        try {
            loadOptimizer(checkpoint.resolve(RunCheckpoints.OPTIMIZER_FILE));
        } catch (RuntimeException e) {
            throw new CheckpointException("checkpoint " + checkpoint + ": cannot restore the optimizer: "
                    + e.getMessage(), e);
        }
        if (stepCount() != step) {
            throw new CheckpointException("checkpoint " + checkpoint + ": state.json says step " + step
                    + " but the optimizer state has " + stepCount() + " steps");
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
