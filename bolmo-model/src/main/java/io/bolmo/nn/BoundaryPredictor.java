package io.bolmo.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;

/**
 * Boundary predictor with one byte of lookahead (model.md §4.1-4.2):
 * {@code c_t = cos(W_q h_t, W_k h_{t+1})}, {@code ℓ_t = log(1 − min(c_t, 1 − 1e−3)) − log 2}, ℓ_0 = 0 (BOS always
 * ends patch 0), ℓ_{L−1} = −100000 (no lookahead for the last byte). The hard rule {@code sample:0} marks byte t
 * as the last byte of a patch when ℓ_t > log 0.5. h {@code [B, L, d]} → ℓ {@code [B, L]}.
 */
public final class BoundaryPredictor {

    static final String PREFIX = LocalEncoder.PREFIX + ".boundary_predictor_module";
    public static final float LOG_HALF = (float) Math.log(0.5);
    public static final float NEVER = -100_000f;
    private static final float MAX_COSINE = 1f - 1e-3f;
    private static final float LOG_2 = (float) Math.log(2);

    private final Linear qProj;
    private final Linear kProj;

    BoundaryPredictor(Weights w, int d) {
        this.qProj = Linear.take(w, PREFIX + ".q_proj_layer", d, d, false);
        this.kProj = Linear.take(w, PREFIX + ".k_proj_layer", d, d, false);
    }

    /** Boundary log-probabilities ℓ {@code [B, L]}. */
    public NDArray logProbs(NDArray h) {
        long b = h.getShape().get(0);
        long l = h.getShape().get(1);
        NDArray first = h.getManager().zeros(new ai.djl.ndarray.types.Shape(b, 1));
        if (l == 1) {
            return first;
        }
        NDArray lp = logProbs(h.get(new NDIndex(":, :-1")), h.get(new NDIndex(":, 1:"))); // [B, L-1]
        NDArray last = h.getManager().full(new ai.djl.ndarray.types.Shape(b, 1), NEVER);
        return NDArrays.concat(new ai.djl.ndarray.NDList(first, lp.get(new NDIndex(":, 1:")), last), 1);
    }

    /**
     * ℓ_t of positions whose lookahead is given, without the rules for the first and last position (a prompt
     * decided chunk by chunk): h {@code [B, n, d]}, next = h_{t+1} {@code [B, n, d]} → ℓ {@code [B, n]}.
     */
    public NDArray logProbs(NDArray h, NDArray next) {
        NDArray qv = unit(qProj.forward(h));
        NDArray kv = unit(kProj.forward(next));
        NDArray cos = qv.mul(kv).sum(new int[] {-1});
        return Scalars.minimum(cos, MAX_COSINE).neg().add(1f).log().sub(LOG_2);
    }

    /** The hard decision {@code sample:0}: ℓ > log 0.5, as a boolean {@code [B, L]}. */
    public static NDArray decide(NDArray logProbs) {
        return logProbs.gt(LOG_HALF);
    }

    /** F.normalize: x / max(‖x‖, 1e−12) over the last dimension. */
    private static NDArray unit(NDArray x) {
        return x.div(Scalars.maximum(x.norm(new int[] {-1}, true), 1e-12));
    }
}
