package io.bolmo.engine.vector.tensor;

import io.bolmo.engine.WeightFormat;

import static io.bolmo.engine.vector.tensor.Loads.F;
import static io.bolmo.engine.vector.tensor.Loads.I;
import static io.bolmo.engine.vector.tensor.Loads.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0 weights: each row in blocks of {@value #BLOCK} 4-bit values q ∈ [−8, 7] with one float32 scale d per block,
 * weight = q · d (llama.cpp's Q4_0 with a float32 scale). As llama.cpp, d = m / −8 where m is the block's value of
 * largest magnitude with its sign, so m itself becomes −8 and all 16 levels are used; q = clamp(round(w / d), −8, 7),
 * which is within |d| / 2 of w except for a value of magnitude |m| and sign opposite to m's (clamped to 7: within
 * |d|). Data {@code [rows, cols / 2]} unsigned bytes and scales {@code [rows, cols / 32]} float32
 * ({@link BlockMatrix}).
 *
 * <p>Nibbles as in llama.cpp: byte j (0 … 15) of a block holds q + 8 of weight j in its low nibble and of weight
 * j + 16 in its high nibble. One load of 16 bytes widened to 16 int lanes thus gives two runs of 16 consecutive
 * weights ({@link #nibbles}): with 16 float lanes one load is one whole block, with 8 lanes two loads of 8 bytes
 * are. The block's scale is folded in with one fused multiply-add per block and input.
 */
public final class Q4Matrix extends BlockMatrix {

    public static final int BLOCK = Matrices.BLOCK;
    /** Bytes per block: two weights each. */
    private static final int HALF = BLOCK / 2;

    static {
        if (LANES != 8 && LANES != 16) { // a block is 16 bytes; narrower byte vectors than 8 lanes do not exist
            throw new ExceptionInInitializerError("q4_0 kernels need 8 or 16 float lanes, this CPU's preferred"
                    + " vectors have " + LANES);
        }
    }

    public Q4Matrix(int rows, int cols, Bytes data, Bytes scales) {
        super(rows, cols, data, scales, cols / 2);
    }

    /** One row into its blocks: {@code data[dataOffset …]}, {@code scales[scaleOffset …]} (byte offsets). */
    static void quantizeRow(float[] row, int cols, Bytes data, int dataOffset, Bytes scales, int scaleOffset) {
        for (int blk = 0; blk < cols / BLOCK; blk++) {
            int k = blk * BLOCK;
            float m = 0;
            for (int i = 0; i < BLOCK; i++) {
                if (Math.abs(row[k + i]) > Math.abs(m)) {
                    m = row[k + i];
                }
            }
            float scale = m == 0 ? 0 : m / -8f; // not −0: a zero block reads back as +0
            float inverse = scale == 0 ? 0 : 1f / scale;
            for (int j = 0; j < HALF; j++) {
                int lo = nibble(row[k + j] * inverse);
                int hi = nibble(row[k + HALF + j] * inverse);
                data.put(dataOffset + blk * HALF + j, (byte) (lo | hi << 4));
            }
            scales.putFloat(scaleOffset + 4 * blk, scale);
        }
    }

    /** w / d rounded into [−8, 7], stored as q + 8. */
    private static int nibble(float scaled) {
        return Math.max(-8, Math.min(7, Math.round(scaled))) + 8;
    }

    @Override
    public WeightFormat format() {
        return WeightFormat.Q4_0;
    }

    @Override
    protected void dequantizeRow(int r, float[] out, int offset) {
        int base = r * (cols / 2);
        int sbase = 4 * r * blocks;
        for (int blk = 0; blk < blocks; blk++) {
            FloatVector s = scale(sbase, blk);
            int k = offset + blk * BLOCK;
            for (int v = 0; v < HALF; v += LANES) {
                IntVector b = nibbles(base + blk * HALF + v);
                low(b).mul(s).intoArray(out, k + v);
                high(b).mul(s).intoArray(out, k + HALF + v);
            }
        }
    }

    /**
     * {@link #LANES} bytes of the block from byte {@code offset}, one per 32-bit lane. Flipping the top bit of each
     * nibble turns q + 8 into q in two's complement, so the sign-extended byte is 16·q_high + (q_low mod 16): an
     * arithmetic shift gives q_high and a shift up and back gives q_low, with no subtraction (a standalone probe,
     * one AVX-512 core, a [8192, 2048] product: 0.64 ms, against 0.65 masking and subtracting 8 in int lanes and
     * 0.73 masking the bytes before widening them; x86 has no byte shifts).
     */
    private IntVector nibbles(int offset) {
        return (IntVector) Loads.bytes(data, offset).lanewise(VectorOperators.XOR, (byte) 0x88)
                .convertShape(VectorOperators.B2I, I, 0);
    }

    /** Weights j … j+LANES−1 of the block (the low nibbles) as floats. */
    private static FloatVector low(IntVector n) {
        return (FloatVector) n.lanewise(VectorOperators.LSHL, 28).lanewise(VectorOperators.ASHR, 28)
                .convert(VectorOperators.I2F, 0);
    }

    /** Weights j+16 … j+16+LANES−1 of the block (the high nibbles) as floats. */
    private static FloatVector high(IntVector n) {
        return (FloatVector) n.lanewise(VectorOperators.ASHR, 4).convert(VectorOperators.I2F, 0);
    }

    @Override
    protected float dot1(int r, Input in, int b) {
        float[] x = in.x;
        int xo = b * cols;
        int base = r * (cols / 2);
        int sbase = 4 * r * blocks;
        // two blocks per pass into two accumulators (not shared through BlockMatrix: a virtual block() returning a
        // vector to a shared loop is one C2 may not inline, and boxed vectors cost 4-10x here)
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

    /**
     * The lane-wise products of block {@code blk} of the row at {@code base} with the input, before its scale. Kept
     * small: written with a second load by hand, or with the nibbles carried around the loop, C2 stopped inlining
     * the Vector API calls and boxed the vectors (4-10x slower with 8 lanes).
     */
    private FloatVector block(int base, int blk, float[] x, int xo) {
        int d = base + blk * HALF;
        int k = xo + blk * BLOCK;
        FloatVector p = FloatVector.zero(F);
        for (int v = 0; v < HALF; v += LANES) {
            p = pair(nibbles(d + v), x, k + v, p);
        }
        return p;
    }

    /** {@code p} plus the products of the weights in {@code n} with the inputs at {@code k} and {@code k + 16}. */
    private static FloatVector pair(IntVector n, float[] x, int k, FloatVector p) {
        return high(n).fma(FloatVector.fromArray(F, x, k + HALF), low(n).fma(FloatVector.fromArray(F, x, k), p));
    }

    @Override
    protected void dot4(int r, Input in, int b0, int b1, int b2, int b3, float[] y) {
        float[] x = in.x;
        int base = r * (cols / 2);
        int sbase = 4 * r * blocks;
        int x0 = b0 * cols, x1 = b1 * cols, x2 = b2 * cols, x3 = b3 * cols;
        FloatVector z = FloatVector.zero(F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z;
        // one load of LANES bytes per pass, its block's scale folded in at once: with 8 lanes a block's two halves
        // each fold it (one multiply-add more per block), but no loop inside a block carries the four products
        // (that form took 1.6x the time with 16 lanes, and 10x with 8 when unrolled by hand)
        for (int j = 0; j < cols / 2; j += LANES) {
            int blk = j / HALF;
            int k = blk * BLOCK + j % HALF;
            IntVector n = nibbles(base + j);
            FloatVector s = scale(sbase, blk);
            a0 = pair(n, x, x0 + k, z).fma(s, a0);
            a1 = pair(n, x, x1 + k, z).fma(s, a1);
            a2 = pair(n, x, x2 + k, z).fma(s, a2);
            a3 = pair(n, x, x3 + k, z).fma(s, a3);
        }
        y[b0 * rows + r] = a0.reduceLanes(VectorOperators.ADD);
        y[b1 * rows + r] = a1.reduceLanes(VectorOperators.ADD);
        y[b2 * rows + r] = a2.reduceLanes(VectorOperators.ADD);
        y[b3 * rows + r] = a3.reduceLanes(VectorOperators.ADD);
    }
}
