package io.bolmo.engine.vector.nn;

/**
 * Depooling (model.md §5.3): {@code u_t = in_projection(h_t) + RMSNorm_init(g_{k(t)})}, byte t reading the latest
 * completed patch; {@code RMSNorm_init(g)} is kept per sequence as {@code last_value}.
 */
final class Depooling {

    static final String PREFIX = "model.local_decoder";

    private final Linear inProjection;
    private final RmsNorm initialNorm;

    Depooling(Tensors t, BolmoShapes s) {
        this.inProjection = Linear.take(t, PREFIX + ".in_projection", s.d(), s.d(), true);
        this.initialNorm = RmsNorm.take(t, PREFIX + ".initial_norm", s.d(), s.localRmsNormEps());
    }

    /** RMSNorm_init(g): what the bytes of the next patch add. {@code [p, d]} → {@code [p, d]}. */
    float[] normGlobal(float[] g, int p) {
        return initialNorm.forward(g, p);
    }

    /** {@code in_projection(h)} {@code [n, d]}; the caller adds each row's last_value. */
    float[] project(float[] h, int n) {
        return inProjection.forward(h, n);
    }
}
