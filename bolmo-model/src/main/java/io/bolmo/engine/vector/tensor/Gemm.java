package io.bolmo.engine.vector.tensor;

import static io.bolmo.engine.vector.tensor.Loads.F;
import static io.bolmo.engine.vector.tensor.Loads.LANES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The large-batch product of {@link Matrix}: four weight rows at a time are dequantized into a float scratch (L1/L2
 * sized), then a register-blocked kernel multiplies them with four input rows at a time (16 accumulators: 8 vector
 * loads per 16 fused multiply-adds). Used by prefill chunks, where the arithmetic, not the weight traffic, bounds
 * the speed.
 */
final class Gemm {

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private Gemm() {}

    /** Output rows {@code [from, to)} of {@code y = x Wᵀ}; {@code x} prepared by {@code w}. */
    static void multiply(Matrix w, float[] x, int batch, float[] y, int from, int to) {
        int cols = w.cols;
        float[] s = SCRATCH.get();
        if (s.length < 4 * cols) {
            s = new float[4 * cols];
            SCRATCH.set(s);
        }
        for (int r = from; r < to; r += 4) {
            int n = Math.min(4, to - r);
            for (int i = 0; i < n; i++) {
                w.dequantizeRow(r + i, s, i * cols);
            }
            if (n < 4) {
                Arrays.fill(s, n * cols, 4 * cols, 0f);
            }
            int b = 0;
            for (; b + 4 <= batch; b += 4) {
                tile4x4(s, cols, n, x, b, y, w.rows, r);
            }
            for (; b < batch; b++) {
                tile4x1(s, cols, n, x, b, y, w.rows, r);
            }
        }
    }

    /** Rows r0 … r0+n−1 (n ≤ 4, scratch rows beyond n are zero) against inputs b0 … b0+3. */
    private static void tile4x4(float[] s, int cols, int n, float[] x, int b0, float[] y, int yRows, int r0) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int x0 = b0 * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int s1 = cols, s2 = 2 * cols, s3 = 3 * cols;
        int bound = cols - cols % LANES;
        for (int k = 0; k < bound; k += LANES) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + k);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + k);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + k);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + k);
            FloatVector w = FloatVector.fromArray(F, s, k);
            a00 = w.fma(v0, a00);
            a01 = w.fma(v1, a01);
            a02 = w.fma(v2, a02);
            a03 = w.fma(v3, a03);
            w = FloatVector.fromArray(F, s, s1 + k);
            a10 = w.fma(v0, a10);
            a11 = w.fma(v1, a11);
            a12 = w.fma(v2, a12);
            a13 = w.fma(v3, a13);
            w = FloatVector.fromArray(F, s, s2 + k);
            a20 = w.fma(v0, a20);
            a21 = w.fma(v1, a21);
            a22 = w.fma(v2, a22);
            a23 = w.fma(v3, a23);
            w = FloatVector.fromArray(F, s, s3 + k);
            a30 = w.fma(v0, a30);
            a31 = w.fma(v1, a31);
            a32 = w.fma(v2, a32);
            a33 = w.fma(v3, a33);
        }
        float[] acc = {
            sum(a00), sum(a01), sum(a02), sum(a03), sum(a10), sum(a11), sum(a12), sum(a13),
            sum(a20), sum(a21), sum(a22), sum(a23), sum(a30), sum(a31), sum(a32), sum(a33)};
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < 4; b++) {
                float t = acc[i * 4 + b];
                int xo = (b0 + b) * cols;
                for (int k = bound; k < cols; k++) {
                    t += s[i * cols + k] * x[xo + k];
                }
                y[(b0 + b) * yRows + r0 + i] = t;
            }
        }
    }

    /** Rows r0 … r0+n−1 against input b. */
    private static void tile4x1(float[] s, int cols, int n, float[] x, int b, float[] y, int yRows, int r0) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int xo = b * cols;
        int bound = cols - cols % LANES;
        for (int k = 0; k < bound; k += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, xo + k);
            a0 = FloatVector.fromArray(F, s, k).fma(v, a0);
            a1 = FloatVector.fromArray(F, s, cols + k).fma(v, a1);
            a2 = FloatVector.fromArray(F, s, 2 * cols + k).fma(v, a2);
            a3 = FloatVector.fromArray(F, s, 3 * cols + k).fma(v, a3);
        }
        float[] acc = {sum(a0), sum(a1), sum(a2), sum(a3)};
        for (int i = 0; i < n; i++) {
            float t = acc[i];
            for (int k = bound; k < cols; k++) {
                t += s[i * cols + k] * x[xo + k];
            }
            y[b * yRows + r0 + i] = t;
        }
    }

    private static float sum(FloatVector v) {
        return v.reduceLanes(VectorOperators.ADD);
    }
}
