package io.bolmo.train.teacher;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.bolmo.train.SizeLimits;
import io.bolmo.train.data.DataFormat;

/**
 * Hyper-parameters of teacher pretraining. Olmo 2/3 recipe scaled down: AdamW betas (0.9, 0.95), eps 1e-8,
 * weight decay 0.1 on matrices only, {@code LinearWithWarmup} to 0, clip at global norm 1.0.
 *
 * @param batchSize      B, windows per step
 * @param seqLen         T, positions per window (each window holds T + 1 ids)
 * @param totalSteps     optimizer steps of the full run (the schedule's length)
 * @param peakLr         the schedule's peak learning rate
 * @param warmupFraction share of {@code totalSteps} spent warming up linearly
 * @param weightDecay    decoupled weight decay of the matrices (embeddings and norms get none)
 * @param maxGradNorm    global gradient-norm clip
 * @param seed           initial weights and data order
 * @param heldOutEvery   documents with content hash ≡ 0 mod this are held out (never trained on)
 * @param format         plain text (every token trained) or chat conversations (assistant tokens only); null reads
 *                       as text, the only format before chat existed
 * @param freezeEmbeddings train the transformer blocks and norms only, the token embedding and the LM head stay as
 *                       loaded: a fine-tune whose whole change lies in what task arithmetic moves into a Bolmo
 */
public record TeacherSettings(int batchSize, int seqLen, long totalSteps, double peakLr, double warmupFraction,
        double weightDecay, double maxGradNorm, long seed, int heldOutEvery, DataFormat format,
        boolean freezeEmbeddings) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    public TeacherSettings {
        check(batchSize >= 1 && batchSize <= SizeLimits.MAX_BATCH_SIZE, "batchSize", batchSize,
                "must be in [1, " + SizeLimits.MAX_BATCH_SIZE + "]");
        check(seqLen >= 2 && seqLen <= SizeLimits.MAX_SEQ_LEN, "seqLen", seqLen,
                "must be in [2, " + SizeLimits.MAX_SEQ_LEN + "]");
        check((long) batchSize * (seqLen + 1) <= SizeLimits.MAX_POSITIONS_PER_STEP, "batchSize × (seqLen + 1)",
                (long) batchSize * (seqLen + 1), "at most " + SizeLimits.MAX_POSITIONS_PER_STEP + " positions per step");
        check(totalSteps >= 1, "totalSteps", totalSteps, "must be >= 1");
        check(peakLr > 0 && Double.isFinite(peakLr), "peakLr", peakLr, "must be > 0");
        check(warmupFraction >= 0 && warmupFraction <= 1, "warmupFraction", warmupFraction, "must be in [0, 1]");
        check(weightDecay >= 0, "weightDecay", weightDecay, "must be >= 0");
        check(maxGradNorm > 0, "maxGradNorm", maxGradNorm, "must be > 0");
        check(heldOutEvery >= 0, "heldOutEvery", heldOutEvery, "must be >= 0 (0 holds nothing out)");
        format = format == null ? DataFormat.TEXT : format;
    }

    /** The Olmo 2/3 recipe's fixed part: 5 % warm-up, weight decay 0.1, clip at global norm 1.0. */
    public static final double WARMUP_FRACTION = 0.05;
    public static final double WEIGHT_DECAY = 0.1;
    public static final double MAX_GRAD_NORM = 1.0;

    /** The recipe with a run's own data shape, steps, peak LR, seed, split, format and freezing. */
    public static TeacherSettings recipe(int batchSize, int seqLen, long totalSteps, double peakLr, long seed,
            int heldOutEvery, DataFormat format, boolean freezeEmbeddings) {
        return new TeacherSettings(batchSize, seqLen, totalSteps, peakLr, WARMUP_FRACTION, WEIGHT_DECAY,
                MAX_GRAD_NORM, seed, heldOutEvery, format, freezeEmbeddings);
    }

    public TeacherSettings withTotalSteps(long steps) {
        return new TeacherSettings(batchSize, seqLen, steps, peakLr, warmupFraction, weightDecay, maxGradNorm, seed,
                heldOutEvery, format, freezeEmbeddings);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    public static TeacherSettings fromJson(String json) {
        TeacherSettings s = GSON.fromJson(json, TeacherSettings.class);
        if (s == null) {
            throw new IllegalArgumentException("empty teacher settings JSON");
        }
        return s;
    }

    private static void check(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("teacher setting " + field + " = " + value + " is invalid: " + rule);
        }
    }
}
