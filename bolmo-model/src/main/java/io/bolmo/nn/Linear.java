package io.bolmo.nn;

import ai.djl.ndarray.NDArray;

/** {@code y = x Wᵀ (+ b)}, W stored {@code [out, in]} as in PyTorch. Input {@code [..., in]} → {@code [..., out]}. */
public final class Linear {

    private final NDArray weight;
    private final NDArray bias;

    private Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    public static Linear take(Weights w, String prefix, long out, long in, boolean withBias) {
        NDArray weight = w.take(prefix + ".weight", out, in);
        NDArray bias = withBias ? w.take(prefix + ".bias", out) : null;
        return new Linear(weight, bias);
    }

    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }
}
