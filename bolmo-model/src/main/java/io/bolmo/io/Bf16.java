package io.bolmo.io;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * bfloat16 to and from float32 on the Java side. DJL 0.35.1's PyTorch engine aborts the JVM ("terminate called
 * without an active exception") when it creates a BFLOAT16 array, and it has no bit-cast, so torch cannot do this.
 */
final class Bf16 {

    private Bf16() {}

    /** Exact: a bfloat16 is the upper 16 bits of a float32. */
    static void toFloat(ShortBuffer src, FloatBuffer dst) {
        while (src.hasRemaining()) {
            dst.put(Float.intBitsToFloat(src.get() << 16));
        }
    }

    /** Round to nearest, ties to even, as torch's {@code .to(torch.bfloat16)}; NaN stays a (quiet) NaN. */
    static void fromFloat(FloatBuffer src, ShortBuffer dst) {
        while (src.hasRemaining()) {
            dst.put(round(src.get()));
        }
    }

    static short round(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
}
