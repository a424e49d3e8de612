package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

import static io.bolmo.engine.vector.tensor.Loads.F;
import static io.bolmo.engine.vector.tensor.Loads.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * bfloat16 weights, 2 bytes each, row-major little-endian (a BF16 checkpoint tensor as stored). A bfloat16 is the
 * upper half of a float32, so widening is a shift: one int load holds two neighbours, the low one becomes a float by
 * {@code << 16} and the high one by masking off the low half. The kernel therefore sees the columns of each block
 * of {@code 2 × LANES} as evens then odds, and {@link #prepare} orders the inputs the same way (1.4x faster than
 * widening shorts one lane at a time, measured on AVX-512).
 */
public final class Bf16Matrix extends Matrix {

    private static final int STEP = 2 * LANES;
    private final Bytes data;
    private final int bound; // columns in whole blocks of STEP; the rest in natural order

    public Bf16Matrix(int rows, int cols, Bytes data) {
        super(rows, cols);
        if (data.length() != 2L * rows * cols) {
            throw new IllegalArgumentException("bf16 [" + rows + ", " + cols + "] needs " + 2L * rows * cols
                    + " bytes, got " + data.length());
        }
        this.data = data;
        this.bound = cols - cols % STEP;
    }

    /** float32 → bfloat16, rounded to nearest even (as torch's {@code .to(torch.bfloat16)}). */
    public static short round(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** The stored bfloat16 values, {@code [rows, cols]} row-major little-endian. */
    public Bytes data() {
        return data;
    }

    @Override
    public WeightFormat format() {
        return WeightFormat.BF16;
    }

    @Override
    public long byteSize() {
        return data.length();
    }

    @Override
    public void row(int r, float[] out, int offset) {
        int base = 2 * r * cols;
        for (int k = 0; k < cols; k++) {
            out[offset + k] = Float.intBitsToFloat(data.getShort(base + 2 * k) << 16);
        }
    }

    @Override
    protected Input prepare(float[] x, int batch) {
        float[] xp = new float[batch * cols];
        for (int b = 0; b < batch; b++) {
            int o = b * cols;
            for (int k = 0; k < bound; k += STEP) {
                for (int i = 0; i < LANES; i++) {
                    xp[o + k + i] = x[o + k + 2 * i];
                    xp[o + k + LANES + i] = x[o + k + 2 * i + 1];
                }
            }
            System.arraycopy(x, o + bound, xp, o + bound, cols - bound);
        }
        return new Input(xp);
    }

    @Override
    protected void dequantizeRow(int r, float[] out, int offset) {
        int base = 2 * r * cols;
        for (int k = 0; k < bound; k += STEP) {
            IntVector v = Loads.ints(data, base + 2 * k);
            low(v).intoArray(out, offset + k);
            high(v).intoArray(out, offset + k + LANES);
        }
        for (int k = bound; k < cols; k++) {
            out[offset + k] = Float.intBitsToFloat(data.getShort(base + 2 * k) << 16);
        }
    }


    private static FloatVector low(IntVector v) {
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static FloatVector high(IntVector v) {
        return v.and(0xFFFF0000).reinterpretAsFloats();
    }

    @Override
    protected float dot1(int r, Input in, int b) {
        float[] x = in.x;
        int xo = b * cols;
        int base = 2 * r * cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int k = 0; k < bound; k += STEP) {
            IntVector v = Loads.ints(data, base + 2 * k);
            a0 = low(v).fma(FloatVector.fromArray(F, x, xo + k), a0);
            a1 = high(v).fma(FloatVector.fromArray(F, x, xo + k + LANES), a1);
        }
        float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (int k = bound; k < cols; k++) {
            s += Float.intBitsToFloat(data.getShort(base + 2 * k) << 16) * x[xo + k];
        }
        return s;
    }

    @Override
    protected void dot4(int r, Input in, int b0, int b1, int b2, int b3, float[] y) {
        float[] x = in.x;
        int base = 2 * r * cols;
        int x0 = b0 * cols, x1 = b1 * cols, x2 = b2 * cols, x3 = b3 * cols;
        // separate accumulators for the low and high halves: two independent chains per input
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
        for (int k = 0; k < bound; k += STEP) {
            IntVector v = Loads.ints(data, base + 2 * k);
            FloatVector lo = low(v);
            FloatVector hi = high(v);
            int k2 = k + LANES;
            a0 = lo.fma(FloatVector.fromArray(F, x, x0 + k), a0);
            c0 = hi.fma(FloatVector.fromArray(F, x, x0 + k2), c0);
            a1 = lo.fma(FloatVector.fromArray(F, x, x1 + k), a1);
            c1 = hi.fma(FloatVector.fromArray(F, x, x1 + k2), c1);
            a2 = lo.fma(FloatVector.fromArray(F, x, x2 + k), a2);
            c2 = hi.fma(FloatVector.fromArray(F, x, x2 + k2), c2);
            a3 = lo.fma(FloatVector.fromArray(F, x, x3 + k), a3);
            c3 = hi.fma(FloatVector.fromArray(F, x, x3 + k2), c3);
        }
        a0 = a0.add(c0);
        a1 = a1.add(c1);
        a2 = a2.add(c2);
        a3 = a3.add(c3);
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
        for (int k = bound; k < cols; k++) {
            float w = Float.intBitsToFloat(data.getShort(base + 2 * k) << 16);
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
