package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

import static io.bolmo.engine.vector.tensor.Loads.F;
import static io.bolmo.engine.vector.tensor.Loads.I;
import static io.bolmo.engine.vector.tensor.Loads.LANES;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Q8_0 weights: each row in blocks of {@value #BLOCK} int8 values q with one float32 scale s per block, weight =
 * q · s, where s = max|w| / 127 over the block and q = round(w / s) (llama.cpp's Q8_0 with a float32 scale).
 * Data {@code [rows, cols]} int8 and scales {@code [rows, cols / 32]} float32 ({@link BlockMatrix}).
 *
 * <p>Decoding multiplies in integers, as llama.cpp's q8_0 × q8_0 dot product does: {@link #prepare} rounds each
 * block of 32 inputs to int8 with its own scale (the weights' rule), the kernel multiplies weights with inputs in
 * 16-bit lanes (|q| ≤ 127 on both sides, so two products fit a short), sums the products exactly in ints, and each
 * block's sum meets the product of the two scales in one float multiply-add. This costs each term at most half a
 * step of its input block; prefill chunks (more than {@value #ROUNDED_BATCH} rows, {@link Gemm}) keep float
 * inputs. Widening int8 weights to floats (two conversions per 8 weights with AVX2) was what bounded 8-bit weights
 * on a few cores: a [8192, 2048] product ran 1.2-1.3x faster this way on one core (docs/benchmarks.md); the rounded
 * inputs stay bytes ({@link Quantized}). The sums are exact, so every decoding step keeps this kernel and a row
 * decodes the same alone or batched ({@link #smallBatchLimit}). q4_0 keeps its float kernel: the same idea for it
 * was faster alone and on Bolmo-1B shapes but slower on Bolmo-7B's.
 */
public final class Q8Matrix extends BlockMatrix {

    public static final int BLOCK = Matrices.BLOCK;
    /** 16-bit lanes in a vector of the preferred float shape. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    /** Bytes that widen to one {@link #S} vector: half the width. */
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** Weights per int16 product vector. */
    private static final int CHUNK = S.length();

    static {
        if (CHUNK > BLOCK) {
            throw new ExceptionInInitializerError("q8_0 kernels need at most " + BLOCK / 2 + " float lanes, this"
                    + " CPU's preferred vectors have " + LANES);
        }
    }

    /**
     * The inputs rounded to int8 per block of 32, one scale per block. Kept as bytes and widened with the weights:
     * as shorts, 8,192 inputs (16 KB) no longer stayed in L1 beside the streaming weights, and a [2048, 8192] product
     * ran at three quarters of a [8192, 2048] one; as bytes both run alike (1.35x on one core, 1.4-1.6x on two, for
     * the wide one; 2026-12-08).
     */
    private static final class Quantized extends Input {
        final byte[] q; // [batch, cols]
        final float[] scales; // [batch, cols / 32]

        private Quantized(float[] x, byte[] q, float[] scales) {
            super(x);
            this.q = q;
            this.scales = scales;
        }
    }

    /**
     * Products with at most this many input rows (the rows of a decoding step) see their inputs rounded to int8 per
     * block; larger ones (prefill chunks) see them as they are.
     */
    static final int ROUNDED_BATCH = 15;

    /**
     * Rounds the block of 32 values at {@code v[from]} to int8 steps of max |v| / 127 (one rule for weights and
     * inputs), into {@code q[at …]}; returns the step.
     */
    static float roundBlock(float[] v, int from, byte[] q, int at) {
        float max = 0;
        for (int i = 0; i < BLOCK; i++) {
            max = Math.max(max, Math.abs(v[from + i]));
        }
        float scale = max / 127f;
        float inverse = scale == 0 ? 0 : 1f / scale;
        for (int i = 0; i < BLOCK; i++) {
            q[at + i] = (byte) Math.round(v[from + i] * inverse);
        }
        return scale;
    }

    /** The rows of a decoding step get their inputs rounded to int8 for the integer kernel; prefill's stay float. */
    @Override
    protected Input prepare(float[] x, int batch) {
        if (batch > ROUNDED_BATCH) {
            return new Input(x);
        }
        byte[] q = new byte[batch * cols];
        float[] s = new float[batch * blocks];
        for (int blk = 0; blk < batch * blocks; blk++) {
            s[blk] = roundBlock(x, blk * BLOCK, q, blk * BLOCK);
        }
        return new Quantized(x, q, s);
    }

    /**
     * Every decoding step takes the integer kernel: its sums are exact, so a row decodes the same alone or with
     * others (the GEMM, faster from about five rows, would sum in floats, and on a random Bolmo-1B eight streams then
     * decoded other bytes than alone).
     */
    @Override
    protected int smallBatchLimit() {
        return ROUNDED_BATCH;
    }

    /**
     * The weight scale of block {@code blk} times the input's. A float, not a vector: each kernel broadcasts it with
     * the constant species (a species passed as an argument left C2 a non-constant one in an integer q4_0 kernel,
     * which then ran the Vector API's Java fallback, 10x slower).
     */
    private float scale(int sbase, int blk, float inputScale) {
        return scales.getFloat(sbase + 4 * blk) * inputScale;
    }

    /**
     * Each input on its own: after the first, the row's blocks come from the L1 cache, and the integer products cost
     * about what a float kernel's four-input pass did (and a batched row equals the row alone, exactly). Tried and
     * not kept (2026-12-08, one core, [8192, 2048]): a four-input pass in floats that hold integers (exact below
     * 2^24, so equal to dot1 when its lanes pair the same columns) was 1.15x faster at 8 rows with dot1's lane pairs
     * (even and odd columns split by shifts) and 1.45x with natural lanes (j, j + 16), but dot1 then needed those
     * lanes too: split by two conversions it was 8 % slower at one row; with int inputs and a 32-bit multiply as fast
     * at 2,048 columns and 1.7x slower at 8,192 (the inputs out of L1), which cost a third of Bolmo-1B's decode; with
     * byte inputs widened to ints as fast as this one at one row and 1.35x at eight in the probe, but in the engine
     * 8 streams of Bolmo-1B gained 4 % (50.5 against 48.5 B/s) and one stream lost 7 %, both inside this machine's
     * noise: not worth a second kernel and other float rounding.
     */
    @Override
    protected void dot4(int r, Input in, int b0, int b1, int b2, int b3, float[] y) {
        y[b0 * rows + r] = dot1(r, in, b0);
        y[b1 * rows + r] = dot1(r, in, b1);
        if (b2 != b1) {
            y[b2 * rows + r] = dot1(r, in, b2);
            if (b3 != b2) {
                y[b3 * rows + r] = dot1(r, in, b3);
            }
        }
    }

    public Q8Matrix(int rows, int cols, Bytes data, Bytes scales) {
        super(rows, cols, data, scales, cols);
    }

    /** One row into its blocks: {@code data[dataOffset …]}, {@code scales[scaleOffset …]} (byte offsets). */
    static void quantizeRow(float[] row, int cols, Bytes data, int dataOffset, Bytes scales, int scaleOffset) {
        byte[] q = new byte[BLOCK];
        for (int blk = 0; blk < cols / BLOCK; blk++) {
            scales.putFloat(scaleOffset + 4 * blk, roundBlock(row, blk * BLOCK, q, 0));
            for (int i = 0; i < BLOCK; i++) {
                data.put(dataOffset + blk * BLOCK + i, q[i]);
            }
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

    /**
     * One body, no helper that returns a vector: C2 inlines the Vector API's own methods always, but ours only while
     * they are small and not yet compiled on their own; a helper left out returns a boxed vector, and the kernel
     * then ran 2-10x slower in some runs and not in others (a standalone [8192, 2048] probe: 4.8-13 GB/s with
     * helpers, 9-11.5 inline in the same JVMs; q4_0 in the engine: 2-56 B/s). One accumulator: its chain is one
     * multiply-add per 32 weights, short next to a block's integer work (two measured the same).
     */
    @Override
    protected float dot1(int r, Input in, int b) {
        Quantized x = (Quantized) in;
        byte[] w = data.array;
        int sbase = 4 * r * blocks;
        FloatVector acc = FloatVector.zero(F);
        for (int blk = 0; blk < blocks; blk++) {
            int d = r * cols + blk * BLOCK;
            int k = b * cols + blk * BLOCK;
            IntVector sum = IntVector.zero(I);
            for (int c = 0; c < BLOCK; c += 2 * CHUNK) { // once with 256-bit vectors or wider
                ShortVector w0 = (ShortVector) ByteVector.fromArray(B, w, d + c)
                        .convertShape(VectorOperators.B2S, S, 0);
                ShortVector p = w0.mul((ShortVector) ByteVector.fromArray(B, x.q, k + c)
                        .convertShape(VectorOperators.B2S, S, 0));
                if (CHUNK < BLOCK) { // |q| ≤ 127 on both sides: two products stay within a short
                    ShortVector w1 = (ShortVector) ByteVector.fromArray(B, w, d + c + CHUNK)
                            .convertShape(VectorOperators.B2S, S, 0);
                    p = p.add(w1.mul((ShortVector) ByteVector.fromArray(B, x.q, k + c + CHUNK)
                            .convertShape(VectorOperators.B2S, S, 0)));
                }
                // neighbouring shorts into ints: the two halves of each int lane, split by shifts
                IntVector i = p.reinterpretAsInts();
                sum = sum.add(i.lanewise(VectorOperators.ASHR, 16)
                        .add(i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)));
            }
            FloatVector s = FloatVector.broadcast(F, scale(sbase, blk, x.scales[b * blocks + blk]));
            acc = ((FloatVector) sum.convert(VectorOperators.I2F, 0)).fma(s, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
