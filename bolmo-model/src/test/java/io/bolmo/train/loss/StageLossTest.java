package io.bolmo.train.loss;

import static io.bolmo.train.loss.GoldenLosses.assertInts;
import static io.bolmo.train.loss.GoldenLosses.assertScalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GoldenLosses cases {@code stage1} and {@code stage2}: every loss built from labels, then the weighted totals. */
class StageLossTest {

    private NDManager manager;
    private GoldenLosses golden;
    private ByteLabels labels;
    private NDArray boundaryLogprobs;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        golden = GoldenLosses.load(manager);
        labels = ByteLabels.of(golden.get("labels.input_ids"), golden.get("labels.patch_lens"));
        boundaryLogprobs = golden.get("bce.boundary_logprobs");
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void stage1Total() {
        NDArray fused = labels.stage1Labels();
        assertInts(fused, golden.get("stage1.labels_fused"));
        float nBytes = labels.nBytes();
        NDArray ce = FusedCrossEntropy.compute(golden.get("ce.logits"), fused, nBytes).loss();
        NDArray bnd = boundary(nBytes);
        PatchAlignment alignment = PatchAlignment.of(labels.teacherForcedMask(), labels.patchIds(), 7, 7);
        NDArray enc = EncoderLoss.compute(layers("student"), layers("teacher"), EncoderLoss.RELEASED_LAYER_WEIGHTS,
                alignment, labels.nPatches()).loss();
        NDArray distill = DistillationLoss.STAGE1.compute(golden.get("alm_padded.student_logits").logSoftmax(2),
                fused, labels.patchIds(), golden.get("labels.patch_lens"),
                golden.get("alm_padded.teacher_logits").logSoftmax(2), golden.get("alm_padded.teacher_input_ids"),
                golden.get("alm_padded.teacher_space_mask"), nBytes).loss();

        assertScalar(ce, golden.scalar("stage1", "ce_final"));
        assertScalar(bnd, golden.scalar("stage1", "boundary_final"));
        assertScalar(enc, golden.scalar("stage1", "local_encoder_final"));
        assertScalar(distill, golden.scalar("stage1", "local_decoder_final"));
        assertScalar(StageLoss.stage1(enc, ce, distill, bnd), golden.scalar("stage1", "total"));
        assertScalar(StageLoss.total(StageWeights.STAGE1, enc, ce, distill, bnd), golden.scalar("stage1", "total"));
        assertThat(BoundaryMetrics.of(labels.teacherForcedMask(), labels.boundaryTargets(), labels.byteMask())
                .predictedMean()).isCloseTo(golden.metric("stage1", "bolmo/boundary_mean"),
                        org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void stage2Total() {
        NDArray fused = labels.stage2Labels(boundaryLogprobs);
        assertInts(fused, golden.get("stage2.labels_fused"));
        NDArray ce = FusedCrossEntropy.compute(golden.get("ce.logits"), fused, labels.nBytes()).loss();
        NDArray bnd = boundary(labels.nBytes());
        assertScalar(ce, golden.scalar("stage2", "ce_final"));
        assertScalar(bnd, golden.scalar("stage2", "boundary_final"));
        assertScalar(StageLoss.stage2(ce, bnd), golden.scalar("stage2", "total"));
    }

    @Test
    void weightsAreConfigurableAndMissingWeightedLossesAreRejected() {
        NDArray one = manager.create(1f);
        NDArray two = manager.create(2f);
        assertThat(StageLoss.total(new StageWeights(0f, 0.5f, 0f, 2f), null, one, null, two).getFloat())
                .isEqualTo(4.5f);
        assertThatThrownBy(() -> StageLoss.total(StageWeights.STAGE1, null, one, one, two))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("encoder");
    }

    private NDArray boundary(float nBytes) {
        // Stage 2 keeps the subword targets β* for its BCE
        return BoundaryLoss.compute(boundaryLogprobs, labels.boundaryTargets(), labels.byteMask(), 1, nBytes).loss();
    }

    private List<NDArray> layers(String side) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(golden.get("enc." + side + "_hidden_" + i));
        }
        return out;
    }
}
