package io.bolmo.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Boundary-prediction metrics for training logs (model.md §4.2, §4.3): the predictor's hard decisions against the
 * targets β* over the valid positions (the boundary-loss mask). Host-side; no gradient.
 *
 * <p>The golden precision/recall sit just below the exact ratios (0.44999996 for 9/20, 0.99999988 for 9/9), as if
 * the reference adds a tiny ε to the denominators; here the exact ratio, 0 when the denominator is 0. The
 * reference's {@code boundary_mean} is the mean of the mask used for pooling: in Stage 1 pass the teacher-forced
 * mask as {@code predicted} to get it (its accuracy/precision/recall are then trivially 1).
 *
 * @param accuracy       fraction of valid positions where prediction = target
 * @param precision      TP / predicted positives
 * @param recall         TP / target positives
 * @param f1             2PR / (P + R)
 * @param predictedMean  mean predicted boundary rate (compression: 1 / bytes per patch)
 * @param targetMean     mean target boundary rate
 */
public record BoundaryMetrics(double accuracy, double precision, double recall, double f1, double predictedMean,
        double targetMean) {

    /**
     * @param predicted hard decisions [B, L] (0/1, e.g. {@link ByteLabels#predictedMask})
     * @param targets   β* [B, L] (0/1)
     * @param valid     positions that count [B, L] (0/1, e.g. {@link BoundaryLoss.Result#mask()})
     */
    public static BoundaryMetrics of(NDArray predicted, NDArray targets, NDArray valid) {
        float[] p = predicted.toType(DataType.FLOAT32, false).toFloatArray();
        float[] z = targets.toType(DataType.FLOAT32, false).toFloatArray();
        float[] v = valid.toType(DataType.FLOAT32, false).toFloatArray();
        return BoundaryCounts.count(p.length, i -> v[i] >= 0.5f, i -> p[i] > 0.5f, i -> z[i] > 0.5f).metrics();
    }
}
