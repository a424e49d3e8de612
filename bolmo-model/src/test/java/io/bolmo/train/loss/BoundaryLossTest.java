package io.bolmo.train.loss;

import static io.bolmo.train.loss.GoldenLosses.assertFloats;
import static io.bolmo.train.loss.GoldenLosses.assertInts;
import static io.bolmo.train.loss.GoldenLosses.assertScalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.Test;

/** GoldenLosses cases {@code bce} and {@code bce_spot}, plus the boundary metrics of {@code stage1}/{@code stage2}. */
class BoundaryLossTest extends GoldenLossesCase {

    @Test
    void elementwiseAtSpotLogprobsCoversClipAndBothLog1mexpBranches() {
        NDArray l = golden.get("bce_spot.logprobs");
        assertFloats(BoundaryLoss.elementwise(l, l.zerosLike()), golden.get("bce_spot.elementwise_t0"));
        assertFloats(BoundaryLoss.elementwise(l, l.onesLike()), golden.get("bce_spot.elementwise_t1"));
    }

    @Test
    void maskedSumOverNBytes() {
        BoundaryLoss.Result r = BoundaryLoss.compute(golden.get("bce.boundary_logprobs"), golden.get("bce.targets"),
                golden.get("labels.byte_mask"), 1, 27f);
        assertFloats(r.elementwise(), golden.get("bce.elementwise"));
        assertInts(r.mask(), golden.get("bce.mask"));
        assertScalar(r.rawMean(), golden.scalar("bce", "loss_raw_mean"));
        assertScalar(r.loss(), golden.scalar("bce", "loss_final"));
    }

    @Test
    void defaultsUseLookaheadOneAndTheBatchLabelCount() {
        BoundaryLoss.Result r = BoundaryLoss.compute(golden.get("bce.boundary_logprobs"), golden.get("bce.targets"),
                golden.get("labels.byte_mask"));
        assertScalar(r.loss(), golden.scalar("bce", "loss_final"));
    }

    @Test
    void metricsAgainstTargets() {
        NDArray predicted = ByteLabels.predictedMask(golden.get("bce.boundary_logprobs"));
        BoundaryMetrics m = BoundaryMetrics.of(predicted, golden.get("bce.targets"), golden.get("bce.mask"));
        assertScalar(m.accuracy(), golden.metric("stage2", "bolmo/boundary_acc"));
        assertScalar(m.precision(), golden.metric("stage2", "bolmo/boundary_precision"));
        assertScalar(m.recall(), golden.metric("stage2", "bolmo/boundary_recall"));
        assertScalar(m.predictedMean(), golden.metric("stage2", "bolmo/boundary_mean"));
        assertScalar(m.targetMean(), golden.metric("stage2", "bolmo/boundary_label_mean"));
        assertThat(m.f1()).isCloseTo(2 * 0.45 / 1.45, within(1e-12));
    }
}
