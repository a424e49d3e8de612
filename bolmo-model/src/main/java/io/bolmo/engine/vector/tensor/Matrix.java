package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

/**
 * A weight matrix W {@code [rows, cols]} in one {@link WeightFormat}, multiplied with a batch of input rows:
 * {@code y[b, r] = Σ_k W[r, k] · x[b, k]}, x {@code [batch, cols]} and y {@code [batch, rows]} row-major.
 *
 * <p>Two paths, both split by output rows across the {@link Parallel} threads, both reading each weight from memory
 * once per product. Small batches (a decoding step of up to four sequences) use the format's own kernel, which
 * converts each block of weights once and multiplies it with every input row while it is in registers. Larger
 * batches (busier decoding steps, prefill chunks) dequantize four weight rows into a float scratch and run a 4 × 4
 * register-blocked f32 kernel over the inputs ({@link Gemm}), so conversion costs little against the arithmetic.
 * f32 and bf16 sum in the same order on both paths, so a row's result does not depend on its batch.
 *
 * <p>{@link #prepare} puts the inputs in the form the format's kernel reads, once per product: a format may reorder
 * the columns inside blocks to make its kernel cheaper (bfloat16 does; dot products do not care about the order),
 * or round the inputs to integers for integer products (q8_0 does).
 */
public abstract class Matrix {

    /**
     * Batches up to this size take the format's own small-batch kernel (one pass of four inputs); larger ones the
     * blocked GEMM, unless a format keeps its kernel longer ({@link #smallBatchLimit}). A [8192, 2048] product on 2
     * cores (2026-12-08) had the GEMM ahead from 4-6 rows in every format and 1.3-2x ahead at 8-12 (bf16 at 12 rows:
     * 56 against 29 G products/s): past four inputs the small kernels re-read their inputs from L2 for every weight
     * row, where the GEMM keeps a 4 × 4 tile in registers.
     */
    static final int SMALL_BATCH = 4;
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

    /**
     * The largest batch for the small-batch kernels ({@link #SMALL_BATCH}). f32 and bf16 sum each product in the
     * GEMM's order, so a row's result does not depend on the path or the batch; a format whose kernel sums otherwise
     * may keep it for every decoding step (q8_0 does).
     */
    protected int smallBatchLimit() {
        return SMALL_BATCH;
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
        boolean small = batch <= smallBatchLimit();
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
