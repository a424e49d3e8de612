package io.bolmo.engine.vector.nn;

import io.bolmo.engine.vector.tensor.Vectors;

/**
 * Boundary predictor with one byte of lookahead (model.md §4.1-4.2): {@code c_t = cos(W_q h_t, W_k h_{t+1})},
 * {@code ℓ_t = log(1 − min(c_t, 1 − 1e−3)) − log 2}; byte t ends a patch when ℓ_t > log ½ ({@code sample:0}).
 * ℓ_0 = 0 (BOS always ends patch 0) and a byte without lookahead gets ℓ = −100000 (never a boundary).
 */
public final class BoundaryPredictor {

    static final String PREFIX = LocalEncoder.PREFIX + ".boundary_predictor_module";
    public static final float LOG_HALF = (float) Math.log(0.5);
    public static final float NEVER = -100_000f;
    private static final float MAX_COSINE = 1f - 1e-3f;
    private static final float LOG_2 = (float) Math.log(2);

    private final Linear qProj;
    private final Linear kProj;
    private final int d;

    BoundaryPredictor(Tensors t, int d) {
        this.qProj = Linear.take(t, PREFIX + ".q_proj_layer", d, d, false);
        this.kProj = Linear.take(t, PREFIX + ".k_proj_layer", d, d, false);
        this.d = d;
    }

    /** ℓ of n pairs: {@code current} {@code [n, d]} (h_t) and {@code next} {@code [n, d]} (h_{t+1}) → {@code [n]}. */
    float[] logProbs(float[] current, float[] next, int n) {
        float[] qv = qProj.forward(current, n);
        float[] kv = kProj.forward(next, n);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            unit(qv, i * d);
            unit(kv, i * d);
            float cos = Vectors.dot(qv, i * d, kv, i * d, d);
            out[i] = (float) Math.log(1f - Math.min(cos, MAX_COSINE)) - LOG_2;
        }
        return out;
    }

    /** The hard decision {@code sample:0}. */
    public static boolean decide(float logProb) {
        return logProb > LOG_HALF;
    }

    /** F.normalize in place: x / max(‖x‖, 1e−12). */
    private void unit(float[] x, int o) {
        float norm = Math.max((float) Math.sqrt(Vectors.sumOfSquares(x, o, d)), 1e-12f);
        for (int j = 0; j < d; j++) {
            x[o + j] /= norm;
        }
    }
}
