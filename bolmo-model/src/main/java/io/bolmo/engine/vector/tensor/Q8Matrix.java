package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

import static io.bolmo.engine.vector.tensor.Loads.F;
import static io.bolmo.engine.vector.tensor.Loads.LANES;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q8_0 weights: each row in blocks of {@value #BLOCK} int8 values q with one float32 scale s per block, weight =
 * q · s, where s = max|w| / 127 over the block and q = round(w / s) (llama.cpp's Q8_0 with a float32 scale).
 * Data {@code [rows, cols]} int8 and scales {@code [rows, cols / 32]} float32 ({@link BlockMatrix}).
 *
 * <p>The kernel widens each int8 vector to floats once, multiplies it with every input row, and folds the block's
 * scale in with one fused multiply-add per block and input (not one reduction per block): widening, not memory,
 * is what bounds 8-bit weights on a few cores (docs/perf-notes.md).
 */
public final class Q8Matrix extends BlockMatrix {

    public static final int BLOCK = Matrices.BLOCK;

    static {
        if (LANES > BLOCK) {
            throw new ExceptionInInitializerError("q8_0 kernels need at most " + BLOCK + " float lanes, this CPU's"
                    + " preferred vectors have " + LANES);
        }
    }

    public Q8Matrix(int rows, int cols, Bytes data, Bytes scales) {
        super(rows, cols, data, scales, cols);
    }

    /** One row into its blocks: {@code data[dataOffset …]}, {@code scales[scaleOffset …]} (byte offsets). */
    static void quantizeRow(float[] row, int cols, Bytes data, int dataOffset, Bytes scales, int scaleOffset) {
        for (int blk = 0; blk < cols / BLOCK; blk++) {
            float max = 0;
            for (int i = 0; i < BLOCK; i++) {
                max = Math.max(max, Math.abs(row[blk * BLOCK + i]));
            }
            float scale = max / 127f;
            float inverse = scale == 0 ? 0 : 1f / scale;
            for (int i = 0; i < BLOCK; i++) {
                data.put(dataOffset + blk * BLOCK + i, (byte) Math.round(row[blk * BLOCK + i] * inverse));
            }
            scales.putFloat(scaleOffset + 4 * blk, scale);
        }
    }

    @Override
    public WeightFormat format() {
        return WeightFormat.Q8_0;
    }

    @Override
    protected void dequantizeRow(int r, float[] out, int offset) {
        int base = r * cols;
        int sbase = 4 * r * blocks;
        for (int blk = 0; blk < blocks; blk++) {
            FloatVector s = FloatVector.broadcast(F, scales.getFloat(sbase + 4 * blk));
            for (int v = 0; v < BLOCK; v += LANES) {
                int k = blk * BLOCK + v;
                widen(Loads.bytes(data, base + k)).mul(s).intoArray(out, offset + k);
            }
        }
    }


    private static FloatVector widen(ByteVector b) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    protected float dot1(int r, float[] x, int xo) {
        int base = r * cols;
        int sbase = 4 * r * blocks;
        // two blocks per pass into two accumulators: one dependent chain per block was 20-40 % slower
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int blk = 0;
        for (; blk + 1 < blocks; blk += 2) {
            acc0 = block(base, blk, x, xo).fma(scale(sbase, blk), acc0);
            acc1 = block(base, blk + 1, x, xo).fma(scale(sbase, blk + 1), acc1);
        }
        if (blk < blocks) {
            acc0 = block(base, blk, x, xo).fma(scale(sbase, blk), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** The lane-wise products of block {@code blk} of the row at {@code base} with the input, before its scale. */
    private FloatVector block(int base, int blk, float[] x, int xo) {
        int k = blk * BLOCK;
        FloatVector p = widen(Loads.bytes(data, base + k)).mul(FloatVector.fromArray(F, x, xo + k));
        for (int v = LANES; v < BLOCK; v += LANES) {
            p = widen(Loads.bytes(data, base + k + v)).fma(FloatVector.fromArray(F, x, xo + k + v), p);
        }
        return p;
    }

    @Override
    protected void dot4(int r, float[] x, int b0, int b1, int b2, int b3, float[] y) {
        int base = r * cols;
        int sbase = 4 * r * blocks;
        int x0 = b0 * cols, x1 = b1 * cols, x2 = b2 * cols, x3 = b3 * cols;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int blk = 0; blk < blocks; blk++) {
            int k = blk * BLOCK;
            FloatVector w = widen(Loads.bytes(data, base + k));
            FloatVector p0 = w.mul(FloatVector.fromArray(F, x, x0 + k));
            FloatVector p1 = w.mul(FloatVector.fromArray(F, x, x1 + k));
            FloatVector p2 = w.mul(FloatVector.fromArray(F, x, x2 + k));
            FloatVector p3 = w.mul(FloatVector.fromArray(F, x, x3 + k));
            for (int v = LANES; v < BLOCK; v += LANES) {
                w = widen(Loads.bytes(data, base + k + v));
                p0 = w.fma(FloatVector.fromArray(F, x, x0 + k + v), p0);
                p1 = w.fma(FloatVector.fromArray(F, x, x1 + k + v), p1);
                p2 = w.fma(FloatVector.fromArray(F, x, x2 + k + v), p2);
                p3 = w.fma(FloatVector.fromArray(F, x, x3 + k + v), p3);
            }
            FloatVector s = scale(sbase, blk);
            a0 = p0.fma(s, a0);
            a1 = p1.fma(s, a1);
            a2 = p2.fma(s, a2);
            a3 = p3.fma(s, a3);
        }
        y[b0 * rows + r] = a0.reduceLanes(VectorOperators.ADD);
        y[b1 * rows + r] = a1.reduceLanes(VectorOperators.ADD);
        y[b2 * rows + r] = a2.reduceLanes(VectorOperators.ADD);
        y[b3 * rows + r] = a3.reduceLanes(VectorOperators.ADD);
    }
}
