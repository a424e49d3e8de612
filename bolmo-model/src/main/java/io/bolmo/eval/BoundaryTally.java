package io.bolmo.eval;

import ai.djl.ndarray.NDManager;
import io.bolmo.train.loss.BoundaryMetrics;
import java.util.Arrays;

/**
 * Collects the predictor's decisions and the subword targets β* (spec 4.3: 1 at the last byte of every token) over
 * evaluation windows, then scores them with {@link BoundaryMetrics}. BOS is never counted, and neither is the last
 * byte of a window: it has no lookahead byte, so the predictor cannot place a boundary there (spec 4.1).
 */
public final class BoundaryTally {

    private int[] predicted = new int[1024];
    private int[] targets = new int[1024];
    private int size;

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
        for (int i = 0; i + 1 < predicted.length; i++) {
            if (size == this.predicted.length) {
                this.predicted = Arrays.copyOf(this.predicted, size * 2);
                this.targets = Arrays.copyOf(this.targets, size * 2);
            }
            this.predicted[size] = predicted[i];
            this.targets[size] = targets[i];
            size++;
        }
    }

    /** Bytes counted so far. */
    public int size() {
        return size;
    }

    public BoundaryMetrics metrics() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            int[] valid = new int[size];
            Arrays.fill(valid, 1);
            return BoundaryMetrics.of(m.create(Arrays.copyOf(predicted, size)), m.create(Arrays.copyOf(targets, size)),
                    m.create(valid));
        }
    }
}
