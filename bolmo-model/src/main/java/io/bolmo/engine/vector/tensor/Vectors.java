package io.bolmo.engine.vector.tensor;

import static io.bolmo.engine.vector.tensor.Loads.F;
import static io.bolmo.engine.vector.tensor.Loads.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Short vector loops over float arrays that the model's components share (offsets in floats). */
public final class Vectors {

    private Vectors() {}

    /** Σ a[ao + i] · b[bo + i] over {@code n} elements. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int bound = n - n % LANES;
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < bound; i += LANES) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (int i = bound; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /**
     * {@code out[s] = Σ_j q[qo + j] · k[ko + j · stride + s]} for s in {@code [0, n)}: one query against n keys stored
     * by column (dimension j of key s at {@code j · stride + s}), four vectors of keys at a time with no reduction.
     */
    public static void dotColumns(float[] q, int qo, float[] k, int ko, int stride, int dims, float[] out, int n) {
        int s = 0;
        for (; s + 4 * LANES <= n; s += 4 * LANES) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            for (int j = 0; j < dims; j++) {
                FloatVector qj = FloatVector.broadcast(F, q[qo + j]);
                int o = ko + j * stride + s;
                a0 = FloatVector.fromArray(F, k, o).fma(qj, a0);
                a1 = FloatVector.fromArray(F, k, o + LANES).fma(qj, a1);
                a2 = FloatVector.fromArray(F, k, o + 2 * LANES).fma(qj, a2);
                a3 = FloatVector.fromArray(F, k, o + 3 * LANES).fma(qj, a3);
            }
            a0.intoArray(out, s);
            a1.intoArray(out, s + LANES);
            a2.intoArray(out, s + 2 * LANES);
            a3.intoArray(out, s + 3 * LANES);
        }
        for (; s < n; s++) {
            float t = 0;
            for (int j = 0; j < dims; j++) {
                t += q[qo + j] * k[ko + j * stride + s];
            }
            out[s] = t;
        }
    }

    /** {@code y[yo + i] += alpha · x[xo + i]}. */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int bound = n - n % LANES;
        FloatVector a = FloatVector.broadcast(F, alpha);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xo + i).fma(a, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (int i = bound; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** {@code y[yo + i] = decay · y[yo + i] + gain · x[xo + i]} (a decayed state plus a new outer-product row). */
    public static void decayAdd(float decay, float[] y, int yo, float gain, float[] x, int xo, int n) {
        int bound = n - n % LANES;
        FloatVector d = FloatVector.broadcast(F, decay);
        FloatVector g = FloatVector.broadcast(F, gain);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(F, y, yo + i).mul(d).add(FloatVector.fromArray(F, x, xo + i).mul(g))
                    .intoArray(y, yo + i);
        }
        for (int i = bound; i < n; i++) {
            y[yo + i] = decay * y[yo + i] + gain * x[xo + i];
        }
    }

    /** {@code a[i] += b[i]} for the first {@code n} elements. */
    public static void add(float[] a, float[] b, int n) {
        int bound = n - n % LANES;
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(F, a, i).add(FloatVector.fromArray(F, b, i)).intoArray(a, i);
        }
        for (int i = bound; i < n; i++) {
            a[i] += b[i];
        }
    }

    /** Σ x[xo + i]² over {@code n} elements. */
    public static float sumOfSquares(float[] x, int xo, int n) {
        return dot(x, xo, x, xo, n);
    }

    /** {@code y[yo + i] = x[xo + i] · s · w[i]} (a norm's scale and weight). */
    public static void scaleWeighted(float[] x, int xo, float s, float[] w, float[] y, int yo, int n) {
        int bound = n - n % LANES;
        FloatVector sv = FloatVector.broadcast(F, s);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, xo + i).mul(sv).mul(FloatVector.fromArray(F, w, i)).intoArray(y, yo + i);
        }
        for (int i = bound; i < n; i++) {
            y[yo + i] = x[xo + i] * s * w[i];
        }
    }
}
