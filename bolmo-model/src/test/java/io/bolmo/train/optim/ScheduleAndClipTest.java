package io.bolmo.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleAndClipTest {

    @Test
    void linearWithWarmupAtKeySteps() {
        LrSchedule s = LrSchedule.linearWithWarmup(1.0, 100, 0.1, 0.0); // warmup 10
        assertThat(s.lr(0)).isZero();
        assertThat(s.lr(1)).isCloseTo(0.1, within(1e-15));
        assertThat(s.lr(5)).isCloseTo(0.5, within(1e-15));
        assertThat(s.lr(10)).isEqualTo(1.0);
        assertThat(s.lr(55)).isCloseTo(0.5, within(1e-15));
        assertThat(s.lr(99)).isCloseTo(1.0 / 90, within(1e-15));
        assertThat(s.lr(100)).isZero();
        assertThat(s.lr(1000)).isZero();
    }

    @Test
    void alphaFIsTheFloorAndWarmupRoundsLikePython() {
        LrSchedule floor = LrSchedule.linearWithWarmup(2.0, 100, 0.1, 0.1);
        assertThat(floor.lr(55)).isCloseTo(1.1, within(1e-12));
        assertThat(floor.lr(100)).isCloseTo(0.2, within(1e-15));
        // round(25 × 0.1) = round(2.5) = 2 in Python (ties to even): step 2 is already the peak
        assertThat(LrSchedule.linearWithWarmup(1.0, 25, 0.1, 0.0).lr(2)).isEqualTo(1.0);
        // round(35 × 0.1) = 4: step 3 is still warming up
        assertThat(LrSchedule.linearWithWarmup(1.0, 35, 0.1, 0.0).lr(3)).isEqualTo(0.75);
        assertThat(BolmoOptimizers.schedule(7e-4, 75_000).lr(7_500)).isEqualTo(7e-4);
        assertThat(LrSchedule.constant(3e-4).lr(123)).isEqualTo(3e-4);
    }

    @Test
    void clipScalesByMaxNormOverNormAndReturnsThePreClipNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 1});
            NDArray b = manager.create(new float[] {1});
            withGradients(manager, a, b, new float[] {3, 0}, new float[] {4}); // global norm 5
            double norm = GradClip.clipGradNorm(List.of(a, b), 1.0);
            assertThat(norm).isCloseTo(5.0, within(1e-6));
            double scale = 1.0 / (5.0 + 1e-6);
            assertThat((double) a.getGradient().getFloat(0)).isCloseTo(3 * scale, within(1e-7));
            assertThat((double) b.getGradient().getFloat(0)).isCloseTo(4 * scale, within(1e-7));
        }
    }

    @Test
    void clipLeavesGradientsBelowMaxNormAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1, 1});
            NDArray b = manager.create(new float[] {1});
            withGradients(manager, a, b, new float[] {0.3f, 0}, new float[] {0.4f});
            assertThat(GradClip.clipGradNorm(List.of(a, b), 1.0)).isCloseTo(0.5, within(1e-6));
            assertThat(a.getGradient().toFloatArray()).containsExactly(0.3f, 0f);
            assertThat(b.getGradient().toFloatArray()).containsExactly(0.4f);
        }
    }

    /** Gives {@code a} and {@code b} the gradients {@code ga}, {@code gb} through the loss Σ a·ga + Σ b·gb. */
    private static void withGradients(NDManager m, NDArray a, NDArray b, float[] ga, float[] gb) {
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
            c.backward(a.mul(m.create(ga)).sum().add(b.mul(m.create(gb)).sum()));
        }
    }
}
