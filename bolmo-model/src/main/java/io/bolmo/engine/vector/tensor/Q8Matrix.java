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
 * <p>Decoding multiplies int8 weights with the int8-rounded inputs ({@link BlockMatrix}) in 16-bit lanes: |q| ≤ 127
 * on both sides, so two products fit a short. Widening int8 weights to floats (two conversions per 8 weights with
 * AVX2) was what bounded 8-bit weights on a few cores: a [8192, 2048] product ran 1.3-1.5x faster this way on one
 * core (docs/benchmarks.md).
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

    public Q8Matrix(int rows, int cols, Bytes data, Bytes scales) {
        super(rows, cols, data, scales, cols);
    }

    /** One row into its blocks: {@code data[dataOffset …]}, {@code scales[scaleOffset …]} (byte offsets). */
    static void quantizeRow(float[] row, int cols, Bytes data, int dataOffset, Bytes scales, int scaleOffset) {
        for (int blk = 0; blk < cols / BLOCK; blk++) {
            float scale = int8Scale(row, blk * BLOCK); // inputs and weights: one rule
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
            acc0 = block(base, blk, x.q, xo).fma(scale(F, sbase, blk, x.scales[xs + blk]), acc0);
            acc1 = block(base, blk + 1, x.q, xo).fma(scale(F, sbase, blk + 1, x.scales[xs + blk + 1]), acc1);
        }
        if (blk < blocks) {
            acc0 = block(base, blk, x.q, xo).fma(scale(F, sbase, blk, x.scales[xs + blk]), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** Block {@code blk} of the row at {@code base} times the rounded inputs, summed exactly into the lanes. */
    private FloatVector block(int base, int blk, short[] q, int xo) {
        int k = blk * BLOCK;
        IntVector sum = products(base + k, q, xo + k);
        for (int c = 2 * CHUNK; c < BLOCK; c += 2 * CHUNK) { // only with vectors narrower than 256 bits
            sum = sum.add(products(base + k + c, q, xo + k + c));
        }
        return (FloatVector) sum.convert(VectorOperators.I2F, 0);
    }

    /** The products of the weights at {@code d} with the inputs at {@code k}, {@code min(2 · CHUNK, 32)} of them. */
    private IntVector products(int d, short[] q, int k) {
        ShortVector p = weights(d).mul(ShortVector.fromArray(S, q, k));
        if (CHUNK < BLOCK) { // |q| ≤ 127 on both sides: two products stay within a short
            p = p.add(weights(d + CHUNK).mul(ShortVector.fromArray(S, q, k + CHUNK)));
        }
        return pairSums(p);
    }

    /** {@link #CHUNK} int8 weights from byte {@code d} of the data, widened to shorts. */
    private ShortVector weights(int d) {
        return (ShortVector) ByteVector.fromArray(B, data.array, d).convertShape(VectorOperators.B2S, S, 0);
    }
}
