package io.bolmo.train.loss;

import static io.bolmo.train.loss.GoldenLosses.assertFloats;
import static io.bolmo.train.loss.GoldenLosses.assertInts;
import static io.bolmo.train.loss.GoldenLosses.assertScalar;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GoldenLosses cases {@code alm_nodebias}, {@code alm_debias}, {@code alm_padded}: binarised KL, τ = 5, ε = 1e−6. */
class DistillationLossTest extends GoldenLossesCase {

    @ParameterizedTest
    @ValueSource(strings = {"alm_nodebias", "alm_debias", "alm_padded"})
    void intermediatesAndLoss(String c) {
        boolean debias = golden.flag(c, "do_alm_debiasing");
        DistillationLoss.Result r = compute(golden, c, new DistillationLoss(5f, 1e-6f, debias));

        assertFloats(r.studentMainPath(), golden.get(c + ".student_main_path_logprobs"));
        assertFloats(r.teacherMainPath(), golden.get(c + ".teacher_main_path_logprobs"));
        assertFloats(r.yHatMain(), golden.get(c + ".y_hat_main"));
        assertFloats(r.yTrueMain(), golden.get(c + ".y_true_main"));
        if (debias) {
            assertFloats(r.ySpaceHat(), golden.get(c + ".y_space_hat"));
            assertFloats(r.ySpaceTrue(), golden.get(c + ".y_space_true"));
        } else {
            assertThat(r.ySpaceHat()).isNull();
        }
        assertFloats(r.yHat(), golden.get(c + ".y_hat"));
        assertFloats(r.yTrue(), golden.get(c + ".y_true"));
        assertFloats(r.klPerPatch(), golden.get(c + ".kl_per_patch"));
        NDArray goldenMask = golden.get(c + ".patch_mask");
        long slots = goldenMask.getShape().get(1) - 1;
        assertInts(r.patchMask(), goldenMask.get(new NDIndex(":, :{}", slots)));
        assertThat((int) r.patchMask().toType(ai.djl.ndarray.types.DataType.INT64, false).sum().getLong()).isEqualTo((int) golden.scalar(c, "n_valid_patches"));
        assertScalar(r.rawMean(), golden.scalar(c, "loss_raw_mean"));
        assertScalar(r.loss(), golden.scalar(c, "loss_final"));
    }

    static DistillationLoss.Result compute(GoldenLosses golden, String c, DistillationLoss loss) {
        return loss.compute(golden.get(c + ".student_logits").logSoftmax(2), golden.get(c + ".labels_fused"),
                golden.get(c + ".patch_ids"), golden.get(c + ".patch_lens"),
                golden.get(c + ".teacher_logits").logSoftmax(2), golden.get(c + ".teacher_input_ids"),
                golden.get(c + ".teacher_space_mask"), (float) golden.scalar(c, "n_valid_bytes"));
    }
}
