package io.bolmo.engine.vector.nn;

/**
 * LM head: RMSNorm ({@code model.norm}, {@code rms_norm_eps}) then {@code lm_head} without bias; for Bolmo the fused
 * byte/boundary space (model.md §5.5), for the subword model its vocabulary. {@code [n, d]} → {@code [n, V]}.
 */
final class LmHead {

    private final RmsNorm norm;
    private final Linear out;

    LmHead(Tensors t, int d, int vocab, double eps) {
        this.norm = RmsNorm.take(t, "model.norm", d, eps);
        this.out = Linear.take(t, "lm_head", vocab, d, false);
    }

    float[] forward(float[] x, int n) {
        return out.forward(norm.forward(x, n), n);
    }

    int vocab() {
        return out.out();
    }
}
