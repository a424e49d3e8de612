package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

/** Builds a matrix in a weight format from float rows: converted (bf16), quantized (q8_0, q4_0) or copied (f32). */
public final class Matrices {

    /** Weights per block of the block formats ({@link Q8Matrix}, {@link Q4Matrix}). */
    public static final int BLOCK = 32;

    private Matrices() {}

    /** Where the float values come from, one row at a time; called from several threads at once. */
    @FunctionalInterface
    public interface Rows {
        /** Row {@code r} as floats into {@code out[0 … cols)}. */
        void row(int r, float[] out);
    }

    /** Whether a matrix with {@code cols} columns can be stored in {@code format}: the block formats need whole blocks. */
    public static boolean fits(WeightFormat format, int cols) {
        return !format.blocked() || cols % BLOCK == 0;
    }

    /**
     * A {@code [rows, cols]} matrix in {@code format} built row by row (a large matrix never exists as floats), the
     * rows split across {@code threads}. q8_0 and q4_0 need {@code cols} divisible by 32 ({@link #fits}).
     */
    public static Matrix create(WeightFormat format, int rows, int cols, Rows source, Parallel threads) {
        if (!fits(format, cols)) {
            throw new IllegalArgumentException(format + " needs a column count divisible by " + BLOCK + ", got "
                    + cols);
        }
        long rowBytes = switch (format) {
            case F32 -> 4L * cols;
            case BF16 -> 2L * cols;
            case Q8_0 -> cols;
            case Q4_0 -> cols / 2;
        };
        Bytes data = Bytes.allocate(rows * rowBytes);
        Bytes scales = format.blocked() ? Bytes.allocate(4L * rows * (cols / BLOCK)) : null;
        threads.forRanges(rows, Math.max(1, (1 << 16) / cols), (from, to) -> {
            float[] row = new float[cols];
            for (int r = from; r < to; r++) {
                source.row(r, row);
                int o = (int) (r * rowBytes);
                int so = 4 * r * (cols / BLOCK);
                switch (format) {
                    case F32 -> {
                        for (int k = 0; k < cols; k++) {
                            data.putFloat(o + 4 * k, row[k]);
                        }
                    }
                    case BF16 -> {
                        for (int k = 0; k < cols; k++) {
                            data.putShort(o + 2 * k, Bf16Matrix.round(row[k]));
                        }
                    }
                    case Q8_0 -> Q8Matrix.quantizeRow(row, cols, data, o, scales, so);
                    case Q4_0 -> Q4Matrix.quantizeRow(row, cols, data, o, scales, so);
                }
            }
        });
        return switch (format) {
            case F32 -> new F32Matrix(rows, cols, data);
            case BF16 -> new Bf16Matrix(rows, cols, data);
            case Q8_0 -> new Q8Matrix(rows, cols, data, scales);
            case Q4_0 -> new Q4Matrix(rows, cols, data, scales);
        };
    }
}
