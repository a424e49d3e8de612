package io.bolmo.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DJL autograd through the losses: the gradient of a chosen entry agrees with a central finite difference, and no
 * NaN comes out of the masked or unselected log1mexp branches.
 */
class GradientTest extends GoldenLossesCase {

    private static final float H = 1e-2f;

    private ByteLabels labels;

    @BeforeEach
    void setUp() {
        labels = ByteLabels.of(golden.get("labels.input_ids"), golden.get("labels.patch_lens"));
    }

    @Test
    void fusedCrossEntropyGradient() {
        NDArray fused = labels.stage1Labels();
        Function<NDArray, NDArray> loss = logits -> FusedCrossEntropy.compute(logits, fused, 27f).loss();
        // the label entry (row 0, t = 2, y = 365) and a non-label entry of the same position
        checkGradient(golden.get("ce.logits"), loss, 0, 2, 365);
        checkGradient(golden.get("ce.logits"), loss, 0, 2, 105);
    }

    @Test
    void distillationGradient() {
        NDArray fused = labels.stage1Labels();
        Function<NDArray, NDArray> loss = logits -> DistillationLoss.STAGE1.compute(logits.logSoftmax(2), fused,
                labels.patchIds(), golden.get("labels.patch_lens"),
                golden.get("alm_padded.teacher_logits").logSoftmax(2), golden.get("alm_padded.teacher_input_ids"),
                golden.get("alm_padded.teacher_space_mask"), 27f).loss();
        checkGradient(golden.get("alm_padded.student_logits"), loss, 0, 2, 365);
        // a whitespace id at the end of a patch (debiasing term): row 0, e = 3, id 36
        checkGradient(golden.get("alm_padded.student_logits"), loss, 0, 3, 36);
    }

    @Test
    void stage2TotalGradientFlowsIntoBoundaryLogprobs() {
        NDArray logprobs = golden.get("bce.boundary_logprobs").duplicate();
        logprobs.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray bnd = BoundaryLoss.compute(logprobs, labels.boundaryTargets(), labels.byteMask(), 1, 27f).loss();
            NDArray ce = FusedCrossEntropy.compute(golden.get("ce.logits"), labels.stage2Labels(logprobs)).loss();
            gc.backward(StageLoss.stage2(ce, bnd));
        }
        float[] grad = logprobs.getGradient().toFloatArray();
        for (float g : grad) {
            assertThat(g).isFinite();
        }
        // ℓ_{0,4} = −2.1562, target 0: d/dℓ [−4·log(1 − e^ℓ)/27] = 4·e^ℓ / ((1 − e^ℓ)·27)
        double l = golden.get("bce.boundary_logprobs").getFloat(0, 4);
        double expected = 4 * Math.exp(l) / ((1 - Math.exp(l)) * 27);
        assertThat((double) grad[4]).isCloseTo(expected, within(1e-6));
        // clipped positions (ℓ = 0 > −1e−3) get no gradient; masked positions neither
        assertThat(grad[0]).isZero();
        assertThat(grad[15]).isZero();
    }

    private void checkGradient(NDArray input, Function<NDArray, NDArray> loss, int b, int t, int v) {
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.apply(x));
        }
        double analytic = x.getGradient().getFloat(b, t, v);
        double numeric = (lossAt(input, loss, b, t, v, H) - lossAt(input, loss, b, t, v, -H)) / (2 * H);
        assertThat(analytic).isNotZero();
        assertThat(analytic).isCloseTo(numeric, within(2e-3 * Math.abs(numeric) + 2e-5));
    }

    private static double lossAt(NDArray input, Function<NDArray, NDArray> loss, int b, int t, int v, float h) {
        NDArray shifted = input.duplicate();
        shifted.set(new ai.djl.ndarray.index.NDIndex(b, t, v), input.getFloat(b, t, v) + h);
        return loss.apply(shifted).getFloat();
    }
}
