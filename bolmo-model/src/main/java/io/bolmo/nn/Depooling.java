package io.bolmo.nn;

import ai.djl.ndarray.NDArray;

/**
 * Depooling (model.md §5.3): {@code u_t = in_projection(h_t) + RMSNorm_init(g_{k(t)})}, byte t reading
 * the latest completed patch. h {@code [B, L, d]}, g {@code [B, P, d]} → u {@code [B, L, d]}.
 */
public final class Depooling {

    static final String PREFIX = "model.local_decoder";

    private final Linear inProjection;
    private final RmsNorm initialNorm;

    Depooling(Weights w, BolmoSizes s) {
        this.inProjection = Linear.take(w, PREFIX + ".in_projection", s.d(), s.d(), true);
        this.initialNorm = RmsNorm.take(w, PREFIX + ".initial_norm", s.d(), s.localRmsNormEps());
    }

    public NDArray depool(NDArray h, NDArray g, Patches patches) {
        NDArray index = patches.byteToPatchIndex(h.getManager(), h.getShape().get(2));
        return inProjection.forward(h).add(normGlobal(g).gather(index, 1));
    }

    /** RMSNorm_init(g): what a byte adds from its patch's global output (cached as {@code last_value} in decoding). */
    public NDArray normGlobal(NDArray g) {
        return initialNorm.forward(g);
    }

    /**
     * {@code in_projection(h) + values}, the values already read for each byte: one byte per row ({@code [B, d]}) or
     * a chunk of a prompt ({@code [B, n, d]}).
     */
    public NDArray step(NDArray h, NDArray lastValue) {
        return inProjection.forward(h).add(lastValue);
    }
}
