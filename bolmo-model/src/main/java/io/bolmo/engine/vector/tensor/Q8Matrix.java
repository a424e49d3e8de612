package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

import static io.bolmo.engine.vector.tensor.Loads.F;
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
 * block of 32 inputs to int8 with its own scale (the same rule as the weights), the kernel multiplies int8 weights
 * with int8 inputs in 16-bit lanes (|q| ≤ 127, so two products fit a short) and sums them exactly in ints, and
 * each block's sum meets the product of the two scales in one float multiply-add. Widening int8 weights to floats
 * (two conversions per 8 weights with AVX2) was what bounded 8-bit weights on a few cores: a [8192, 2048] product
 * ran 1.3-1.5x faster this way on one core (docs/benchmarks.md). Rounding the inputs adds an error of at most half
 * a step of the input's block per term, as llama.cpp's CPU path does; large batches (prefill) keep float inputs.
 */
public final class Q8Matrix extends BlockMatrix {

    public static final int BLOCK = Matrices.BLOCK;
    /** 16-bit lanes in a vector of the preferred float shape. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, F.vectorShape());
    /** Bytes that widen to one {@link #S} vector: half the width. */
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    /** Weights per int16 product vector. */
    private static final int CHUNK = S.length();

    static {
        if (CHUNK > BLOCK) {
            throw new ExceptionInInitializerError("q8_0 kernels need at most " + BLOCK / 2 + " float lanes, this"
                    + " CPU's preferred vectors have " + LANES);
        }
    }

    /** The inputs rounded to int8 per block of 32, widened to shorts, with one float scale per block. */
    private static final class Quantized extends Input {
        final short[] q; // [batch, cols]
        final float[] scales; // [batch, cols / 32]

        Quantized(float[] x, short[] q, float[] scales) {
            super(x);
            this.q = q;
            this.scales = scales;
        }
    }

    public Q8Matrix(int rows, int cols, Bytes data, Bytes scales) {
        super(rows, cols, data, scales, cols);
    }

    /** One row into its blocks: {@code data[dataOffset …]}, {@code scales[scaleOffset …]} (byte offsets). */
    static void quantizeRow(float[] row, int cols, Bytes data, int dataOffset, Bytes scales, int scaleOffset) {
        for (int blk = 0; blk < cols / BLOCK; blk++) {
            float scale = scaleOf(row, blk * BLOCK);
            float inverse = scale == 0 ? 0 : 1f / scale;
            for (int i = 0; i < BLOCK; i++) {
                data.put(dataOffset + blk * BLOCK + i, (byte) Math.round(row[blk * BLOCK + i] * inverse));
            }
            scales.putFloat(scaleOffset + 4 * blk, scale);
        }
    }

    /** The scale of the block of 32 values at {@code v[from]}: max |v| / 127. */
    static float scaleOf(float[] v, int from) {
        float max = 0;
        for (int i = 0; i < BLOCK; i++) {
            max = Math.max(max, Math.abs(v[from + i]));
        }
        return max / 127f;
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

    /** Small batches get their inputs rounded to int8 for the integer kernel; large ones stay float (Gemm). */
    @Override
    protected Input prepare(float[] x, int batch) {
        if (batch > SMALL_BATCH) {
            return new Input(x);
        }
        short[] q = new short[batch * cols];
        float[] s = new float[batch * blocks];
        for (int blk = 0; blk < batch * blocks; blk++) { // the weights' rule (quantizeRow)
            int k = blk * BLOCK;
            s[blk] = scaleOf(x, k);
            float inverse = s[blk] == 0 ? 0 : 1f / s[blk];
            for (int i = 0; i < BLOCK; i++) {
                q[k + i] = (short) Math.round(x[k + i] * inverse);
            }
        }
        return new Quantized(x, q, s);
    }

    @Override
    protected float dot1(int r, Input in, int b) {
        Quantized x = (Quantized) in;
        int base = r * cols;
        int sbase = 4 * r * blocks;
        int xo = b * cols;
        int xs = b * blocks;
        // two blocks per pass into two accumulators: one dependent chain per block was 20-40 % slower
        FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
        int blk = 0;
        for (; blk + 1 < blocks; blk += 2) {
            acc0 = block(base, blk, x.q, xo).fma(scale(sbase, blk, x.scales[xs + blk]), acc0);
            acc1 = block(base, blk + 1, x.q, xo).fma(scale(sbase, blk + 1, x.scales[xs + blk + 1]), acc1);
        }
        if (blk < blocks) {
            acc0 = block(base, blk, x.q, xo).fma(scale(sbase, blk, x.scales[xs + blk]), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** The weight scale of block {@code blk} times the input's, in every lane. */
    private FloatVector scale(int sbase, int blk, float inputScale) {
        return FloatVector.broadcast(F, scales.getFloat(sbase + 4 * blk) * inputScale);
    }

    /** Block {@code blk} of the row at {@code base} times the rounded inputs, summed exactly into the lanes. */
    private FloatVector block(int base, int blk, short[] q, int xo) {
        int k = blk * BLOCK;
        IntVector sum = pairSums(base + k, q, xo + k);
        for (int c = 2 * CHUNK; c < BLOCK; c += 2 * CHUNK) { // only with vectors narrower than 256 bits
            sum = sum.add(pairSums(base + k + c, q, xo + k + c));
        }
        return (FloatVector) sum.convert(VectorOperators.I2F, 0);
    }

    /**
     * The products of the weights at {@code d} with the inputs at {@code k}, {@code min(2 · CHUNK, 32)} of them,
     * added in neighbouring pairs into ints: the two halves of each int lane are shorts, split by shifts.
     */
    private IntVector pairSums(int d, short[] q, int k) {
        ShortVector p = weights(d).mul(ShortVector.fromArray(S, q, k));
        if (CHUNK < BLOCK) { // |q| ≤ 127 on both sides: two products stay within a short
            p = p.add(weights(d + CHUNK).mul(ShortVector.fromArray(S, q, k + CHUNK)));
        }
        IntVector i = p.reinterpretAsInts();
        return i.lanewise(VectorOperators.ASHR, 16).add(i.lanewise(VectorOperators.LSHL, 16)
                .lanewise(VectorOperators.ASHR, 16));
    }

    /** {@link #CHUNK} int8 weights from byte {@code d} of the data, widened to shorts. */
    private ShortVector weights(int d) {
        return (ShortVector) ByteVector.fromArray(B, data.array, d).convertShape(VectorOperators.B2S, S, 0);
    }

    /**
     * Each input on its own: after the first, the row's 32-byte blocks come from the L1 cache, and the integer
     * products cost about what the float kernel's four-input pass did (and a batched row equals the row alone).
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
}
