package io.bolmo.train.loss;

import java.util.function.IntPredicate;

/**
 * The counts behind {@link BoundaryMetrics}: integers, so counts of disjoint parts (evaluation partitions) add up to
 * exactly the counts of the whole.
 *
 * @param positions         valid positions counted
 * @param truePositives     predicted and target boundary
 * @param falsePositives    predicted, not a target
 * @param falseNegatives    a target, not predicted
 * @param predictedPositive predicted boundaries
 * @param targetPositive    target boundaries
 */
public record BoundaryCounts(long positions, long truePositives, long falsePositives, long falseNegatives,
        long predictedPositive, long targetPositive) {

    public static final BoundaryCounts ZERO = new BoundaryCounts(0, 0, 0, 0, 0, 0);

    /** Counts positions {@code 0 .. n-1} where {@code valid} holds. */
    public static BoundaryCounts count(int n, IntPredicate valid, IntPredicate predicted, IntPredicate target) {
        long positions = 0;
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long predictedPositive = 0;
        long targetPositive = 0;
        for (int i = 0; i < n; i++) {
            if (!valid.test(i)) {
                continue;
            }
            boolean p = predicted.test(i);
            boolean t = target.test(i);
            positions++;
            tp += p && t ? 1 : 0;
            fp += p && !t ? 1 : 0;
            fn += !p && t ? 1 : 0;
            predictedPositive += p ? 1 : 0;
            targetPositive += t ? 1 : 0;
        }
        return new BoundaryCounts(positions, tp, fp, fn, predictedPositive, targetPositive);
    }

    public BoundaryCounts plus(BoundaryCounts o) {
        return new BoundaryCounts(positions + o.positions, truePositives + o.truePositives,
                falsePositives + o.falsePositives, falseNegatives + o.falseNegatives,
                predictedPositive + o.predictedPositive, targetPositive + o.targetPositive);
    }

    /** Precision, recall, F1 and rates; a ratio with a zero denominator is 0. */
    public BoundaryMetrics metrics() {
        double precision = ratio(truePositives, truePositives + falsePositives);
        double recall = ratio(truePositives, truePositives + falseNegatives);
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new BoundaryMetrics(ratio(positions - falsePositives - falseNegatives, positions), precision, recall,
                f1, ratio(predictedPositive, positions), ratio(targetPositive, positions));
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }
}
