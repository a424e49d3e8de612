package io.bolmo.train.loss;

import io.bolmo.nn.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Differentiable log-space helpers shared by the losses (model.md §6.4, §6.6). DJL has no {@code log1p}, {@code expm1}
 * or {@code logsumexp}, so they are built from ops that keep float32 precision and autograd.
 */
public final class LogSpace {

    private static final double LN2 = Math.log(2.0);

    private LogSpace() {
    }

    /**
     * log(1 − eˣ) for x &lt; 0, with the two branches of the reference {@code log1mexp}: {@code log1p(−eˣ)} for
     * x &lt; −ln 2, {@code log(−expm1 x)} otherwise. {@code −expm1 x} is computed as {@code −2t/(1−t)}, t = tanh(x/2),
     * which stays exact near 0 where {@code 1 − eˣ} would cancel. Both branches are finite for x ≤ −1e−6, so the
     * gradient of the unselected branch cannot produce NaN.
     */
    public static NDArray log1mexp(NDArray x) {
        NDArray t = Scalars.div(x, 2).tanh();
        NDArray nearZero = Scalars.mul(t, -2).log().sub(t.neg().add(1f).log());
        NDArray farFromZero = x.exp().neg().add(1f).log();
        return NDArrays.where(x.lt(-LN2), farFromZero, nearZero);
    }

    /** log Σ exp(x) along {@code axis} (removed), shifted by the detached max for stability. */
    public static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true).stopGradient();
        return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /** log(eᵃ + eᵇ) elementwise. */
    public static NDArray logAddExp(NDArray a, NDArray b) {
        NDArray max = NDArrays.maximum(a, b).stopGradient();
        return a.sub(max).exp().add(b.sub(max).exp()).log().add(max);
    }
}
