package io.bolmo.train.loss;

import static io.bolmo.train.loss.GoldenLosses.assertFloats;
import static io.bolmo.train.loss.GoldenLosses.assertInts;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GoldenLosses case {@code labels} (data set C) and the patch ids of the ALM cases. */
class ByteLabelsTest extends GoldenLossesCase {

    private ByteLabels labels;

    @BeforeEach
    void setUp() {
        labels = ByteLabels.of(golden.get("labels.input_ids"), golden.get("labels.patch_lens"));
    }

    @Test
    void patchIdsPlainLabelsAndByteMask() {
        assertInts(labels.patchIds(), golden.get("labels.patch_ids"));
        assertInts(labels.plainLabels(), golden.get("labels.labels_plain"));
        assertInts(labels.byteMask(), golden.get("labels.byte_mask"));
        assertThat(labels.nBytes()).isEqualTo(27);
        assertThat(labels.nPatches()).isEqualTo(10);
    }

    @Test
    void boundaryTargetsSkipTheByteBeforeEos() {
        assertFloats(labels.boundaryTargets(), golden.get("labels.boundary_targets"));
        // row 0: '.' (position 8) precedes EOS, so it is not a boundary; EOS (9) is
        assertThat(labels.boundaryTargets().getFloat(0, 8)).isZero();
        assertThat(labels.boundaryTargets().getFloat(0, 9)).isEqualTo(1f);
    }

    @Test
    void stage1FusedLabelsUseTeacherForcing() {
        assertInts(labels.teacherForcedMask(), golden.get("labels.stage1_boundary_mask"));
        assertInts(labels.teacherForcedMask(), golden.get("stage1.boundary_mask_used"));
        NDArray fused = labels.stage1Labels();
        assertInts(fused, golden.get("labels.stage1_labels_fused"));
        assertInts(fused, golden.get("ce.labels_fused"));
        // the label of the last valid byte never carries +260, although that byte ends a patch
        assertThat(fused.getInt(0, 14)).isEqualTo(121);
        assertThat(fused.getInt(1, 11)).isEqualTo(14);
    }

    @Test
    void stage2FusedLabelsUsePredictedBoundaries() {
        NDArray logprobs = golden.get("labels.stage2_boundary_logprobs");
        assertInts(ByteLabels.predictedMask(logprobs), golden.get("labels.stage2_boundary_mask"));
        assertInts(ByteLabels.predictedMask(logprobs), golden.get("stage2.boundary_mask_used"));
        assertInts(labels.stage2Labels(logprobs), golden.get("labels.stage2_labels_fused"));
        assertInts(labels.stage2Labels(logprobs), golden.get("ce.stage2_labels_fused"));
    }

    @Test
    void almCasesLabelsAndPatchIds() {
        for (String c : new String[] {"alm_nodebias", "alm_debias", "alm_padded"}) {
            ByteLabels l = ByteLabels.of(golden.get(c + ".input_ids"), golden.get(c + ".patch_lens"));
            assertInts(l.patchIds(), golden.get(c + ".patch_ids"));
            assertInts(l.stage1Labels(), golden.get(c + ".labels_fused"));
            assertThat(l.nBytes()).isEqualTo((int) golden.scalar(c, "n_valid_bytes"));
            assertThat(l.nPatches()).isEqualTo((int) golden.scalar(c, "n_valid_patches"));
        }
    }
}
