package io.bolmo.train.loss;

import static io.bolmo.train.loss.GoldenLosses.assertFloats;
import static io.bolmo.train.loss.GoldenLosses.assertScalar;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** GoldenLosses case {@code ce}: 640-way CE on the Stage 1 and Stage 2 fused labels, reference normalisation. */
class FusedCrossEntropyTest extends GoldenLossesCase {

    @Test
    void stage1Labels() {
        FusedCrossEntropy.Result r = FusedCrossEntropy.compute(golden.get("ce.logits"), golden.get("ce.labels_fused"),
                27f);
        assertFloats(r.perPosition(), golden.get("ce.per_position"));
        assertThat(r.count()).isEqualTo(27);
        assertScalar(r.rawMean(), golden.scalar("ce", "ce_mean"));
        assertScalar(r.loss(), golden.scalar("ce", "loss_final"));
        // the plain Σ/N_bytes is the reference mean here; the reference additionally scales by (B·L)/N_bytes
        assertScalar(r.sum().div(27f), golden.scalar("ce", "ce_mean"));
    }

    @Test
    void stage2Labels() {
        FusedCrossEntropy.Result r = FusedCrossEntropy.compute(golden.get("ce.logits"),
                golden.get("ce.stage2_labels_fused"));
        assertFloats(r.perPosition(), golden.get("ce.stage2_per_position"));
        assertScalar(r.rawMean(), golden.scalar("ce", "stage2_ce_mean"));
        assertScalar(r.loss(), golden.scalar("ce", "stage2_loss_final"));
    }
}
