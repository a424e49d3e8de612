package io.bolmo.engine.vector.nn;

import io.bolmo.engine.vector.tensor.Matrix;
import io.bolmo.engine.vector.tensor.Parallel;

/** {@code y = x Wᵀ (+ b)}: W {@code [out, in]}, x {@code [n, in]} → y {@code [n, out]}. */
final class Linear {

    private final Matrix weight;
    private final float[] bias;
    private final Parallel threads;

    private Linear(Matrix weight, float[] bias, Parallel threads) {
        this.weight = weight;
        this.bias = bias;
        this.threads = threads;
    }

    /** Takes {@code prefix.weight} (in the model's format) and, with {@code bias}, {@code prefix.bias}. */
    static Linear take(Tensors t, String prefix, int out, int in, boolean bias) {
        return new Linear(t.matrix(prefix + ".weight", out, in), bias ? t.vector(prefix + ".bias", out) : null,
                t.threads());
    }

    /** As {@link #take} with a float32 weight whatever the model's format. */
    static Linear takeF32(Tensors t, String prefix, int out, int in, boolean bias) {
        return new Linear(t.f32Matrix(prefix + ".weight", out, in), bias ? t.vector(prefix + ".bias", out) : null,
                t.threads());
    }

    float[] forward(float[] x, int n) {
        float[] y = new float[n * weight.rows()];
        weight.multiply(x, n, y, threads);
        if (bias != null) {
            int out = weight.rows();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < out; j++) {
                    y[i * out + j] += bias[j];
                }
            }
        }
        return y;
    }

    int out() {
        return weight.rows();
    }

    int in() {
        return weight.cols();
    }

    Matrix weight() {
        return weight;
    }
}
