package io.bolmo.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdamWTest {

    private static final double LR = 0.05;
    private static final double WD = 0.1;
    private static final double GLOBAL_MULT = 0.5;

    private static AdamW.Builder builder(double beta2) {
        return AdamW.builder().betas(0.9, beta2).eps(1e-8).weightDecay(WD)
                .group("no_decay", 1.0, 0.0, TinyProblem.EMBEDDING)
                .group("global", GLOBAL_MULT, WD, "model.layers.*");
    }

    @Test
    void matchesHandComputedTorchAdamW() {
        LrSchedule schedule = LrSchedule.linearWithWarmup(LR, 10, 0.2, 0.0);
        int steps = 7;
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, TinyProblem.initialValues());
            try (AdamW opt = builder(0.95).build(params)) {
                for (int t = 1; t <= steps; t++) {
                    TinyProblem.backward(manager, params, t);
                    opt.step(schedule.lr(t));
                }
                for (String name : params.keySet()) {
                    double mult = name.equals(TinyProblem.GLOBAL) ? GLOBAL_MULT : 1.0;
                    double wd = name.equals(TinyProblem.EMBEDDING) ? 0.0 : WD;
                    double[] expected = reference(name, steps, schedule, mult, wd, 0.9, 0.95, 1e-8);
                    float[] actual = params.get(name).toFloatArray();
                    for (int i = 0; i < expected.length; i++) {
                        assertThat((double) actual[i]).as(name + "[" + i + "]").isCloseTo(expected[i], within(1e-6));
                    }
                }
                assertThat(opt.stepCount()).isEqualTo(steps);
                assertThat(opt.groupOf(TinyProblem.EMBEDDING).weightDecay()).isZero();
                assertThat(opt.groupOf(TinyProblem.NORM).name()).isEqualTo(ParamGroup.DEFAULT);
            }
        }
    }

    @Test
    void gradientsAreZeroedAfterTheStep() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, TinyProblem.initialValues());
            try (AdamW opt = builder(0.999).build(params)) {
                TinyProblem.backward(manager, params, 1);
                opt.step(LR);
                for (NDArray p : params.values()) {
                    try (NDArray g = p.getGradient()) {
                        assertThat(g.abs().max().getFloat()).isZero();
                    }
                }
            }
        }
    }

    @Test
    void frozenParametersAreUntouchedAndHaveNoState(@TempDir Path dir)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, TinyProblem.initialValues());
            float[] before = params.get(TinyProblem.GLOBAL).toFloatArray();
            float[] normBefore = params.get(TinyProblem.NORM).toFloatArray();
            try (AdamW opt = builder(0.999).freeze("model.layers.*").build(params)) {
                for (int t = 1; t <= 5; t++) {
                    TinyProblem.backward(manager, params, t);
                    opt.clipGradNorm(0.5);
                    opt.step(LR);
                }
                assertThat(params.get(TinyProblem.GLOBAL).toFloatArray()).containsExactly(before);
                assertThat(params.get(TinyProblem.NORM).toFloatArray()).isNotEqualTo(normBefore);
                assertThat(opt.frozenNames()).containsExactly(TinyProblem.GLOBAL);
                assertThat(opt.trainableNames()).containsExactly(TinyProblem.EMBEDDING, TinyProblem.NORM);
                opt.save(dir.resolve("optim.safetensors"));
            }
            try (NDManager read = NDManager.newBaseManager();
                    InputStream in = Files.newInputStream(dir.resolve("optim.safetensors"))) {
                assertThat(NDList.decode(read, in).stream().map(NDArray::getName))
                        .noneMatch(n -> n.contains(TinyProblem.GLOBAL))
                        .contains("exp_avg/" + TinyProblem.NORM, "exp_avg_sq/" + TinyProblem.EMBEDDING);
            }
        }
    }

    @Test
    void aParameterInTwoGroupsIsAnError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LinkedHashMap<String, NDArray> params = TinyProblem.params(manager, TinyProblem.initialValues());
            AdamW.Builder b = builder(0.999).group("other", 1.0, 0.0, "model.*");
            assertThatThrownBy(() -> b.build(params))
                    .hasMessageContaining(TinyProblem.EMBEDDING);
        }
    }

    /** torch.optim.AdamW (single-tensor path) in double precision on the closed-form gradient of TinyProblem. */
    static double[] reference(String name, int steps, LrSchedule schedule, double lrMult, double wd,
            double beta1, double beta2, double eps) {
        float[] init = TinyProblem.initial(name);
        int n = init.length;
        double[] p = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = init[i];
        }
        for (int t = 1; t <= steps; t++) {
            float[] c = TinyProblem.coeff(t, name);
            double lr = schedule.lr(t) * lrMult;
            double bc1 = 1 - Math.pow(beta1, t);
            double bc2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < n; i++) {
                double g = c[i] + p[i];
                p[i] *= 1 - lr * wd;
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                p[i] -= lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
            }
        }
        return p;
    }
}
