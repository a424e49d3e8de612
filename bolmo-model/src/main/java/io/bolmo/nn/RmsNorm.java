package io.bolmo.nn;

import ai.djl.ndarray.NDArray;

/** RMSNorm over the last dimension: {@code x / sqrt(mean(x²) + eps) ⊙ w}. Shapes {@code [..., d]} → same. */
public final class RmsNorm {

    private final NDArray weight;
    private final float eps;

    private RmsNorm(NDArray weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    public static RmsNorm take(Weights w, String name, long dim, double eps) {
        return new RmsNorm(w.take(name + ".weight", dim), eps);
    }

    public NDArray forward(NDArray x) {
        NDArray variance = x.square().mean(new int[] {-1}, true);
        return x.div(variance.add(eps).sqrt()).mul(weight);
    }
}
