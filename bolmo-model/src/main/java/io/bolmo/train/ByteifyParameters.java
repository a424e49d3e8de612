package io.bolmo.train;

import io.bolmo.train.data.CorpusException;
import io.bolmo.train.data.DataFormat;
import io.bolmo.train.data.PatchCompression;
import io.bolmo.train.data.PreparedShards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything one byteifying stage needs to start (model.md §6, §7): where the weights come from, the data, the output
 * directory and the hyper-parameters a user usually changes. Values are checked on construction; {@link #checkFiles}
 * checks the file system separately, so a job can validate its parameters before the stage-1 output exists.
 *
 * @param stage              which stage to run
 * @param init               Stage 1: the subword teacher's Hugging Face directory; Stage 2: a Stage 1 output
 *                           (final export or checkpoint directory)
 * @param tokenizer          the teacher's {@code tokenizer.json}; null: {@code init/tokenizer.json}
 * @param corpus             corpus files or directories ({@code .txt}, {@code .jsonl}, optionally {@code .gz})
 * @param output             the stage's output directory ({@code checkpoints/}, {@code final/})
 * @param steps              optimizer steps of this stage
 * @param batchSize          B, windows per batch
 * @param seqLen             L, bytes per window
 * @param maxPatches         P, patches (teacher positions) per window
 * @param peakLr             peak learning rate; NaN: the stage's released recipe (7e-4, 5.2e-5)
 * @param globalLrMultiplier Stage 2: LR of the global blocks relative to {@code peakLr}; NaN: recipe (0.5)
 * @param seed               fixes the student's initialisation and the data order
 * @param local              local encoder/decoder shape of a new student (Stage 1 only)
 * @param heldOutEvery       hold out documents whose hash ≡ 0 mod this (0: train on everything)
 * @param compression        Stage 2: boundary targets on merged subword patches, raising bytes per patch gradually
 *                           (model.md §4.5); {@link PatchCompression#NONE}: the subword boundaries
 * @param boundaryWeight     weight of L_bnd in the stage's loss; NaN: the recipe's 4 (model.md §6.2, §7)
 */
public record ByteifyParameters(Stage stage, Path init, Path tokenizer, List<Path> corpus, Path output, long steps,
        int batchSize, int seqLen, int maxPatches, double peakLr, double globalLrMultiplier, long seed,
        LocalShape local, int heldOutEvery, PatchCompression compression, double boundaryWeight) {

    /**
     * Shape of the local models of a new student; 0 derives a value from the teacher (heads: the teacher's,
     * intermediate: hidden × 11/8, as 2816 for the 1B model).
     */
    public record LocalShape(int encoderLayers, int decoderLayers, int heads, int intermediate) {

        /** The released configs: 1 encoder layer, 4 decoder layers (model.md §9.4). */
        public static final LocalShape DEFAULT = new LocalShape(1, 4, 0, 0);

        public LocalShape {
            InvalidParameterException.checkRange(encoderLayers, 1, SizeLimits.MAX_LAYERS, "encoder-layers");
            InvalidParameterException.checkRange(decoderLayers, 1, SizeLimits.MAX_LAYERS, "decoder-layers");
            check(heads >= 0 && heads <= SizeLimits.MAX_WIDTH, "local-heads", heads,
                    "must be in [1, " + SizeLimits.MAX_WIDTH + "], or 0 for the teacher's head count");
            check(intermediate >= 0 && intermediate <= SizeLimits.MAX_WIDTH, "local-intermediate", intermediate,
                    "must be in [1, " + SizeLimits.MAX_WIDTH + "], or 0 for hidden × 11/8");
        }
    }

    public ByteifyParameters {
        Objects.requireNonNull(stage, "stage");
        check(init != null, stage == Stage.STAGE1 ? "teacher" : "init", null,
                stage == Stage.STAGE1 ? "the subword teacher's directory is required"
                        : "the Stage 1 output directory is required");
        check(corpus != null && !corpus.isEmpty(), "corpus", corpus, "at least one file or directory is required");
        check(output != null, "output", null, "an output directory is required");
        check(steps > 0, "steps", steps, "must be > 0");
        InvalidParameterException.checkRange(batchSize, 1, SizeLimits.MAX_BATCH_SIZE, "batch-size");
        check(seqLen >= 3 && seqLen <= SizeLimits.MAX_SEQ_LEN, "seq-len", seqLen,
                "must be in [3, " + SizeLimits.MAX_SEQ_LEN + "] (BOS, at least one byte, EOS)");
        SizeLimits.checkPositions(batchSize, seqLen);
        check(maxPatches >= 3 && maxPatches <= seqLen, "max-patches", maxPatches,
                "must be in [3, seq-len = " + seqLen + "]");
        check(Double.isNaN(peakLr) || peakLr > 0 && Double.isFinite(peakLr), "lr", peakLr, "must be > 0");
        check(Double.isNaN(globalLrMultiplier) || globalLrMultiplier >= 0 && Double.isFinite(globalLrMultiplier),
                "global-lr-multiplier", globalLrMultiplier, "must be >= 0");
        check(heldOutEvery >= 0, "held-out-every", heldOutEvery, "must be >= 0");
        check(Double.isNaN(boundaryWeight) || boundaryWeight >= 0 && Double.isFinite(boundaryWeight),
                "boundary-weight", boundaryWeight, "must be a finite number >= 0");
        compression = compression == null ? PatchCompression.NONE : compression;
        check(stage == Stage.STAGE2 || !compression.enabled(), "compression", compression.kind().id(),
                "a Stage 2 option (Stage 1 aligns every patch with one teacher token)");
        corpus = List.copyOf(corpus);
        local = local == null ? LocalShape.DEFAULT : local;
    }

    /** Without compression (the subword boundaries). */
    public ByteifyParameters(Stage stage, Path init, Path tokenizer, List<Path> corpus, Path output, long steps,
            int batchSize, int seqLen, int maxPatches, double peakLr, double globalLrMultiplier, long seed,
            LocalShape local, int heldOutEvery) {
        this(stage, init, tokenizer, corpus, output, steps, batchSize, seqLen, maxPatches, peakLr, globalLrMultiplier,
                seed, local, heldOutEvery, PatchCompression.NONE, Double.NaN);
    }

    /** Stage 1 from a teacher with the recipe's LR, 1-in-1000 held out. */
    public static ByteifyParameters stage1(Path teacher, List<Path> corpus, Path output, long steps, int batchSize,
            int seqLen, int maxPatches, long seed) {
        return new ByteifyParameters(Stage.STAGE1, teacher, null, corpus, output, steps, batchSize, seqLen, maxPatches,
                Double.NaN, Double.NaN, seed, LocalShape.DEFAULT, 1000);
    }

    /** The same parameters for Stage 2, starting from {@code stage1Output}. */
    public ByteifyParameters forStage2(Path stage1Output, Path stage2Output, long stage2Steps) {
        return new ByteifyParameters(Stage.STAGE2, stage1Output, tokenizer, corpus, stage2Output, stage2Steps,
                batchSize, seqLen, maxPatches, Double.NaN, Double.NaN, seed, local, heldOutEvery, compression,
                boundaryWeight);
    }

    /** Stage 2 with the boundary targets on merged patches (model.md §4.5). */
    public ByteifyParameters withCompression(PatchCompression c) {
        return new ByteifyParameters(stage, init, tokenizer, corpus, output, steps, batchSize, seqLen, maxPatches,
                peakLr, globalLrMultiplier, seed, local, heldOutEvery, c, boundaryWeight);
    }

    /** Another weight of L_bnd than the recipe's 4 (trades bits per byte against boundary F1). */
    public ByteifyParameters withBoundaryWeight(double w) {
        return new ByteifyParameters(stage, init, tokenizer, corpus, output, steps, batchSize, seqLen, maxPatches,
                peakLr, globalLrMultiplier, seed, local, heldOutEvery, compression, w);
    }

    public ByteifyParameters withPeakLr(double lr) {
        return new ByteifyParameters(stage, init, tokenizer, corpus, output, steps, batchSize, seqLen, maxPatches, lr,
                globalLrMultiplier, seed, local, heldOutEvery, compression, boundaryWeight);
    }

    public ByteifyParameters withGlobalLrMultiplier(double m) {
        return new ByteifyParameters(stage, init, tokenizer, corpus, output, steps, batchSize, seqLen, maxPatches,
                peakLr, m, seed, local, heldOutEvery, compression, boundaryWeight);
    }

    public ByteifyParameters withTokenizer(Path t) {
        return new ByteifyParameters(stage, init, t, corpus, output, steps, batchSize, seqLen, maxPatches, peakLr,
                globalLrMultiplier, seed, local, heldOutEvery, compression, boundaryWeight);
    }

    public ByteifyParameters withLocal(LocalShape shape) {
        return new ByteifyParameters(stage, init, tokenizer, corpus, output, steps, batchSize, seqLen, maxPatches,
                peakLr, globalLrMultiplier, seed, shape, heldOutEvery, compression, boundaryWeight);
    }

    public ByteifyParameters withHeldOutEvery(int every) {
        return new ByteifyParameters(stage, init, tokenizer, corpus, output, steps, batchSize, seqLen, maxPatches,
                peakLr, globalLrMultiplier, seed, local, every, compression, boundaryWeight);
    }

    /** The tokenizer file actually used: the explicit one, else {@code init/tokenizer.json}. */
    public Path tokenizerFile() {
        return tokenizer != null ? tokenizer : init.resolve("tokenizer.json");
    }

    /** The stage recipe with this run's steps, LR, global LR multiplier and seed. */
    public TrainingSettings settings() {
        TrainingSettings r = stage == Stage.STAGE1 ? TrainingSettings.stage1(steps) : TrainingSettings.stage2(steps);
        return new TrainingSettings(stage, steps, Double.isNaN(peakLr) ? r.peakLr() : peakLr,
                Double.isNaN(globalLrMultiplier) ? r.globalLrMultiplier() : globalLrMultiplier, r.warmupFraction(),
                r.maxGradNorm(), Double.isNaN(boundaryWeight) ? r.weights() : r.weights().withBoundary(boundaryWeight),
                r.encoderLossLayer(), r.distillation(), seed);
    }

    /**
     * What every checkpoint of this stage records and a resume must match: stage, step budget, seed, data shape,
     * compression (checkpoints from before the option trained on the subword boundaries) and the boundary weight.
     */
    public RunIdentity identity() {
        return new RunIdentity().add("stage", "stage", stage.name()).add("total_steps", "steps", steps)
                .add("seed", "seed", seed).add("batch_size", "batch-size", batchSize)
                .add("seq_len", "seq-len", seqLen).add("max_patches", "max-patches", maxPatches)
                .add("compression", "compression", compression.toString(), "none")
                .checkNested("settings.weights.boundary", "boundary-weight", settings().weights().boundary());
    }

    /**
     * Checks that the inputs exist: the teacher / Stage 1 directory with its {@code config.json} (unless
     * {@code checkInit} is false, e.g. while Stage 1 has not produced it yet), the tokenizer and every corpus path.
     */
    public void checkFiles(boolean checkInit) {
        String initName = stage == Stage.STAGE1 ? "teacher" : "init";
        if (checkInit) {
            check(Files.isDirectory(init), initName, init, "no such directory");
            check(Files.isRegularFile(init.resolve("config.json")), initName, init,
                    "has no config.json (expected a Hugging Face model directory)");
        }
        if (tokenizer != null || checkInit) {
            check(Files.isRegularFile(tokenizerFile()), "tokenizer", tokenizerFile(),
                    "no such file (expected the teacher's tokenizer.json)");
        }
        for (Path p : corpus) {
            check(Files.exists(p), "corpus", p, "no such file or directory");
            if (PreparedShards.isShardDirectory(p)) { // shards of the prepare job: complete, of this tokenizer
                check(corpus.size() == 1, "corpus", corpus, p + " holds prepared shards; they must be the only"
                        + " corpus path");
                try {
                    PreparedShards.check(p, DataFormat.TEXT, tokenizerFile());
                } catch (CorpusException e) {
                    throw new InvalidParameterException("corpus", p, e.getMessage());
                }
            }
        }
    }

    static void check(boolean ok, String name, Object value, String rule) {
        InvalidParameterException.check(ok, name, value, rule);
    }
}
