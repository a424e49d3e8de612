package io.bolmo.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bolmo.train.loss.BoundaryMetrics;
import org.junit.jupiter.api.Test;

/** Boundary targets β* and precision/recall/F1 on a hand-made case (model.md §4.3). */
class BoundaryTallyTest {

    @Test
    void targetsMarkTheLastByteOfEveryToken() {
        assertThat(BoundaryTally.targets(new int[] {3, 1, 2})).containsExactly(0, 0, 1, 1, 0, 1);
    }

    @Test
    void handMadeCase() {
        BoundaryTally tally = new BoundaryTally();
        // window 1: targets 0 0 1 1 0 1 (last byte not counted)
        tally.add(new int[] {0, 1, 1, 0, 0, 0}, BoundaryTally.targets(new int[] {3, 1, 2}));
        // window 2: targets 1 0 1
        tally.add(new int[] {1, 1, 0}, new int[] {1, 0, 1});
        // counted: pred 0 1 1 0 0 | 1 1 ; gold 0 0 1 1 0 | 1 0 → TP 2, FP 2, FN 1
        assertThat(tally.size()).isEqualTo(7);
        BoundaryMetrics m = tally.metrics();
        assertThat(m.precision()).isCloseTo(0.5, within(1e-12));
        assertThat(m.recall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.f1()).isCloseTo(2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), within(1e-12));
        assertThat(m.predictedMean()).isCloseTo(4.0 / 7, within(1e-12));
        HeldOutResult r = new HeldOutResult(1, 2, 9, 4, 0, Double.NaN, m, tally.size());
        assertThat(r.bolmoBytesPerPatch()).isCloseTo(7.0 / 4, within(1e-12));
    }
}
