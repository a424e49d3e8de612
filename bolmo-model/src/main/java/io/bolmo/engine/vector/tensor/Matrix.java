package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

/**
 * A weight matrix W {@code [rows, cols]} in one {@link WeightFormat}, multiplied with a batch of input rows:
 * {@code y[b, r] = Σ_k W[r, k] · x[b, k]}, x {@code [batch, cols]} and y {@code [batch, rows]} row-major.
 *
 * <p>Two paths, both split by output rows across the {@link Parallel} threads. Small batches (decoding: one row per
 * sequence) use the format's own kernel, which converts each block of weights once and multiplies it with every
 * input row while it is in registers: each weight is read from memory once per step whatever the batch. Large
 * batches (prefill chunks) dequantize four weight rows into a float scratch and run a 4 × 4 register-blocked f32
 * kernel over the inputs ({@link Gemm}), so conversion costs little against the arithmetic.
 *
 * <p>{@link #prepare} puts the inputs in the form the format's kernel reads, once per product: a format may reorder
 * the columns inside blocks to make its kernel cheaper (bfloat16 does; dot products do not care about the order),
 * or round the inputs to integers for integer products (q8_0 does).
 */
public abstract class Matrix {

    /** Batches up to this size take the format's own small-batch kernel; larger ones the blocked GEMM. */
    static final int SMALL_BATCH = 15;
    private static final long PARALLEL_MIN_WORK = Parallel.INLINE_WORK;

    protected final int rows;
    protected final int cols;

    protected Matrix(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("matrix shape [" + rows + ", " + cols + "] must be positive");
        }
        this.rows = rows;
        this.cols = cols;
    }

    public final int rows() {
        return rows;
    }

    public final int cols() {
        return cols;
    }

    public abstract WeightFormat format();

    /** Bytes of weights (and scales) this matrix holds. */
    public abstract long byteSize();

    /** Row {@code r} as floats, in natural column order, into {@code out[offset …]}. */
    public abstract void row(int r, float[] out, int offset);

    /**
     * One product's inputs as a format's kernels read them: {@code x [batch, cols]} in the format's column order
     * (the caller's array when the format keeps the natural order); a format may extend it with more forms.
     */
    protected static class Input {
        protected final float[] x;

        protected Input(float[] x) {
            this.x = x;
        }
    }

    /** The inputs in this format's form ({@code x} itself, by default). */
    protected Input prepare(float[] x, int batch) {
        return new Input(x);
    }

    /** Row {@code r} as floats in this format's column order (that of {@link #prepare}). */
    protected abstract void dequantizeRow(int r, float[] out, int offset);

    /** Row {@code r} times input {@code b}. */
    protected abstract float dot1(int r, Input in, int b);

    /**
     * Row {@code r} times inputs b0 … b3, written to {@code y[b, r]}: each weight converted once. When fewer than four
     * inputs are left the last one is repeated ({@code b3 == b2} or {@code b2 == b1 == b3}).
     */
    protected abstract void dot4(int r, Input in, int b0, int b1, int b2, int b3, float[] y);

    /** The small-batch product on output rows {@code [from, to)}: the inputs four at a time. */
    private void multiplySmall(Input x, int batch, float[] y, int from, int to) {
        for (int r = from; r < to; r++) {
            int b = 0;
            for (; b + 2 <= batch; b += 4) { // 2 or 3 left: a 4-wide pass with the last input repeated
                dot4(r, x, b, b + 1, Math.min(b + 2, batch - 1), Math.min(b + 3, batch - 1), y);
            }
            if (b < batch) {
                y[b * rows + r] = dot1(r, x, b);
            }
        }
    }

    /** {@code y = x Wᵀ}, split across {@code threads}. */
    public final void multiply(float[] x, int batch, float[] y, Parallel threads) {
        if (x.length < (long) batch * cols || y.length < (long) batch * rows) {
            throw new IllegalArgumentException("x has " + x.length + " and y " + y.length + " floats; a batch of "
                    + batch + " through [" + rows + ", " + cols + "] needs " + (long) batch * cols + " and "
                    + (long) batch * rows);
        }
        Input xp = prepare(x, batch);
        boolean small = batch <= SMALL_BATCH;
        Parallel.RangeBody body = small ? (from, to) -> multiplySmall(xp, batch, y, from, to)
                : (from, to) -> Gemm.multiply(this, xp.x, batch, y, from, to);
        long work = (long) rows * cols * batch;
        if (work < PARALLEL_MIN_WORK || threads.threads() == 1) {
            body.run(0, rows);
        } else {
            int minRows = (int) Math.max(4, PARALLEL_MIN_WORK / ((long) cols * batch)) + 3 & ~3;
            threads.forRanges(rows, minRows, (from, to) -> body.run(from, to));
        }
    }

    @Override
    public String toString() {
        return format() + " [" + rows + ", " + cols + "]";
    }
}
