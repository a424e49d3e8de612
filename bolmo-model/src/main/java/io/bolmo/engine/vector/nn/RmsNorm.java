package io.bolmo.engine.vector.nn;

import io.bolmo.engine.vector.tensor.Vectors;

/** RMSNorm over each row: {@code x / sqrt(mean(x²) + eps) ⊙ w}. {@code [n, d]} → {@code [n, d]}. */
final class RmsNorm {

    private final float[] weight;
    private final float eps;

    RmsNorm(float[] weight, double eps) {
        this.weight = weight;
        this.eps = (float) eps;
    }

    static RmsNorm take(Tensors t, String prefix, int d, double eps) {
        return new RmsNorm(t.vector(prefix + ".weight", d), eps);
    }

    float[] forward(float[] x, int n) {
        int d = weight.length;
        float[] y = new float[n * d];
        for (int i = 0; i < n; i++) {
            float meanSquare = Vectors.sumOfSquares(x, i * d, d) / d;
            float scale = 1f / (float) Math.sqrt(meanSquare + eps);
            Vectors.scaleWeighted(x, i * d, scale, weight, y, i * d, d);
        }
        return y;
    }
}
