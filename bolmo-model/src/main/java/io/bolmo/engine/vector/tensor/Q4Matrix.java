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
import jdk.incubator.vector.VectorSpecies;

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
 * are (dequantizing, for prefill). Decoding multiplies the nibbles with the int8-rounded inputs in 16-bit lanes
 * ({@link BlockMatrix}), one block per 256-bit vector of shorts.
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

    /**
     * 256-bit vectors whatever the CPU prefers: one block's 16 bytes widen to one vector of 16 shorts. On AVX-512 a
     * 512-bit vector would hold two blocks, with two scales to keep apart; AVX2 shapes run there too.
     */
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;

    /**
     * One body, no helper that returns a vector, one accumulator, as {@link Q8Matrix#dot1} (why there). Each short is
     * a byte with its nibbles' top bits flipped, sign-extended: 16·q_high + (q_low mod 16) ({@link #nibbles}), so
     * shifts give q_low (weights j) and q_high (weights j + 16); |q| ≤ 8 and |x| ≤ 127 keep two products in a short.
     */
    @Override
    protected float dot1(int r, Input in, int b) {
        Quantized x = (Quantized) in;
        byte[] w = data.array;
        int sbase = 4 * r * blocks;
        FloatVector acc = FloatVector.zero(F8);
        for (int blk = 0; blk < blocks; blk++) {
            int k = b * cols + blk * BLOCK;
            ShortVector n = (ShortVector) ByteVector.fromArray(B16, w, r * (cols / 2) + blk * HALF)
                    .lanewise(VectorOperators.XOR, (byte) 0x88).convertShape(VectorOperators.B2S, S16, 0);
            ShortVector low = n.lanewise(VectorOperators.LSHL, 12).lanewise(VectorOperators.ASHR, 12);
            ShortVector high = n.lanewise(VectorOperators.ASHR, 4);
            ShortVector p = low.mul(ShortVector.fromArray(S16, x.q, k))
                    .add(high.mul(ShortVector.fromArray(S16, x.q, k + HALF)));
            // neighbouring shorts into ints: the two halves of each int lane, split by shifts
            IntVector i = p.reinterpretAsInts();
            IntVector sum = i.lanewise(VectorOperators.ASHR, 16)
                    .add(i.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
            FloatVector s = FloatVector.broadcast(F8, scale(sbase, blk, x.scales[b * blocks + blk]));
            acc = ((FloatVector) sum.convert(VectorOperators.I2F, 0)).fma(s, acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
