package io.bolmo.train;

import io.bolmo.train.loss.DistillationLoss;
import io.bolmo.train.loss.StageWeights;

/**
 * Hyper-parameters of one training stage. {@link #stage1(long)} and {@link #stage2(long)} give the released
 * recipe's values (model.md §6.1, §6.2, §7) for the 1B model; every value can be changed.
 *
 * @param peakLr             peak learning rate of {@code LinearWithWarmup}
 * @param globalLrMultiplier Stage 2: learning rate of the global blocks relative to {@code peakLr}
 * @param encoderLossLayer   global layer (1-based, clamped to the depth) whose output L_enc matches
 */
public record TrainingSettings(Stage stage, long totalSteps, double peakLr, double globalLrMultiplier,
        double warmupFraction, double maxGradNorm, StageWeights weights, int encoderLossLayer,
        DistillationLoss distillation, long seed) {

    public TrainingSettings {
        check(totalSteps > 0, "totalSteps", totalSteps, "must be > 0");
        check(peakLr > 0 && Double.isFinite(peakLr), "peakLr", peakLr, "must be > 0");
        check(globalLrMultiplier >= 0, "globalLrMultiplier", globalLrMultiplier, "must be >= 0");
        check(warmupFraction >= 0 && warmupFraction < 1, "warmupFraction", warmupFraction, "must be in [0, 1)");
        check(maxGradNorm > 0, "maxGradNorm", maxGradNorm, "must be > 0");
        check(encoderLossLayer >= 1, "encoderLossLayer", encoderLossLayer, "must be >= 1");
    }

    /** Stage 1: LR 7e-4, clip 0.5, losses L_enc + L_CE + L_distill + 4·L_bnd, layer 4, τ = 5, debiasing. */
    public static TrainingSettings stage1(long totalSteps) {
        return new TrainingSettings(Stage.STAGE1, totalSteps, 7e-4, 1.0, 0.1, 0.5, StageWeights.STAGE1, 4,
                DistillationLoss.STAGE1, 1234);
    }

    /** Stage 2: LR 5.2e-5 (global blocks 2.6e-5), clip 0.5, losses L_CE + 4·L_bnd. */
    public static TrainingSettings stage2(long totalSteps) {
        return new TrainingSettings(Stage.STAGE2, totalSteps, 5.2e-5, 0.5, 0.1, 0.5, StageWeights.STAGE2, 4,
                DistillationLoss.STAGE1, 1234);
    }

    public TrainingSettings withPeakLr(double lr) {
        return new TrainingSettings(stage, totalSteps, lr, globalLrMultiplier, warmupFraction, maxGradNorm, weights,
                encoderLossLayer, distillation, seed);
    }

    public TrainingSettings withSeed(long s) {
        return new TrainingSettings(stage, totalSteps, peakLr, globalLrMultiplier, warmupFraction, maxGradNorm, weights,
                encoderLossLayer, distillation, s);
    }

    private static void check(boolean ok, String name, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(name + " = " + value + " is invalid: " + rule);
        }
    }
}
