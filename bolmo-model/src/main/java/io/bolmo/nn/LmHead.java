package io.bolmo.nn;

import ai.djl.ndarray.NDArray;

/**
 * LM head: RMSNorm ({@code model.norm}, {@code rms_norm_eps}) then {@code lm_head} without bias. For Bolmo the
 * output is the fused byte/boundary space (model.md §5.5), for the subword model its vocabulary.
 * {@code [..., d]} → {@code [..., V]}.
 */
public final class LmHead {

    private final RmsNorm norm;
    private final Linear out;

    LmHead(Weights w, int d, int vocab, double eps) {
        this.norm = RmsNorm.take(w, "model.norm", d, eps);
        this.out = Linear.take(w, "lm_head", vocab, d, false);
    }

    public NDArray forward(NDArray x) {
        return out.forward(norm.forward(x));
    }
}
