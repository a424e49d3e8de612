package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

/** Builds a matrix in a weight format from float rows: converted (bf16), quantized (q8_0) or copied (f32). */
public final class Matrices {

    private Matrices() {}

    /** Where the float values come from, one row at a time; called from several threads at once. */
    @FunctionalInterface
    public interface Rows {
        /** Row {@code r} as floats into {@code out[0 … cols)}. */
        void row(int r, float[] out);
    }

    /**
     * A {@code [rows, cols]} matrix in {@code format} built row by row (a large matrix never exists as floats), the
     * rows split across {@code threads}. q8_0 needs {@code cols} divisible by 32 ({@link Q8Matrix#fits}).
     */
    public static Matrix create(WeightFormat format, int rows, int cols, Rows source, Parallel threads) {
        int width = switch (format) {
            case F32 -> 4;
            case BF16 -> 2;
            case Q8_0 -> 1;
        };
        Bytes data = Bytes.allocate((long) rows * cols * width);
        Bytes scales = format == WeightFormat.Q8_0 ? Bytes.allocate(4L * rows * (cols / Q8Matrix.BLOCK)) : null;
        if (format == WeightFormat.Q8_0 && !Q8Matrix.fits(cols)) {
            throw new IllegalArgumentException("q8_0 needs a column count divisible by " + Q8Matrix.BLOCK + ", got "
                    + cols);
        }
        threads.forRanges(rows, Math.max(1, (1 << 16) / cols), (from, to) -> {
            float[] row = new float[cols];
            for (int r = from; r < to; r++) {
                source.row(r, row);
                int o = r * cols;
                switch (format) {
                    case F32 -> {
                        for (int k = 0; k < cols; k++) {
                            data.putFloat(4 * (o + k), row[k]);
                        }
                    }
                    case BF16 -> {
                        for (int k = 0; k < cols; k++) {
                            data.putShort(2 * (o + k), Bf16Matrix.round(row[k]));
                        }
                    }
                    case Q8_0 -> Q8Matrix.quantizeRow(row, cols, data, o, scales, 4 * r * (cols / Q8Matrix.BLOCK));
                }
            }
        });
        return switch (format) {
            case F32 -> new F32Matrix(rows, cols, data);
            case BF16 -> new Bf16Matrix(rows, cols, data);
            case Q8_0 -> new Q8Matrix(rows, cols, data, scales);
        };
    }
}
