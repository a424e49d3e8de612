package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

import static io.bolmo.engine.vector.tensor.Loads.F;
import static io.bolmo.engine.vector.tensor.Loads.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** float32 weights, 4 bytes each, row-major little-endian (an F32 checkpoint tensor as stored). */
public final class F32Matrix extends Matrix {

    private final Bytes data;

    public F32Matrix(int rows, int cols, Bytes data) {
        super(rows, cols);
        if (data.length() != 4L * rows * cols) {
            throw new IllegalArgumentException("f32 [" + rows + ", " + cols + "] needs " + 4L * rows * cols
                    + " bytes, got " + data.length());
        }
        this.data = data;
    }

    /** The stored float32 values, {@code [rows, cols]} row-major little-endian. */
    public Bytes data() {
        return data;
    }

    @Override
    public WeightFormat format() {
        return WeightFormat.F32;
    }

    @Override
    public long byteSize() {
        return data.length();
    }

    @Override
    public void row(int r, float[] out, int offset) {
        dequantizeRow(r, out, offset);
    }

    @Override
    protected void dequantizeRow(int r, float[] out, int offset) {
        int base = 4 * r * cols;
        int bound = cols - cols % LANES;
        int k = 0;
        for (; k < bound; k += LANES) {
            Loads.floats(data, base + 4 * k).intoArray(out, offset + k);
        }
        for (; k < cols; k++) {
            out[offset + k] = data.getFloat(base + 4 * k);
        }
    }


    @Override
    protected float dot1(int r, Input in, int b) {
        float[] x = in.x;
        int xo = b * cols;
        int base = 4 * r * cols;
        int bound = cols - cols % LANES;
        FloatVector acc = FloatVector.zero(F);
        for (int k = 0; k < bound; k += LANES) {
            acc = Loads.floats(data, base + 4 * k).fma(FloatVector.fromArray(F, x, xo + k), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (int k = bound; k < cols; k++) {
            s += data.getFloat(base + 4 * k) * x[xo + k];
        }
        return s;
    }

    @Override
    protected void dot4(int r, Input in, int b0, int b1, int b2, int b3, float[] y) {
        float[] x = in.x;
        int base = 4 * r * cols;
        int bound = cols - cols % LANES;
        int x0 = b0 * cols, x1 = b1 * cols, x2 = b2 * cols, x3 = b3 * cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int k = 0; k < bound; k += LANES) {
            FloatVector w = Loads.floats(data, base + 4 * k);
            a0 = w.fma(FloatVector.fromArray(F, x, x0 + k), a0);
            a1 = w.fma(FloatVector.fromArray(F, x, x1 + k), a1);
            a2 = w.fma(FloatVector.fromArray(F, x, x2 + k), a2);
            a3 = w.fma(FloatVector.fromArray(F, x, x3 + k), a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (int k = bound; k < cols; k++) {
            float w = data.getFloat(base + 4 * k);
            s0 += w * x[x0 + k];
            s1 += w * x[x1 + k];
            s2 += w * x[x2 + k];
            s3 += w * x[x3 + k];
        }
        y[b0 * rows + r] = s0;
        y[b1 * rows + r] = s1;
        y[b2 * rows + r] = s2;
        y[b3 * rows + r] = s3;
    }
}
