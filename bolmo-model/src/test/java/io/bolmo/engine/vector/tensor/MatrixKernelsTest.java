package io.bolmo.engine.vector.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bolmo.engine.WeightFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every format's products against a plain double-precision loop over the weights the format actually holds (its
 * own {@link Matrix#row}), on shapes with and without vector tails, at batch sizes that take the small-batch
 * kernels (1 … 4, including the 4-wide passes with a repeated last input; q8_0 up to 15) and the blocked GEMM (with
 * partial tiles of rows and inputs), on one thread and on three; and the batch invariance of f32, bf16 and q8_0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MatrixKernelsTest {

    private final Parallel one = new Parallel(1);
    private final Parallel three = new Parallel(3);

    @AfterAll
    void close() {
        one.close();
        three.close();
    }

    @ParameterizedTest(name = "{0} [{1}, {2}]")
    @CsvSource({"f32, 37, 67", "f32, 130, 256", "bf16, 37, 67", "bf16, 130, 256", "bf16, 9, 200",
            "q8_0, 37, 64", "q8_0, 130, 256", "q8_0, 5, 96", "q4_0, 37, 64", "q4_0, 130, 256", "q4_0, 5, 96"})
    void productsMatchTheStoredWeights(String format, int rows, int cols) {
        Random random = new Random(rows * 31L + cols);
        Matrix m = randomMatrix(format, rows, cols, random);
        float[] stored = storedWeights(m);
        for (int batch : new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 21}) {
            float[] x = new float[batch * cols];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            float[] seen = format.equals("q8_0") && batch <= Q8Matrix.ROUNDED_BATCH ? roundedPerBlock(x) : x;
            for (Parallel p : new Parallel[] {one, three}) {
                float[] y = new float[batch * rows];
                m.multiply(x, batch, y, p);
                for (int b = 0; b < batch; b++) {
                    for (int r = 0; r < rows; r++) {
                        double expected = 0;
                        double magnitude = 0;
                        for (int k = 0; k < cols; k++) {
                            expected += (double) stored[r * cols + k] * seen[b * cols + k];
                            magnitude += Math.abs((double) stored[r * cols + k] * seen[b * cols + k]);
                        }
                        assertThat((double) y[b * rows + r]).as("%s batch %d row %d", format, b, r)
                                .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5 * magnitude + 1e-6));
                    }
                }
            }
        }
    }

    /**
     * A row's product does not depend on the batch it comes in: f32 and bf16 sum in the GEMM's order on every path,
     * q8_0's decoding steps sum in integers. Exact equality, at every batch size up to the prefill-sized ones (q8_0:
     * up to its last decoding-step size, beyond which it keeps float inputs), on shapes with odd tails.
     */
    @ParameterizedTest(name = "{0} [{1}, {2}]")
    @CsvSource({"f32, 37, 67", "f32, 130, 256", "bf16, 37, 67", "bf16, 130, 256", "bf16, 9, 200", "bf16, 9, 48",
            "bf16, 7, 56", "q8_0, 37, 64", "q8_0, 130, 256"})
    void aRowsProductIsTheSameInEveryBatch(String format, int rows, int cols) {
        Random random = new Random(rows * 17L + cols);
        Matrix m = randomMatrix(format, rows, cols, random);
        int largest = format.equals("q8_0") ? Q8Matrix.ROUNDED_BATCH : 21;
        float[] x = new float[largest * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[][] alone = new float[largest][rows];
        for (int b = 0; b < largest; b++) {
            m.multiply(java.util.Arrays.copyOfRange(x, b * cols, (b + 1) * cols), 1, alone[b], one);
        }
        for (int batch = 2; batch <= largest; batch++) {
            for (Parallel p : new Parallel[] {one, three}) {
                float[] y = new float[batch * rows];
                m.multiply(x, batch, y, p);
                for (int b = 0; b < batch; b++) {
                    assertThat(java.util.Arrays.copyOfRange(y, b * rows, (b + 1) * rows))
                            .as("%s input %d of a batch of %d", format, b, batch).containsExactly(alone[b]);
                }
            }
        }
    }

    /** Standard normal weights in {@code format}. */
    private Matrix randomMatrix(String format, int rows, int cols, Random random) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        return Matrices.create(WeightFormat.parse(format), rows, cols, (r, out) -> System.arraycopy(w, r * cols, out,
                0, cols), one);
    }

    /** The weights as the matrix holds them (rounded to its format), row-major. */
    private static float[] storedWeights(Matrix m) {
        float[] stored = new float[m.rows() * m.cols()];
        for (int r = 0; r < m.rows(); r++) {
            m.row(r, stored, r * m.cols());
        }
        return stored;
    }

    /**
     * What q8_0's decoding kernel multiplies with: each block of 32 inputs rounded to a multiple of max|x| / 127
     * (integer products, as llama.cpp's q8_0 × q8_0); prefill-sized batches keep the floats.
     */
    private static float[] roundedPerBlock(float[] x) {
        float[] out = new float[x.length];
        for (int k = 0; k < x.length; k += 32) {
            float max = 0;
            for (int i = 0; i < 32; i++) {
                max = Math.max(max, Math.abs(x[k + i]));
            }
            float scale = max / 127f;
            for (int i = 0; i < 32; i++) {
                int q = Math.round(x[k + i] * (1f / scale));
                assertThat(Math.abs(q)).isLessThanOrEqualTo(127);
                out[k + i] = q * scale;
            }
        }
        return out;
    }

    /** Rounding the inputs costs at most half a step of each block's input per term, against the float product. */
    @Test
    void q8RoundsInputsByAtMostHalfAStepPerBlock() {
        int rows = 64;
        int cols = 2048;
        Random random = new Random(11);
        Matrix m = randomMatrix("q8_0", rows, cols, random);
        float[] stored = storedWeights(m);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] y = new float[rows];
        m.multiply(x, 1, y, one);
        double worst = 0;
        for (int r = 0; r < rows; r++) {
            double exact = 0;
            double bound = 0;
            for (int k = 0; k < cols; k += 32) {
                float max = 0;
                for (int i = 0; i < 32; i++) {
                    max = Math.max(max, Math.abs(x[k + i]));
                }
                for (int i = 0; i < 32; i++) {
                    exact += (double) stored[r * cols + k + i] * x[k + i];
                    bound += Math.abs(stored[r * cols + k + i]) * max / 127 / 2;
                }
            }
            assertThat(Math.abs(y[r] - exact)).as("row %d", r).isLessThanOrEqualTo(bound * 1.001 + 1e-4);
            worst = Math.max(worst, Math.abs(y[r] - exact) / bound);
        }
        // the bound is not vacuous: the rounding errors are there, and far from it on average
        assertThat(worst).isBetween(1e-4, 0.5);
    }

    @Test
    void formatsKeepTheirPromisedPrecision() {
        int rows = 8;
        int cols = 64;
        Random random = new Random(3);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        Matrices.Rows source = (r, out) -> System.arraycopy(w, r * cols, out, 0, cols);
        float[] row = new float[cols];
        Matrices.create(WeightFormat.F32, rows, cols, source, one).row(5, row, 0);
        assertThat(row).containsExactly(java.util.Arrays.copyOfRange(w, 5 * cols, 6 * cols));
        Matrices.create(WeightFormat.BF16, rows, cols, source, one).row(5, row, 0);
        for (int k = 0; k < cols; k++) {
            assertThat(Math.abs(row[k] - w[5 * cols + k])).isLessThanOrEqualTo(Math.abs(w[5 * cols + k]) / 256);
        }
        Matrices.create(WeightFormat.Q8_0, rows, cols, source, one).row(5, row, 0);
        for (int blk = 0; blk < cols / 32; blk++) {
            float max = 0;
            for (int i = 0; i < 32; i++) {
                max = Math.max(max, Math.abs(w[5 * cols + blk * 32 + i]));
            }
            for (int i = 0; i < 32; i++) {
                int k = blk * 32 + i;
                assertThat(Math.abs(row[k] - w[5 * cols + k])).isLessThanOrEqualTo(max / 127 / 2 * 1.0001f);
            }
        }
    }

    /**
     * q4_0 round trip (llama.cpp's convention): d = m / −8 for the block's value m of largest magnitude, which comes
     * back exactly; every value within |d| / 2 (float rounding aside) except one of magnitude |m| and the opposite
     * sign, which is clamped to 7·d (within |d|). Blocks with such a pair, a zero block and constant blocks included.
     */
    @Test
    void q4RoundTripStaysWithinHalfAStep() {
        int rows = 6;
        int cols = 96;
        Random random = new Random(4);
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian() * (1 + i % 7);
        }
        java.util.Arrays.fill(w, 2 * cols, 2 * cols + 32, 0f); // a zero block
        java.util.Arrays.fill(w, 3 * cols, 3 * cols + 32, -0.5f); // a constant block
        w[4 * cols + 3] = 100f; // the largest magnitude, positive …
        w[4 * cols + 20] = -100f; // … and its opposite: clamped
        Matrix m = Matrices.create(WeightFormat.Q4_0, rows, cols, (r, out) -> System.arraycopy(w, r * cols, out, 0,
                cols), one);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            m.row(r, row, 0);
            for (int blk = 0; blk < cols / 32; blk++) {
                float max = 0;
                for (int i = 0; i < 32; i++) {
                    max = Math.max(max, Math.abs(w[r * cols + blk * 32 + i]));
                }
                float d = max / 8;
                for (int i = 0; i < 32; i++) {
                    int k = blk * 32 + i;
                    float x = w[r * cols + k];
                    float bound = Math.abs(x) > 7.5f * d ? d : d / 2;
                    assertThat(Math.abs(row[k] - x)).as("row %d column %d: %s", r, k, x)
                            .isLessThanOrEqualTo(bound * 1.0001f);
                    if (Math.abs(x) == max) {
                        assertThat(Math.abs(row[k])).isIn(max, 7 * d); // −8·d exactly, or clamped to 7·d
                    }
                }
            }
        }
        m.row(2, row, 0);
        assertThat(java.util.Arrays.copyOf(row, 32)).containsOnly(0f);
        m.row(3, row, 0);
        assertThat(java.util.Arrays.copyOf(row, 32)).containsOnly(-0.5f);
        m.row(4, row, 0);
        assertThat(row[3]).isEqualTo(100f);
        assertThat(row[20]).isEqualTo(-87.5f);
        // two weights a byte, one float32 scale per 32
        assertThat(m.byteSize()).isEqualTo((long) rows * cols / 2 + 4L * rows * cols / 32);
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertThat(Bf16Matrix.round(1f)).isEqualTo((short) 0x3F80);
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties go to the even mantissa, 1
        assertThat(Bf16Matrix.round(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
        assertThat(Bf16Matrix.round(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
        assertThat(Bf16Matrix.round(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
    }

    @Test
    void q8NeedsWholeBlocksAndMismatchedBufferSizesAreRefused() {
        assertThatThrownBy(() -> Matrices.create(WeightFormat.Q8_0, 2, 40, (r, out) -> { }, one))
                .hasMessageContaining("divisible by 32").hasMessageContaining("40");
        assertThatThrownBy(() -> Matrices.create(WeightFormat.Q4_0, 2, 48, (r, out) -> { }, one))
                .hasMessage("q4_0 needs a column count divisible by 32, got 48");
        assertThatThrownBy(() -> new Q4Matrix(2, 64, Bytes.allocate(128), Bytes.allocate(16)))
                .hasMessageContaining("needs 64 data and 16 scale bytes, got 128 and 16");
        assertThatThrownBy(() -> new F32Matrix(2, 3, Bytes.allocate(20)))
                .hasMessageContaining("needs 24 bytes, got 20");
        Matrix m = Matrices.create(WeightFormat.F32, 2, 3, (r, out) -> { }, one);
        assertThatThrownBy(() -> m.multiply(new float[5], 2, new float[4], one)).hasMessageContaining("needs 6");
    }
}
