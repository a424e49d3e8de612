package io.bolmo.engine.vector.tensor;

import static io.bolmo.engine.vector.tensor.Loads.F;

import jdk.incubator.vector.FloatVector;

/**
 * A matrix in a block format ({@link Q8Matrix}, {@link Q4Matrix}): each row in blocks of {@value Matrices#BLOCK}
 * weights, packed into {@code data} (kept on the heap: the kernels load byte vectors from its array,
 * {@link Loads#bytes}), with one float32 scale per block in {@code scales} {@code [rows, cols / 32]}, row-major
 * little-endian.
 *
 * <p>Decoding (small batches) multiplies in integers, as llama.cpp's q8_0 × q8_0 and q4_0 × q8_0 dot products do:
 * {@link #prepare} rounds each block of 32 inputs to int8 with its own scale (max |x| / 127, q8_0's rule for
 * weights), the kernels multiply weights with inputs in 16-bit lanes and sum the products exactly in ints, and
 * each block's sum meets the product of the two scales in one float multiply-add. This costs each term at most half
 * a step of its input block; large batches (prefill, {@link Gemm}) keep float inputs.
 */
public abstract class BlockMatrix extends Matrix {

    protected final Bytes data;
    protected final Bytes scales;
    protected final int blocks; // per row

    /** Checks that {@code data} holds {@code dataBytesPerRow} bytes a row and {@code scales} one float per block. */
    protected BlockMatrix(int rows, int cols, Bytes data, Bytes scales, int dataBytesPerRow) {
        super(rows, cols);
        if (cols % Matrices.BLOCK != 0) {
            throw new IllegalArgumentException(format() + " needs a column count divisible by " + Matrices.BLOCK
                    + ", got " + cols);
        }
        this.blocks = cols / Matrices.BLOCK;
        long dataBytes = (long) rows * dataBytesPerRow;
        if (data.length() != dataBytes || scales.length() != 4L * rows * blocks) {
            throw new IllegalArgumentException(format() + " [" + rows + ", " + cols + "] needs " + dataBytes
                    + " data and " + 4L * rows * blocks + " scale bytes, got " + data.length() + " and "
                    + scales.length());
        }
        this.data = data.onHeap();
        this.scales = scales;
    }

    /** The inputs rounded to int8 per block of 32 (as shorts, what the kernels multiply), one scale per block. */
    protected static final class Quantized extends Input {
        final short[] q; // [batch, cols]
        final float[] scales; // [batch, cols / 32]

        private Quantized(float[] x, short[] q, float[] scales) {
            super(x);
            this.q = q;
            this.scales = scales;
        }
    }

    /** The scale of the block of 32 values at {@code v[from]}: max |v| / 127. */
    static float int8Scale(float[] v, int from) {
        float max = 0;
        for (int i = 0; i < Matrices.BLOCK; i++) {
            max = Math.max(max, Math.abs(v[from + i]));
        }
        return max / 127f;
    }

    /** Small batches get their inputs rounded to int8 for the integer kernels; large ones stay float (Gemm). */
    @Override
    protected final Input prepare(float[] x, int batch) {
        if (batch > SMALL_BATCH) {
            return new Input(x);
        }
        short[] q = new short[batch * cols];
        float[] s = new float[batch * blocks];
        for (int blk = 0; blk < batch * blocks; blk++) {
            int k = blk * Matrices.BLOCK;
            s[blk] = int8Scale(x, k);
            float inverse = s[blk] == 0 ? 0 : 1f / s[blk];
            for (int i = 0; i < Matrices.BLOCK; i++) {
                q[k + i] = (short) Math.round(x[k + i] * inverse);
            }
        }
        return new Quantized(x, q, s);
    }

    /**
     * The weight scale of block {@code blk} times the input's. A float, not a vector: each kernel broadcasts it with
     * its own constant species (a species passed as an argument left C2 a non-constant one in the Q4 kernel, which
     * then ran the Vector API's Java fallback, 10x slower).
     */
    protected final float scale(int sbase, int blk, float inputScale) {
        return scales.getFloat(sbase + 4 * blk) * inputScale;
    }

    /**
     * Each input on its own: after the first, the row's blocks come from the L1 cache, and the integer products cost
     * about what a float kernel's four-input pass did (and a batched row equals the row alone, exactly).
     */
    @Override
    protected final void dot4(int r, Input in, int b0, int b1, int b2, int b3, float[] y) {
        y[b0 * rows + r] = dot1(r, in, b0);
        y[b1 * rows + r] = dot1(r, in, b1);
        if (b2 != b1) {
            y[b2 * rows + r] = dot1(r, in, b2);
            if (b3 != b2) {
                y[b3 * rows + r] = dot1(r, in, b3);
            }
        }
    }

    /** The packed blocks, row-major. */
    public final Bytes data() {
        return data;
    }

    /** The float32 scales, {@code [rows, cols / 32]}. */
    public final Bytes scales() {
        return scales;
    }

    @Override
    public final long byteSize() {
        return (long) data.length() + scales.length();
    }

    @Override
    public final void row(int r, float[] out, int offset) {
        dequantizeRow(r, out, offset);
    }

    /** The scale of block {@code blk} of the row whose scales start at byte {@code sbase}, in every lane. */
    protected final FloatVector scale(int sbase, int blk) {
        return FloatVector.broadcast(F, scales.getFloat(sbase + 4 * blk));
    }
}
