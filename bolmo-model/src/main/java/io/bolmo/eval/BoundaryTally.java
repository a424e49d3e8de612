package io.bolmo.eval;

import io.bolmo.train.loss.BoundaryCounts;
import io.bolmo.train.loss.BoundaryMetrics;
import java.util.Arrays;

/**
 * Counts the predictor's decisions against the subword targets β* (model.md §4.3: 1 at the last byte of every token)
 * over evaluation windows, for {@link BoundaryMetrics}. BOS is never counted, and neither is the last byte of a
 * window: it has no lookahead byte, so the predictor cannot place a boundary there (model.md §4.1).
 */
public final class BoundaryTally {

    private BoundaryCounts counts = BoundaryCounts.ZERO;

    /** β*: 1 at the last byte of every token of a window of {@code Σ tokenLengths} bytes. */
    public static int[] targets(int[] tokenLengths) {
        int n = Arrays.stream(tokenLengths).sum();
        int[] z = new int[n];
        int end = 0;
        for (int len : tokenLengths) {
            end += len;
            z[end - 1] = 1;
        }
        return z;
    }

    /** Adds one window: {@code predicted[i]}, {@code targets[i]} for its bytes i (no BOS). */
    public void add(int[] predicted, int[] targets) {
        if (predicted.length != targets.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length + " bytes, targets "
                    + targets.length);
        }
        counts = counts.plus(BoundaryCounts.count(predicted.length - 1, i -> true, i -> predicted[i] > 0,
                i -> targets[i] > 0));
    }

    /** Bytes counted so far. */
    public int size() {
        return Math.toIntExact(counts.positions());
    }

    public BoundaryCounts counts() {
        return counts;
    }

    public BoundaryMetrics metrics() {
        return counts.metrics();
    }
}
